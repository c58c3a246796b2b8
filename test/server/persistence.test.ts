/**
 * `dataDir`: what was written is there after a restart; a torn last record (a crash mid-append) is
 * dropped; corrupted data is a clear start-up error naming the file; ids never become file names.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, appendFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/server/index.js";
import { ACCOUNT, AUTH, envelope, IMAGES, testClock } from "../support/emulator.js";

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
  return [...store.all()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((image) => ({ ...image, bytes: image.bytes ? [...image.bytes] : null }));
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

  it("refuses to start on a corrupted record, naming the file and line", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    for (const id of ["one", "two", "three"]) expect((await upload(first, { id })).status).toBe(200);
    await first.close();
    const log = join(dir, "images.log");
    const lines = (await readFile(log, "utf8")).split("\n");
    lines[1] = lines[1]!.replace('"two"', '"tw0"');
    await writeFile(log, lines.join("\n"));

    const broken = createEmulator({ dataDir: dir });
    await expect(broken.ready).rejects.toThrow(`${log}: line 2 is corrupted (checksum mismatch)`);
    await expect(broken.listen({ port: 0 })).rejects.toThrow(log);
    const response = await broken.fetch(new Request(`${API}/images/v1/stats`, { headers: AUTH }));
    expect(response.status).toBe(500);
    await broken.close();
  });

  it("refuses to start when an image's bytes are truncated or missing, naming the file", async () => {
    const first = createEmulator({ dataDir: dir, now: clock.now });
    expect((await upload(first, { id: "img" }, IMAGES.jpeg)).status).toBe(200);
    await first.close();
    const [blob] = await readdir(join(dir, "blobs"));
    const path = join(dir, "blobs", blob!);
    await writeFile(path, IMAGES.jpeg.subarray(0, 5));
    await expect(createEmulator({ dataDir: dir }).ready).rejects.toThrow(`${path}: is corrupted`);
    await rm(path);
    await expect(createEmulator({ dataDir: dir }).ready).rejects.toThrow(`${path}: cannot be read`);
  });
});
