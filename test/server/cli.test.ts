/**
 * `serve` flags: parsed strictly; a bad flag is one line on stderr and exit code 2 (no stack trace);
 * corrupted data, or a data directory in use, is one line and exit code 1; by `npm start` and by the
 * `imgmeta` executable alike.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { banner, DEFAULT_SEED, parseServeArgs, SERVE_HELP, UsageError } from "../../src/server/cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The two ways in: `npm start` (start.ts) and the `imgmeta` executable's `serve` (cli.ts, through `main`). */
const ENTRIES = [["npm start", ["src/server/start.ts"]], ["imgmeta serve", ["src/cli.ts", "serve"]]] as const;

/** Runs an entry to its end; a child still running after 15 s is killed (SIGKILL), so that a hang fails the test and leaves nothing behind. */
function run(args: string[], entry: readonly string[] = ENTRIES[0][1]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", ...entry, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], timeout: 15_000, killSignal: "SIGKILL" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

describe("parseServeArgs", () => {
  it("has defaults: 127.0.0.1:8787, in memory, seeded", () => {
    expect(parseServeArgs([])).toEqual({ port: 8787, host: "127.0.0.1", dataDir: undefined, token: undefined, seed: DEFAULT_SEED, accountId: undefined, listCap: true });
  });

  it("reads every flag; a data directory starts unseeded unless asked", () => {
    expect(parseServeArgs(["--port", "0", "--host", "::1", "--data", "d", "--token", "t0k", "--account", "acc"])).toEqual({
      port: 0,
      host: "::1",
      dataDir: "d",
      token: "t0k",
      seed: 0,
      accountId: "acc",
      listCap: true,
    });
    expect(parseServeArgs(["--no-list-cap"]).listCap).toBe(false);
    expect(parseServeArgs(["--data", "d", "--seed", "50"]).seed).toBe(50);
    expect(parseServeArgs(["--port=9000"]).port).toBe(9000);
  });

  it("refuses bad flags with a UsageError", () => {
    for (const args of [["--bogus"], ["--port"], ["--port", "abc"], ["--port", "70000"], ["--seed", "-1"], ["--token", "has space"], ["--data", ""], ["extra"], ["--no-list-cap=1"]]) {
      expect(() => parseServeArgs(args), args.join(" ")).toThrow(UsageError);
    }
  });

  it("prints how to point the SDK at the emulator", () => {
    const text = banner("http://127.0.0.1:8787", parseServeArgs([]));
    expect(text).toContain("http://127.0.0.1:8787");
    expect(text).toContain('new Cloudflare({ baseURL: "http://127.0.0.1:8787/client/v4", apiToken: "anything" })');
    expect(text).toContain("playground: http://127.0.0.1:8787/");
    // Without the built page, the banner does not send anyone to a 404.
    const unbuilt = banner("http://127.0.0.1:8787", parseServeArgs([]), false);
    expect(unbuilt).toContain("playground: not built");
    expect(unbuilt).not.toContain("playground: http");
  });
});

describe("the serve process", () => {
  it.each(ENTRIES)("%s exits 2 with one line and no stack trace on bad flags", { timeout: 20_000 }, async (_, entry) => {
    const results = await Promise.all([run(["--bogus"], entry), run(["--port", "abc"], entry)]);
    for (const { code, stdout, stderr } of results) {
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^imgmeta serve: /);
      expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
    }
  });

  it.each(ENTRIES)("%s --help prints every flag and exits 0 without starting", { timeout: 20_000 }, async (_, entry) => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout, stderr } = await run([flag], entry);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      expect(stdout).toBe(`${SERVE_HELP}\n`);
      for (const option of ["--port", "--host", "--data", "--token", "--seed", "--account", "--no-list-cap"]) expect(stdout).toContain(`  ${option} `);
    }
  });

  it.each(ENTRIES)("%s exits 1 with one line naming the file when the data is corrupted", { timeout: 20_000 }, async (_, entry) => {
    const dir = await mkdtemp(join(tmpdir(), "imgmeta-cli-"));
    try {
      await writeFile(join(dir, "images.log"), "00000000 {}\n");
      const { code, stderr } = await run(["--data", dir, "--port", "0"], entry);
      expect(code).toBe(1);
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toContain(join(dir, "images.log"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 with one line, at once, for --data /proc/1 (which once hung without a word)", { timeout: 20_000 }, async () => {
    const { code, stderr } = await run(["--data", "/proc/1", "--port", "0"], ENTRIES[1][1]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("imgmeta serve: cannot start: /proc/1/blobs: cannot be created");
  });

  it("exits 1 naming the lock when another emulator uses the data directory", { timeout: 20_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "imgmeta-cli-"));
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
    try {
      await writeFile(join(dir, "lock"), `${holder.pid}\n`);
      const { code, stderr } = await run(["--data", dir, "--port", "0"], ENTRIES[1][1]);
      expect(code).toBe(1);
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toContain(`${join(dir, "lock")}: shows that process ${holder.pid} is using ${dir}`);
    } finally {
      holder.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });
});
