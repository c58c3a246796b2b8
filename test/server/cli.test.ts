/**
 * `serve` flags: parsed strictly; a bad flag is one line on stderr and exit code 2 (no stack trace);
 * corrupted data, or a data directory in use, is one line and exit code 1; by `npm start` and by the
 * `imgmeta` executable alike.
 */
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readme } from "../support/readme.js";
import { serve, type Serving } from "../support/serve.js";
import { banner, DEFAULT_SEED, emulatorOptions, parseServeArgs, requestPrinter, SERVE_HELP, startFailure, UsageError } from "../../src/server/cli.js";

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
    expect(parseServeArgs([])).toEqual({
      port: 8787,
      host: "127.0.0.1",
      dataDir: undefined,
      token: undefined,
      seed: DEFAULT_SEED,
      seedFile: undefined,
      accountId: undefined,
      listCap: true,
      faults: [],
      faultFile: undefined,
      faultSeed: undefined,
      log: "text",
    });
  });

  it("reads every flag; a data directory starts unseeded unless asked", () => {
    expect(
      parseServeArgs([
        ...["--port", "0", "--host", "::1", "--data", "d", "--token", "t0k", "--account", "acc", "--seed-file", "images.json"],
        ...["--fault", "list:429:0.2:retry-after=1", "--fault", "upload-url:415", "--fault-file", "faults.json", "--fault-seed", "42", "--log", "json"],
      ]),
    ).toEqual({
      port: 0,
      host: "::1",
      dataDir: "d",
      token: "t0k",
      seed: 0,
      seedFile: "images.json",
      accountId: "acc",
      listCap: true,
      faults: [
        { route: "list", status: 429, probability: 0.2, retryAfter: 1 },
        { route: "upload-url", status: 415 },
      ],
      faultFile: "faults.json",
      faultSeed: 42,
      log: "json",
    });
    expect(parseServeArgs(["--quiet"]).log).toBe("none");
    expect(parseServeArgs(["--seed-file", "images.json"]).seed).toBe(0);
    expect(parseServeArgs(["--no-list-cap"]).listCap).toBe(false);
    expect(parseServeArgs(["--data", "d", "--seed", "50"]).seed).toBe(50);
    expect(parseServeArgs(["--port=9000"]).port).toBe(9000);
  });

  it("refuses bad flags with a UsageError", () => {
    for (const args of [["--bogus"], ["--port"], ["--port", "abc"], ["--port", "70000"], ["--seed", "-1"], ["--token", "has space"], ["--data", ""], ["extra"], ["--no-list-cap=1"],
      ["--seed", "3", "--seed-file", "f.json"], ["--seed-file", ""], ["--log", "xml"], ["--log", "json", "--quiet"], ["--quiet=yes"],
      ["--fault", "list"], ["--fault", "nowhere:500"], ["--fault", "list:200"], ["--fault", "list:429:2"], ["--fault", "list:429:0.5:0.5"],
      ["--fault", "list:429:bogus=1"], ["--fault", "list:delay"], ["--fault", "list:429:retry-after=soon"], ["--fault-seed", "-1"], ["--fault-seed", String(2 ** 32)]]) {
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
  it.each(ENTRIES)("%s exits 2 with one line and no stack trace on bad flags, naming the flag meant by a mistyped one", { timeout: 20_000 }, async (name, entry) => {
    const results = await Promise.all([run(["--port", "abc"], entry), run(["--prot", "9000"], entry)]);
    for (const { code, stdout, stderr } of results) {
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^imgmeta serve: /);
      expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
    }
    // The help to look at, as the user gives flags.
    expect(results[1]!.stderr).toBe(`imgmeta serve: unknown flag --prot; did you mean --port? (${name === "npm start" ? "npm start --" : "imgmeta serve"} --help lists the flags)\n`);
  });

  it.each(ENTRIES)("%s says which flag to give when the port is in use", { timeout: 20_000 }, async (name, entry) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const { code, stdout, stderr } = await run(["--port", String(port), "--seed", "0"], entry);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      const invocation = name === "npm start" ? "npm start --" : "imgmeta serve";
      expect(stderr).toBe(
        `imgmeta serve: cannot start: port ${port} on 127.0.0.1 is in use (another emulator?); choose another: ${invocation} --port ${port + 1} (or --port 0 for any free port)\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it.each(ENTRIES)("%s --help prints every flag and exits 0 without starting", { timeout: 20_000 }, async (_, entry) => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout, stderr } = await run([flag], entry);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      expect(stdout).toBe(`${SERVE_HELP}\n`);
      for (const option of ["--port", "--host", "--data", "--token", "--seed", "--seed-file", "--account", "--no-list-cap", "--fault", "--fault-file", "--fault-seed", "--log", "--quiet"]) expect(stdout).toContain(`  ${option} `);
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

/** The lines printed after the banner (which ends with the curl example). */
function requestLines(stdout: string): string[] {
  const lines = stdout.trimEnd().split("\n");
  return lines.slice(lines.findIndex((line) => line.trimStart().startsWith("curl ")) + 1);
}

describe("serve's request log, seed file and faults", () => {
  const auth = { authorization: "Bearer anything" };

  it("prints one line per request: method, path with the filter decoded, status, milliseconds", { timeout: 30_000 }, async () => {
    const serving = await serve(["--seed", "5"]);
    try {
      expect((await fetch(`${serving.url}/client/v4/accounts/acc/images/v2?meta.status%5Beq%3Astring%5D=in%20review&per_page=10`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${serving.url}/client/v4/accounts/acc/images/v1/nope`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${serving.url}/_imgmeta/requests`)).status).toBe(200);
    } finally {
      const lines = requestLines(await serving.stop());
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^GET \/client\/v4\/accounts\/acc\/images\/v2\?meta\.status\[eq:string\]=in review&per_page=10 200 \d+\.\d\d ms$/);
      expect(lines[1]).toMatch(/^GET \/client\/v4\/accounts\/acc\/images\/v1\/nope 404 \d+\.\d\d ms$/);
      expect(lines[2]).toMatch(/^GET \/_imgmeta\/requests 200 \d+\.\d\d ms$/);
    }
  });

  it("prints JSON lines with --log json, and nothing with --quiet", { timeout: 30_000 }, async () => {
    const json = await serve(["--log", "json", "--fault", "stats:503:times=1"]);
    const quiet = await serve(["--quiet"]);
    try {
      expect((await fetch(`${json.url}/client/v4/accounts/acc/images/v1/stats`, { headers: auth })).status).toBe(503);
      expect((await fetch(`${json.url}/client/v4/accounts/acc/images/v1/stats`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${quiet.url}/client/v4/accounts/acc/images/v1/stats`, { headers: auth })).status).toBe(200);
    } finally {
      const records = requestLines(await json.stop()).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records).toEqual([
        { time: expect.any(String), method: "GET", path: "/client/v4/accounts/acc/images/v1/stats", status: 503, ms: expect.any(Number), fault: "stats:503" },
        { time: expect.any(String), method: "GET", path: "/client/v4/accounts/acc/images/v1/stats", status: 200, ms: expect.any(Number) },
      ]);
      expect(json.output()).toContain("faults: 1 in force (seed ");
      expect(requestLines(await quiet.stop())).toEqual([]);
    }
  });

  it("seeds from --seed-file, takes faults from --fault-file under --fault-seed, and has the admin routes", { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "imgmeta-cli-"));
    let serving: Serving | undefined;
    try {
      await writeFile(join(dir, "images.json"), JSON.stringify([{ id: "one", meta: { n: 1 } }, { id: "two", creator: "bob" }]));
      await writeFile(join(dir, "faults.json"), JSON.stringify({ seed: 5, faults: ["list:429:retry-after=2:times=1"] }));
      serving = await serve(["--seed-file", join(dir, "images.json"), "--fault-file", join(dir, "faults.json"), "--fault-seed", "77", "--fault", "get:500:times=1"]);
      expect(serving.output()).toContain(`seeded from ${join(dir, "images.json")} when empty`);
      const faults = (await (await fetch(`${serving.url}/_imgmeta/faults`)).json()) as { result: { seed: number; faults: { route: string }[] } };
      // --fault first, then the file's; --fault-seed wins over the file's seed.
      expect(faults.result.seed).toBe(77);
      expect(faults.result.faults.map((fault) => fault.route)).toEqual(["get", "list"]);
      const limited = await fetch(`${serving.url}/client/v4/accounts/acc/images/v2`, { headers: auth });
      expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "2"]);
      const page = (await (await fetch(`${serving.url}/client/v4/accounts/acc/images/v2?sort_order=asc`, { headers: auth })).json()) as { result: { images: { id: string }[] } };
      expect(page.result.images.map((image) => image.id).sort()).toEqual(["one", "two"]);
      expect((await (await fetch(`${serving.url}/_imgmeta/reset`, { method: "POST" })).json()) as unknown).toMatchObject({ result: { images: 0 } });
    } finally {
      await serving?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 naming the entry and field of a bad seed file, and 2 for a bad fault file", { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "imgmeta-cli-"));
    try {
      await writeFile(join(dir, "images.json"), JSON.stringify([{ id: "one" }, { id: "two", meta: "x" }]));
      await writeFile(join(dir, "faults.json"), JSON.stringify(["list:429", { route: "list" }]));
      const [seed, faults, missing] = await Promise.all([
        run(["--seed-file", join(dir, "images.json"), "--port", "0"], ENTRIES[1][1]),
        run(["--fault-file", join(dir, "faults.json"), "--port", "0"], ENTRIES[1][1]),
        run(["--fault-file", join(dir, "none.json"), "--port", "0"], ENTRIES[1][1]),
      ]);
      expect(seed.code).toBe(1);
      expect(seed.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(seed.stderr).toContain(`cannot start: ${join(dir, "images.json")}: entry 1 (id "two"), field "meta": meta: metadata must be a JSON object`);
      expect(faults.code).toBe(2);
      expect(faults.stderr).toContain(`--fault-file ${join(dir, "faults.json")}: fault 1: a fault needs a status`);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("cannot be read (ENOENT)");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("startFailure", () => {
  const options = parseServeArgs(["--port", "80", "--host", "10.9.9.9"]);
  const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  it("says which flag to give for a port that needs privileges or an address not of this machine", () => {
    expect(startFailure(failure("EACCES"), options, "npm start --")).toBe(
      "port 80 on 10.9.9.9 needs privileges this process lacks; choose another: npm start -- --port 8787 (or --port 0 for any free port)",
    );
    expect(startFailure(failure("EADDRNOTAVAIL"), options, "imgmeta serve")).toBe("10.9.9.9 is not an address of this machine; choose another: imgmeta serve --host 127.0.0.1");
    expect(startFailure(new Error("images.log: damaged"), options, "imgmeta serve")).toBe("images.log: damaged");
  });

  it("is what the README shows for npm start on a port in use", () => {
    const line = `imgmeta serve: cannot start: ${startFailure(failure("EADDRINUSE"), parseServeArgs([]), "npm start --")}`;
    expect(line).toContain("npm start -- --port 8788");
    expect(readme(ROOT).split("\n")).toContain(line);
  });
});

describe("emulatorOptions", () => {
  it("hands every flag to the emulator", () => {
    const options = emulatorOptions(
      parseServeArgs(["--token", "t", "--account", "a", "--data", "d", "--seed", "4", "--no-list-cap", "--fault", "list:503", "--fault-seed", "3", "--quiet"]),
      { faults: [{ route: "get", status: 500 }], seed: 9 },
    );
    expect(options).toEqual({
      token: "t",
      accountId: "a",
      seed: 4,
      seedFile: undefined,
      dataDir: "d",
      listCap: false,
      faults: [{ route: "list", status: 503 }, { route: "get", status: 500 }],
      faultSeed: 3,
    });
    expect(emulatorOptions(parseServeArgs([]), { faults: [], seed: 9 })).toMatchObject({ listCap: true, faultSeed: 9, onRequest: expect.any(Function) });
  });

  it("prints a record as text or JSON", () => {
    const lines: string[] = [];
    const record = { time: "2026-01-01T00:00:00.000Z", method: "GET", path: "/p?a=b c", status: 200, ms: 1.234 };
    requestPrinter("text", (line) => lines.push(line))(record);
    requestPrinter("json", (line) => lines.push(line))({ ...record, fault: "list:503" });
    expect(lines).toEqual(["GET /p?a=b c 200 1.23 ms\n", `${JSON.stringify({ ...record, fault: "list:503" })}\n`]);
  });
});
