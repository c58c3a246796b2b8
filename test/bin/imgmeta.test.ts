/**
 * The `imgmeta` launcher (bin/imgmeta.js, the package's bin): the built CLI where there is one (the
 * package tests run that), the sources through tsx in a checkout not built yet, and a plain message
 * where there is neither.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A folder laid out as a checkout with the launcher and the given parts of ROOT linked in, and no dist/. */
async function layout(parts: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "imgmeta-bin-"));
  dirs.push(dir);
  await mkdir(join(dir, "bin"));
  await copyFile(join(ROOT, "bin/imgmeta.js"), join(dir, "bin/imgmeta.js"));
  await copyFile(join(ROOT, "package.json"), join(dir, "package.json"));
  for (const part of parts) await symlink(join(ROOT, part), join(dir, part));
  return dir;
}

describe("bin/imgmeta.js", () => {
  it("runs the sources through tsx in a checkout whose CLI is not built", { timeout: 60_000 }, async () => {
    const dir = await layout(["src", "node_modules"]);
    const version = (JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const launcher = join(dir, "bin/imgmeta.js");
    expect((await run(process.execPath, [launcher, "--version"])).stdout).toBe(`${version}\n`);
    expect((await run(process.execPath, [launcher, "compile", "a = 1"])).stdout).toBe("meta.a[eq:number]=1\n");
  });

  it("says how to build the CLI where there is nothing to run", { timeout: 60_000 }, async () => {
    const dir = await layout([]);
    const failure = await run(process.execPath, [join(dir, "bin/imgmeta.js"), "--version"]).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 70, stdout: "" });
    expect(failure!.stderr).toBe(`imgmeta: the CLI is not built: run npm install (or npm run build:cli) in ${dir}/\n`);
  });
});
