/**
 * The runtime matrix's processes: each started in a process group of its own, and stopped by that group's
 * id when it is done, when it outlives its time, or (through `stopAll` in `afterAll`) when a test failed
 * while it ran.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

/** The project root (node_modules/.bin holds the runtimes' binaries). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A runtime's binary as its npm package installs it. */
export function binary(name: "bun" | "deno" | "workerd"): string {
  return join(ROOT, "node_modules/.bin", name);
}

const running = new Set<ChildProcess>();

function stop(child: ChildProcess): void {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Stops every process still running (for `afterAll`). */
export function stopAll(): void {
  for (const child of [...running]) stop(child);
}

function start(command: string, args: readonly string[], cwd: string, extraFds = 0): ChildProcess {
  const stdio = ["ignore", "pipe", "pipe", ...Array.from({ length: extraFds }, () => "pipe" as const)] as const;
  const child = spawn(command, args, { cwd, detached: true, stdio: [...stdio] });
  running.add(child);
  return child;
}

function collect(stream: Readable | null): () => string {
  const chunks: Buffer[] = [];
  stream?.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString("utf8");
}

/** What a process printed, and how it ended. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (killing its group after `timeoutMs`), and returns what it printed. */
export async function run(command: string, args: readonly string[], cwd: string, timeoutMs = 90_000): Promise<Finished> {
  const child = start(command, args, cwd);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const timer = setTimeout(() => stop(child), timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    return { code, stdout: stdout(), stderr: stderr() };
  } finally {
    clearTimeout(timer);
    stop(child);
  }
}

/** Runs a harness script and parses the report it prints; a failure shows what the runtime said. */
export async function runReport<T>(command: string, args: readonly string[], cwd: string): Promise<T> {
  const { code, stdout, stderr } = await run(command, args, cwd);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${stderr}${stdout.slice(0, 2000)}`);
  return JSON.parse(stdout) as T;
}

/** A running workerd, and the port of each of its sockets. */
export interface Workerd {
  readonly ports: ReadonlyMap<string, number>;
  /** What workerd printed so far (for failure messages). */
  output(): string;
  stop(): void;
}

/**
 * Starts workerd with a Cap'n Proto config (written to `dir/config.capnp`, its constant `config`), its
 * sockets on port 0: workerd reports the ports it bound on a control pipe (`--control-fd`).
 */
export async function startWorkerd(dir: string, config: string, sockets: readonly string[]): Promise<Workerd> {
  writeFileSync(join(dir, "config.capnp"), config);
  const child = start(binary("workerd"), ["serve", "config.capnp", "config", "--control-fd=3"], dir, 1);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const output = () => stdout() + stderr();
  const ports = new Map<string, number>();
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = "";
      (child.stdio[3] as Readable).on("data", (chunk: Buffer) => {
        pending += chunk.toString("utf8");
        for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
          const event = JSON.parse(pending.slice(0, end)) as { event: string; socket?: string; port?: number };
          pending = pending.slice(end + 1);
          if (event.event === "listen" && event.socket && event.port) ports.set(event.socket, event.port);
          if (sockets.every((socket) => ports.has(socket))) resolve();
        }
      });
      child.on("error", reject);
      child.on("close", (code) => reject(new Error(`workerd exited with ${code} before listening:\n${output()}`)));
    });
  } catch (error) {
    stop(child);
    throw error;
  }
  return { ports, output, stop: () => stop(child) };
}
