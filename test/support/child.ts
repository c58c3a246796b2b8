/**
 * Runs a support script in a fresh Node process (`node [flags] --import tsx <script> [args]`, from the
 * project root) and returns what it printed last: one line of JSON. For figures a test must not take in
 * its own process (heap growth, process-wide globals).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function runChild<T>(script: string, options: { readonly flags?: readonly string[]; readonly args?: readonly string[] } = {}): Promise<T> {
  const argv = [...(options.flags ?? []), "--import", "tsx", script, ...(options.args ?? [])];
  const { stdout } = await promisify(execFile)(process.execPath, argv, { cwd: ROOT });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as T;
}
