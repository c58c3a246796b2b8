/**
 * Every CLI example of the README, run as written in a fresh clone after `npm ci`, as a newcomer would
 * (`npm run test:readme`; slow, so not part of `npm test`).
 *
 * The clone is of the commit checked out (HEAD), installed from the lockfile with npm's cache
 * (`--prefer-offline`), whose `prepare` script builds the CLI and the playground page, after a first
 * `npx imgmeta` (what a newcomer may try before installing). Each example
 * (see test/support/readme.ts) runs in bash from the clone's root, in an environment without the npm
 * variables and `node_modules/.bin` folders of the `npm run` that started the test, and with a cache of
 * its own for npx (so the links npx makes go away with the clone). Its stated output and exit code are
 * compared. `npm start` and `imgmeta serve` examples listen on a free port instead of theirs, run in
 * their own process group, and are stopped by it once they print their banner (or killed, also when the
 * test fails).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examples, isCliExample, isServer, onFreePort, readme, runShell, type Example, type ShellResult } from "../support/readme.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

let work = "";
let clone = "";
let env: NodeJS.ProcessEnv = {};
let cliExamples: Example[] = [];
/** `npx imgmeta --version` in the clone before `npm ci`. */
let beforeInstall: ShellResult = { code: 0, stdout: "", stderr: "" };

/**
 * The environment of a shell a user opens: no `npm_*` variables, no `node_modules/.bin` on the PATH; with
 * `npmCache`, npm's cache there.
 */
function userEnvironment(npmCache?: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== "INIT_CWD"));
  const path = (process.env["PATH"] ?? "").split(delimiter).filter((dir) => !dir.includes(join("node_modules", ".bin")));
  return { ...clean, PATH: path.join(delimiter), NO_COLOR: "1", ...(npmCache === undefined ? {} : { npm_config_cache: npmCache }) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "imgmeta-readme-"));
  clone = join(work, "imgmeta");
  const head = (await run("git", ["rev-parse", "HEAD"], { cwd: ROOT })).stdout.trim();
  await run("git", ["clone", "--quiet", "--no-checkout", ROOT, clone]);
  await run("git", ["checkout", "--quiet", head], { cwd: clone });
  env = userEnvironment(join(work, "npx-cache"));
  // What a newcomer may try first. npx links the checkout's own bin into its cache now, once.
  beforeInstall = await shell("npx imgmeta --version", "both");
  const started = performance.now();
  await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: clone, env: userEnvironment(), timeout: 540_000 });
  console.log(`npm ci (with the prepare script) in a fresh clone: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  cliExamples = examples(readme(clone), isCliExample);
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs a command in bash from the clone's root; with `both`, stderr goes where stdout goes. */
function shell(command: string, streams: "stdout" | "both"): Promise<ShellResult> {
  return runShell(streams === "both" ? `exec 2>&1\n${command}` : command, { cwd: clone, env, timeout: 60_000 });
}

/** Stops a process group: SIGTERM, then SIGKILL after 10 s; resolves once the leader has exited. */
async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const kill = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(kill);
  signal("SIGKILL"); // anything of the group still there
}

/** Starts a server example on a free port, waits for its banner, stops it; resolves to what it printed. */
async function serveOnce(command: string): Promise<{ stdout: string; stderr: string }> {
  const child = spawn("bash", ["-c", `exec ${onFreePort(command)}`], { cwd: clone, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => child.once("close", resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 60 s: ${stdout}${stderr}`)), 60_000);
      child.stdout!.on("data", () => {
        if (/listening on http:\/\/\S+/.test(stdout) && stdout.includes("or with curl:")) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited before listening: ${stdout}${stderr}`));
      });
    });
  } finally {
    await stopGroup(child, exited);
  }
  return { stdout, stderr };
}

describe("the README's CLI examples, from a fresh clone after npm ci", () => {
  it("are all written so that they run from a checkout (npx imgmeta, never a bare imgmeta)", async () => {
    const bare = examples(readme(clone), (command) => /^imgmeta\b|\| imgmeta\b/.test(command));
    expect(bare.map((example) => `README.md:${example.line}: ${example.command}`)).toEqual([]);
    // Enough of them that a broken extraction cannot pass unnoticed.
    expect(cliExamples.filter((example) => !isServer(example.command)).length).toBeGreaterThanOrEqual(12);
    expect(cliExamples.filter((example) => isServer(example.command)).length).toBeGreaterThanOrEqual(6);
    expect(cliExamples.filter((example) => example.streams === "both").length).toBeGreaterThanOrEqual(3);
  });

  it("npx imgmeta before npm install says what to run, and npx's link then works once installed", async () => {
    // The launcher exists before anything is built, so npx links it; before, npx linked no bin, and went
    // on saying "imgmeta: not found" after the build, from its cache.
    expect(beforeInstall).toEqual({ code: 70, stdout: `imgmeta: the CLI is not built: run npm install (or npm run build:cli) in ${clone}/\n`, stderr: "" });
    const after = await shell("npx imgmeta --version", "both");
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("print what the README says, and exit as it says", { timeout: 300_000 }, async () => {
    const version = (JSON.parse(await readFile(join(clone, "package.json"), "utf8")) as { version: string }).version;
    for (const example of cliExamples.filter((each) => !isServer(each.command))) {
      const where = `README.md:${example.line}: ${example.command}`;
      const result = await shell(example.command, example.streams);
      if (example.streams === "both") {
        expect(result.stdout.trimEnd(), where).toBe(example.output);
        continue;
      }
      expect({ code: result.code, stderr: example.exitCode === 0 ? result.stderr : "" }, where).toEqual({ code: example.exitCode, stderr: "" });
      if (example.output !== undefined) expect(result.stdout.trimEnd(), where).toBe(example.output);
      else expect(result.stdout.trim(), where).not.toBe("");
      if (/--version$/.test(example.command)) expect(result.stdout.trim(), where).toBe(version);
    }
  });

  it("npm start and imgmeta serve listen with their playground, and stop", { timeout: 300_000 }, async () => {
    for (const example of cliExamples.filter((each) => isServer(each.command))) {
      const where = `README.md:${example.line}: ${example.command}`;
      const { stdout, stderr } = await serveOnce(example.command);
      expect(stdout, where).toMatch(/imgmeta emulator listening on http:\/\/127\.0\.0\.1:\d+\n {2}playground: http:\/\/127\.0\.0\.1:\d+\//);
      expect(stderr.replace(/^npm warn .*\n/gm, ""), where).toBe("");
    }
  });
});
