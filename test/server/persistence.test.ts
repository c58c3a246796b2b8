/**
 * `dataDir`: what was written is there after a restart; a torn last record (a crash mid-append) is
 * dropped; every other kind of damage is a clear start-up error naming the file, and changes no file;
 * ids never become file names.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, DataFileError, ErrorCode, type Emulator, type StoredImage } from "../../src/server/index.js";
import { ACCOUNT, AUTH, envelope, expectFailure, IMAGES, T0, testClock } from "../support/emulator.js";

const API = `http://emulator.test/client/v4/accounts/${ACCOUNT}`;
let root: string;
let dir: string;
const clock = testClock();

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "imgmeta-persist-"));
  dir = join(root, "data");
});
afterEach(() => rm(root, { recursive: true, force: true }));

function call(emulator: Emulator, path: string, init: RequestInit = {}): Promise<Response> {
  return emulator.fetch(new Request(path.startsWith("http") ? path : `${API}${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } }));
}

function upload(emulator: Emulator, fields: Record<string, string>, file: Uint8Array = IMAGES.png): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([file as Uint8Array<ArrayBuffer>]), "f.bin");
  clock.advance(1000);
  return call(emulator, "/images/v1", { method: "POST", body: form });
}

/** Everything an emulator holds, as the API shows it, plus the bytes. */
async function everything(emulator: Emulator): Promise<unknown[]> {
  const store = await emulator.store();
  const images = [...store.all()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return Promise.all(images.map(async (image) => ({ ...image, bytes: await store.bytesOf(image).then((bytes) => (bytes ? [...bytes] : null)) })));
}

/** Every file under a directory, relative to it. */
async function files(under: string): Promise<string[]> {
  return (await readdir(under, { recursive: true })).sort();
}

describe("a data directory", () => {
  it("keeps uploads, drafts, completed uploads, edits and deletions across a restart", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    const hostile = ["...", ".hidden", "C:\\outside.png", "..\\..\\outside.png", "%2e%2e/%2e%2e/outside", "a/b/c.png", "images.log", "blobs"];
    for (const id of hostile) {
      const response = await upload(first, { id, metadata: JSON.stringify({ id, n: 1 }), creator: "alice" });
      expect(response.status, id).toBe(200);
    }
    expect((await upload(first, { metadata: '{"kind":"gif"}' }, IMAGES.gif)).status).toBe(200);
    const draft = (await envelope(await call(first, "/images/v2/direct_upload", { method: "POST", body: new FormData() }))).result as { id: string; uploadURL: string };
    const used = (await envelope(await call(first, "/images/v2/direct_upload", { method: "POST", body: new FormData() }))).result as { id: string; uploadURL: string };
    const done = new FormData();
    done.append("file", new Blob([IMAGES.svg]), "done.svg");
    expect((await first.fetch(new Request(used.uploadURL, { method: "POST", body: done }))).status).toBe(200);
    const patched = await call(first, `/images/v1/${encodeURIComponent("a/b/c.png")}`, {
      method: "PATCH",
      body: JSON.stringify({ metadata: { edited: true }, creator: "bob" }),
    });
    expect(patched.status).toBe(200);
    expect((await call(first, `/images/v1/${encodeURIComponent("blobs")}`, { method: "DELETE" })).status).toBe(200);

    const before = await everything(first);
    await first.close();

    // Nothing was written outside the directory, whatever the ids.
    expect(await files(root)).toEqual(["data", ...(await files(dir)).map((name) => join("data", name))].sort());
    const inside = await files(dir);
    expect(inside.filter((name) => !name.startsWith("blobs"))).toEqual(["images.log"]);
    for (const name of inside.filter((name) => name.startsWith("blobs/"))) expect(name).toMatch(/^blobs\/[0-9a-f]{64}$/);

    const second = createEmulator({ dataDir: dir, now: clock.now });
    expect(await everything(second)).toEqual(before);
    const shown = (await envelope(await call(second, `/images/v1/${encodeURIComponent(draft.id)}`))).result;
    expect(shown).toMatchObject({ id: draft.id, draft: true });
    // The draft's upload URL still works after the restart, once.
    const late = new FormData();
    late.append("file", new Blob([IMAGES.webp]), "late.webp");
    expect((await second.fetch(new Request(draft.uploadURL, { method: "POST", body: late }))).status).toBe(200);
    await second.close();
  });

  it("holds where the bytes are, not the bytes: they are read from blobs/ when served, and bytes changed underneath are a 500, never wrong bytes", async () => {
    const warnings: string[] = [];
    const first = createEmulator({ dataDir: dir, now: clock.now, seed: 5, onWarning: (message) => warnings.push(message) });
    expect((await upload(first, { id: "up.png" })).status).toBe(200);
    const store = await first.store();
    const held = [...store.all()];
    expect(held).toHaveLength(6);
    for (const image of held) expect(image.bytes instanceof Uint8Array, image.id).toBe(false);
    const image = store.get("up.png")!;
    expect(image.bytes).toEqual({ sha256: createHash("sha256").update(IMAGES.png).digest("hex"), size: IMAGES.png.length });
    // A PATCH keeps the record's blob.
    expect((await call(first, "/images/v1/up.png", { method: "PATCH", body: JSON.stringify({ metadata: { v: 2 } }) })).status).toBe(200);
    expect(store.get("up.png")!.bytes).toEqual(image.bytes);
    const served = await call(first, "/images/v1/up.png/blob");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(IMAGES.png);
    expect(served.headers.get("content-length")).toBe(String(IMAGES.png.length));

    const blob = join(dir, "blobs", (image.bytes as { sha256: string }).sha256);
    const altered = Uint8Array.from(IMAGES.png);
    altered[altered.length - 1] = altered[altered.length - 1]! ^ 1;
    await writeFile(blob, altered);
    await expectFailure(await call(first, "/images/v1/up.png/blob"), 500, [ErrorCode.internal]);
    expect(warnings.at(-1)).toContain(`${blob}: is corrupted (its bytes no longer match its hash)`);
    await first.close();
    // And the next start refuses the directory, naming the blob, as for any blob altered.
    const second = createEmulator({ dataDir: dir });
    await expect(second.ready).rejects.toThrow(`${blob}: is corrupted`);
    await second.close();
  });

  it("close() waits for the writes under way before it closes the data file", async () => {
    const emulator = createEmulator({ dataDir: dir, now: clock.now });
    await emulator.ready;
    const uploads = Array.from({ length: 20 }, (_, i) => upload(emulator, { id: `image-${i}` }));
    const closed = emulator.close();
    expect((await Promise.all(uploads)).map((response) => response.status)).toEqual(Array(20).fill(200));
    await closed;
    const reopened = createEmulator({ dataDir: dir });
    expect([...(await reopened.store()).all()]).toHaveLength(20);
    await reopened.close();
  });

  it("close() called twice at once: both wait for the writes under way", async () => {
    const emulator = createEmulator({ dataDir: dir, now: clock.now });
    await emulator.ready;
    const uploads = Array.from({ length: 10 }, (_, i) => upload(emulator, { id: `image-${i}` }));
    let closedTwice = false;
    const closings = [emulator.close(), emulator.close().then(() => (closedTwice = true))];
    await Promise.all(closings);
    expect(closedTwice).toBe(true);
    expect((await Promise.all(uploads)).map((response) => response.status)).toEqual(Array(10).fill(200));
    const reopened = createEmulator({ dataDir: dir });
    expect([...(await reopened.store()).all()]).toHaveLength(10);
    await reopened.close();
  });

  it("writes several changes at once (a seed) as one log line: a crash keeps all of them or none", async () => {
    const seeded = createEmulator({ dataDir: dir, seed: 5 });
    expect([...(await seeded.store()).all()]).toHaveLength(5);
    await seeded.close();
    const text = await readFile(log(), "utf8");
    expect(text.trimEnd().split("\n")).toHaveLength(1);
    await writeFile(log(), text.slice(0, Math.floor(text.length / 2))); // the crash cut the line
    const warnings: string[] = [];
    const reopened = createEmulator({ dataDir: dir, onWarning: (message) => warnings.push(message) });
    expect([...(await reopened.store()).all()]).toEqual([]);
    expect(warnings.join()).toContain("cut short by a crash");
    await reopened.close();
  });

  it("seeds demo images only into an empty store", async () => {
    const first = createEmulator({ dataDir: dir, seed: 20 });
    expect((await first.store()).listedCount).toBe(20);
    await first.close();
    const second = createEmulator({ dataDir: dir, seed: 20 });
    expect((await second.store()).listedCount).toBe(20);
    await second.close();
  });

  it("drops a torn last record (a crash mid-append) with a warning, and keeps the rest", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    expect((await upload(first, { id: "kept" })).status).toBe(200);
    await first.close();
    const log = join(dir, "images.log");
    const intact = (await stat(log)).size;
    await appendFile(log, '0badf00d {"t":"put","image":{"id":"half');

    const warnings: string[] = [];
    const second = createEmulator({ dataDir: dir, onWarning: (message) => warnings.push(message) });
    expect([...(await second.store()).all()].map((image) => image.id)).toEqual(["kept"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(log);
    // The torn bytes are gone, so the next append starts on a clean line.
    expect((await stat(log)).size).toBe(intact);
    expect((await upload(second, { id: "after" })).status).toBe(200);
    await second.close();
    const third = createEmulator({ dataDir: dir });
    expect([...(await third.store()).all()].map((image) => image.id).sort()).toEqual(["after", "kept"]);
    await third.close();
  });

  it("drops a zero-filled tail with no newline (what some file systems leave after a crash) like a torn record", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    for (const id of ["one", "two"]) expect((await upload(first, { id })).status).toBe(200);
    await first.close();
    await appendFile(join(dir, "images.log"), Buffer.alloc(4096));
    const warnings: string[] = [];
    const second = createEmulator({ dataDir: dir, onWarning: (message) => warnings.push(message) });
    expect([...(await second.store()).all()].map((image) => image.id).sort()).toEqual(["one", "two"]);
    expect(warnings).toEqual([expect.stringContaining(join(dir, "images.log"))]);
    await second.close();
  });

  /** Every file under the data directory with its bytes, to show a refused start changed nothing. */
  async function contents(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of await files(root)) {
      const path = join(root, name);
      if ((await stat(path)).isFile()) out[name] = (await readFile(path)).toString("base64");
    }
    return out;
  }

  const log = (): string => join(dir, "images.log");
  const firstBlob = async (): Promise<string> => join(dir, "blobs", (await readdir(join(dir, "blobs"))).sort()[0]!);
  const editLine = async (line: number, edit: (text: string) => string): Promise<void> => {
    const lines = (await readFile(log(), "utf8")).split("\n");
    lines[line - 1] = edit(lines[line - 1]!);
    await writeFile(log(), lines.join("\n"));
  };
  // Each does its damage and returns what the start-up error must say (the file, and the line for the log).
  const damage: [string, () => Promise<string>][] = [
    ["a record changed in the middle", async () => (await editLine(2, (text) => text.replace('"two"', '"tw0"')), `${log()}: line 2 is corrupted (checksum mismatch)`)],
    ["a record cut short in the middle", async () => (await editLine(2, (text) => text.slice(0, 40)), `${log()}: line 2 is corrupted`)],
    ["a line without a checksum", async () => (await editLine(1, (text) => text.slice(9)), `${log()}: line 1 is corrupted (no checksum)`)],
    ["a garbage line appended", async () => (await appendFile(log(), "garbage\n"), `${log()}: line 4 is corrupted`)],
    ["zeros and a newline appended", async () => (await appendFile(log(), Buffer.concat([Buffer.alloc(64), Buffer.from("\n")])), `${log()}: line 4 is corrupted`)],
    [
      "a checksummed line that is not a record",
      async () => {
        const json = '{"t":"put","image":{"id":5}}';
        await appendFile(log(), `${crc32(Buffer.from(json)).toString(16).padStart(8, "0")} ${json}\n`);
        return `${log()}: line 4 is corrupted (not a change record)`;
      },
    ],
    ["a truncated blob", async () => { const path = await firstBlob(); await writeFile(path, IMAGES.jpeg.subarray(0, 5)); return `${path}: is corrupted`; }],
    ["a missing blob", async () => { const path = await firstBlob(); await rm(path); return `${path}: cannot be read (ENOENT)`; }],
    [
      "a missing blob, with a torn last line (not cut away either)",
      async () => { await appendFile(log(), '0badf00d {"v":2,"n":4'); const path = await firstBlob(); await rm(path); return `${path}: cannot be read (ENOENT)`; },
    ],
    ["a blob that is a directory", async () => { const path = await firstBlob(); await rm(path); await mkdir(path); return `${path}: cannot be read (EISDIR)`; }],
    ["the log is a directory", async () => (await rm(log()), await mkdir(log()), `${log()}: cannot be read`)],
    ["the log is gone but the blobs are there", async () => (await rm(log()), `${log()}: is missing or empty, but`)],
    ["the log is emptied but the blobs are there", async () => (await writeFile(log(), ""), `${log()}: is missing or empty, but`)],
    ["the data directory is a file", async () => { await rm(dir, { recursive: true }); await writeFile(dir, "not a directory"); return join(dir, "blobs"); }],
  ];

  it.each(damage)("refuses to start on %s, naming the file, and changes no file", async (_, harm) => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    expect((await upload(first, { id: "one" }, IMAGES.jpeg)).status).toBe(200);
    expect((await upload(first, { id: "two" }, IMAGES.gif)).status).toBe(200);
    expect((await upload(first, { id: "three" }, IMAGES.webp)).status).toBe(200);
    await first.close();
    const expected = await harm();
    const before = await contents();

    const broken = createEmulator({ dataDir: dir });
    await expect(broken.ready).rejects.toThrow(expected);
    await expect(broken.listen({ port: 0 })).rejects.toThrow(expected);
    const response = await broken.fetch(new Request(`${API}/images/v1/stats`, { headers: AUTH }));
    expect(response.status).toBe(500);
    await broken.close();
    // Nothing was truncated, removed or rewritten: the other images are all still there to recover.
    expect(await contents()).toEqual(before);
  });
});

describe("a failure inside the emulator (issue 14, D6)", () => {
  it("is a plain 500 that names no path, the detail going to onWarning; nothing stored is lost", async () => {
    const warnings: string[] = [];
    const first = createEmulator({ dataDir: dir, now: clock.now, onWarning: (message) => warnings.push(message) });
    expect((await upload(first, { id: "kept" })).status).toBe(200);
    const blobs = join(dir, "blobs");
    await cp(blobs, join(root, "blobs-copy"), { recursive: true });
    await rm(blobs, { recursive: true }); // under the running emulator: the next blob cannot be written

    const failed = await upload(first, { id: "new" }, IMAGES.gif);
    const body = await expectFailure(failed, 500, [ErrorCode.internal]);
    expect(body.errors[0]!.message).toBe("Internal emulator error (the emulator's warnings have the details)");
    expect(JSON.stringify(body)).not.toContain(root);
    expect(warnings).toEqual([expect.stringMatching(/^internal error, answered with a 500: Error: ENOENT/)]);
    expect(warnings[0]).toContain(blobs);

    // The emulator goes on with what it had, and the failed write left nothing behind. The bytes are
    // read from blobs/ when served: while it is gone, a plain 500 (the detail, naming the blob, to onWarning).
    expect([...(await first.store()).all()].map((image) => image.id)).toEqual(["kept"]);
    const missing = await expectFailure(await call(first, "/images/v1/kept/blob"), 500, [ErrorCode.internal]);
    expect(JSON.stringify(missing)).not.toContain(root);
    expect(warnings[1]).toMatch(new RegExp(`^internal error, answered with a 500: DataFileError: ${blobs}/[0-9a-f]{64}: cannot be read \\(ENOENT\\)`));
    await cp(join(root, "blobs-copy"), blobs, { recursive: true });
    const served = await call(first, "/images/v1/kept/blob");
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(IMAGES.png);
    await first.close();
    const second = createEmulator({ dataDir: dir });
    expect([...(await second.store()).all()].map((image) => image.id)).toEqual(["kept"]);
    await second.close();
  });

  it("an emulator whose data could not be loaded answers a plain 500 that names no path", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "images.log"), "garbage\n");
    const broken = createEmulator({ dataDir: dir });
    await expect(broken.ready).rejects.toThrow(join(dir, "images.log"));
    const body = await expectFailure(await call(broken, "/images/v1/stats"), 500, [ErrorCode.internal]);
    expect(body.errors[0]!.message).toBe("The emulator's stored data could not be loaded; its start-up error says why");
    expect(JSON.stringify(body)).not.toContain(root);
    await broken.close();
  });
});

describe("a data directory that cannot be made", () => {
  it("is refused at once where it exists but takes no new entries (/proc/1, which once hung start-up)", async () => {
    const emulator = createEmulator({ dataDir: "/proc/1" });
    await expect(emulator.ready).rejects.toThrow(`${join("/proc/1", "blobs")}: cannot be created`);
    await emulator.close();
  });

  it("is made with its parents where they are missing", async () => {
    const deep = join(dir, "a", "b");
    const emulator = createEmulator({ dataDir: deep, now: clock.now });
    expect((await upload(emulator, { id: "deep" })).status).toBe(200);
    await emulator.close();
    expect(await readdir(deep)).toEqual(["blobs", "images.log"]);
  });
});

describe("DataFileError", () => {
  it("is what ready and listen() reject with, exported by imgmeta/server, its file the one at fault", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "images.log"), "garbage\n");
    const broken = createEmulator({ dataDir: dir });
    const error: unknown = await broken.ready.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).file).toBe(join(dir, "images.log"));
    expect((error as DataFileError).name).toBe("DataFileError");
    await expect(broken.listen({ port: 0 })).rejects.toBe(error);
    await broken.close();
  });
});

describe("one emulator per data directory", () => {
  const lockFile = () => join(dir, "lock");

  it("refuses a second emulator while the first one runs, and the first keeps everything", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    expect((await upload(first, { id: "kept" })).status).toBe(200);
    expect(await readFile(lockFile(), "utf8")).toBe(`${process.pid}\n`);

    const second = createEmulator({ dataDir: dir });
    await expect(second.ready).rejects.toThrow(`${lockFile()}: shows that another emulator in this process is using ${dir}`);
    await second.close();
    // The refused one took nothing away: the lock is still the first's, and so are the writes.
    expect(await readFile(lockFile(), "utf8")).toBe(`${process.pid}\n`);
    expect((await upload(first, { id: "after" })).status).toBe(200);
    await first.close();
    await expect(stat(lockFile())).rejects.toThrow(/ENOENT/);

    const third = createEmulator({ dataDir: dir });
    expect([...(await third.store()).all()].map((image) => image.id).sort()).toEqual(["after", "kept"]);
    await third.close();
  });

  it("refuses a directory another living process holds, naming it", async () => {
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(lockFile(), `${holder.pid}\n`);
      const emulator = createEmulator({ dataDir: dir });
      await expect(emulator.ready).rejects.toThrow(`shows that process ${holder.pid} is using ${dir}`);
      await emulator.close();
      expect(await readFile(lockFile(), "utf8")).toBe(`${holder.pid}\n`);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over a lock left by a process that died, or a lock file that holds no pid", async () => {
    const dead = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => dead.once("exit", resolve));
    for (const left of [`${dead.pid}\n`, "", "not a pid"]) {
      await mkdir(dir, { recursive: true });
      await writeFile(lockFile(), left);
      const emulator = createEmulator({ dataDir: dir, now: clock.now });
      expect((await upload(emulator, { id: `after-${left.length}` })).status).toBe(200);
      expect(await readFile(lockFile(), "utf8")).toBe(`${process.pid}\n`);
      await emulator.close();
    }
  });
});

describe("the log's lines, checked against each other", () => {
  const log = (): string => join(dir, "images.log");
  const readLines = async (): Promise<string[]> => (await readFile(log(), "utf8")).split("\n").slice(0, -1);
  const writeLines = (lines: readonly string[]): Promise<void> => writeFile(log(), lines.map((line) => `${line}\n`).join(""));

  /** The reproduction of issue 14, D4: four lines (upload keep, upload gone, PATCH keep to {"v":2}, DELETE gone). */
  async function fourLines(): Promise<string[]> {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    for (const id of ["keep", "gone"]) expect((await upload(first, { id, metadata: '{"v":1}' })).status).toBe(200);
    expect((await call(first, "/images/v1/keep", { method: "PATCH", body: JSON.stringify({ metadata: { v: 2 } }) })).status).toBe(200);
    expect((await call(first, "/images/v1/gone", { method: "DELETE" })).status).toBe(200);
    await first.close();
    const lines = await readLines();
    expect(lines).toHaveLength(4);
    return lines;
  }

  /** Starts on the log as it is, expects a refusal with `message`, and checks that no file changed. */
  async function expectRefused(message: string): Promise<void> {
    const before = await readFile(log());
    const broken = createEmulator({ dataDir: dir });
    await expect(broken.ready).rejects.toThrow(`${log()}: ${message}`);
    await broken.close();
    expect((await readFile(log())).equals(before)).toBe(true);
  }

  it("refuses lines 1, 2, 4 and a copy of line 1 (issue 14, D4), naming the file and line 3", async () => {
    const [one, two, , four] = await fourLines();
    await writeLines([one!, two!, four!, one!]);
    await expectRefused("line 3 is out of place: it was written as line 4");
  });

  it("refuses two lines swapped", async () => {
    const [one, two, three, four] = await fourLines();
    await writeLines([one!, three!, two!, four!]);
    await expectRefused("line 2 is out of place: it was written as line 3");
  });

  it("refuses a line repeated", async () => {
    const [one, two, three, four] = await fourLines();
    await writeLines([one!, two!, two!, three!, four!]);
    await expectRefused("line 3 is out of place: it was written as line 2");
  });

  it("refuses a line removed from the middle, or from the start", async () => {
    const [one, two, three, four] = await fourLines();
    await writeLines([one!, two!, four!]);
    await expectRefused("line 3 is out of place: it was written as line 4");
    await writeLines([two!, three!, four!]);
    await expectRefused("line 1 is out of place: it was written as line 2");
  });

  it("refuses a line from another log put in the place it had there (the chain of checksums)", async () => {
    const [one, two, three, four] = await fourLines();
    await rm(dir, { recursive: true });
    const [, otherTwo] = await fourLines(); // the same writes at other times: another line 2, also whole
    expect(otherTwo).not.toBe(two);
    await writeLines([one!, otherTwo!, three!, four!]);
    // Its number is right; what it was written after is not this log's line 1.
    await expectRefused("line 2 does not follow line 1: it was written after another line");
  });

  it.each([
    ["missing", ""],
    ["replaced by another byte", "x"],
    ["replaced by zeros", "\0".repeat(100)],
  ])("keeps a whole last line whose newline is %s (issue 14, D5), and restores the newline", async (_, instead) => {
    await fourLines();
    const text = await readFile(log(), "utf8");
    await writeFile(log(), text.slice(0, -1) + instead);
    const warnings: string[] = [];
    const second = createEmulator({ dataDir: dir, onWarning: (message) => warnings.push(message) });
    // The DELETE of line 4 holds: `gone` stays gone, and `keep` has its PATCH.
    expect([...(await second.store()).all()].map((image) => [image.id, image.meta])).toEqual([["keep", { v: 2 }]]);
    expect(warnings).toEqual([`${log()}: line 4 is whole (its checksum holds) but its newline was missing or damaged; kept it and restored the newline`]);
    expect(await readFile(log(), "utf8")).toBe(text);
    expect((await upload(second, { id: "after" })).status).toBe(200);
    await second.close();
    const third = createEmulator({ dataDir: dir });
    expect([...(await third.store()).all()].map((image) => image.id).sort()).toEqual(["after", "keep"]);
    await third.close();
  });

  it("refuses a whole last line without a newline that does not follow the one before", async () => {
    const [one, two, three] = await fourLines();
    await writeFile(log(), `${one}\n${two}\n${three}\n${one}`);
    await expectRefused("line 4 is out of place: it was written as line 1");
  });

  /** A line as the emulator wrote them before lines carried a number: `<crc32> <record>`. */
  const formatOneLine = (record: unknown): string => {
    const json = JSON.stringify(record);
    return `${crc32(Buffer.from(json)).toString(16).padStart(8, "0")} ${json}`;
  };
  const row = (id: string, meta: Record<string, unknown>) => ({
    id, customId: true, creator: null, meta, requireSignedURLs: false, uploaded: T0, draft: true,
    uploadExpires: null, filename: null, format: null, blob: null,
  });

  it("opens a log written in the older format (no line numbers), and rewrites it in the current one", async () => {
    await mkdir(dir, { recursive: true });
    await writeLines([
      formatOneLine({ t: "put", image: row("a", { n: 1 }) }),
      formatOneLine({ t: "batch", changes: [{ t: "put", image: row("b", { n: 2 }) }, { t: "put", image: row("c", { n: 3 }) }] }),
      formatOneLine({ t: "del", id: "c" }),
      formatOneLine({ t: "put", image: row("a", { n: 4 }) }),
    ]);
    const first = createEmulator({ dataDir: dir, now: clock.now });
    expect([...(await first.store()).all()].map((image) => [image.id, image.meta]).sort()).toEqual([["a", { n: 4 }], ["b", { n: 2 }]]);
    expect((await upload(first, { id: "d" })).status).toBe(200);
    await first.close();
    const lines = await readLines();
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^[0-9a-f]{8} \\{"v":2,"n":${i + 1},"prev":"`)));
    const second = createEmulator({ dataDir: dir });
    expect([...(await second.store()).all()].map((image) => image.id).sort()).toEqual(["a", "b", "d"]);
    await second.close();
  });

  it("refuses a log whose lines mix the two formats", async () => {
    const [one, two] = await fourLines();
    await writeLines([one!, two!, formatOneLine({ t: "del", id: "keep" })]);
    await expectRefused("line 3 is in log format 1, but line 1 is in format 2: lines were mixed in from another log");
  });

  it("refuses a line in a format a newer imgmeta wrote, saying so", async () => {
    const [one, two] = await fourLines();
    const json = JSON.stringify({ v: 3, n: 3, prev: "", record: {} });
    await writeLines([one!, two!, `${crc32(Buffer.from(json)).toString(16).padStart(8, "0")} ${json}`]);
    await expectRefused("line 3 is in log format 3, which a newer imgmeta wrote; this one reads formats 1 and 2");
  });

  it("cannot tell whole lines cut off the end from writes that never happened (as the README says)", async () => {
    const [one, two] = await fourLines();
    await writeLines([one!, two!]);
    const cut = createEmulator({ dataDir: dir });
    expect([...(await cut.store()).all()].map((image) => [image.id, image.meta]).sort()).toEqual([["gone", { v: 1 }], ["keep", { v: 1 }]]);
    await cut.close();
  });
});

describe("compaction at start-up", () => {
  const log = (): string => join(dir, "images.log");
  /** `count` images whose metadata and bytes carry `round`, so that each round replaces the last. */
  const images = (count: number, round: number): StoredImage[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `image-${i}`,
      customId: true,
      creator: null,
      meta: { round, i },
      requireSignedURLs: false,
      uploaded: Date.UTC(2026, 0, 1) + i,
      draft: false,
      uploadExpires: null,
      filename: `image-${i}.png`,
      format: "png",
      bytes: Uint8Array.from([...IMAGES.png, round, i % 256]),
    }));
  const lines = async () => (await readFile(log(), "utf8")).trimEnd().split("\n").length;

  it("rewrites a log that is mostly replaced and deleted images, keeping exactly the live ones", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    for (let round = 1; round <= 3; round++) await first.addImages(images(150, round));
    for (const id of ["image-0", "image-1"]) expect((await call(first, `/images/v1/${id}`, { method: "DELETE" })).status).toBe(200);
    const before = await everything(first);
    await first.close();
    expect(await lines()).toBe(5); // three batches and two deletions: 452 changes for 148 images
    const blobsBefore = (await readdir(join(dir, "blobs"))).length;

    const second = createEmulator({ dataDir: dir, now: clock.now });
    expect(await everything(second)).toEqual(before);
    expect(await lines()).toBe(148);
    // The blobs of replaced and deleted images went before the log that mentioned them.
    expect((await readdir(join(dir, "blobs"))).length).toBe(148);
    expect(blobsBefore).toBeGreaterThan(148);
    expect((await upload(second, { id: "later" })).status).toBe(200);
    const after = await everything(second);
    await second.close();

    const third = createEmulator({ dataDir: dir });
    expect(await everything(third)).toEqual(after);
    expect(await lines()).toBe(149);
    await third.close();
    expect(await readdir(dir)).toEqual(["blobs", "images.log"]);
  });

  it("leaves a log alone while most of it is live", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    await first.addImages(images(150, 1));
    await first.addImages(images(150, 2)); // 150 replaced: not more than the 150 live
    await first.close();
    const text = await readFile(log(), "utf8");
    const second = createEmulator({ dataDir: dir });
    await second.ready;
    await second.close();
    expect(await readFile(log(), "utf8")).toBe(text);
  });

  it("a compaction cut short by a crash leaves the old log whole, and its leftover file is removed", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    await first.addImages(images(10, 1));
    const before = await everything(first);
    await first.close();
    const text = await readFile(log(), "utf8");
    await writeFile(`${log()}.compacting`, text.slice(0, text.length >> 1)); // the crash came mid-write

    const second = createEmulator({ dataDir: dir });
    expect(await everything(second)).toEqual(before);
    await second.close();
    expect(await readFile(log(), "utf8")).toBe(text);
    expect(await readdir(dir)).toEqual(["blobs", "images.log"]);
  });
});
