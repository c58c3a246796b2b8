/**
 * Seeds from a file or a list (`seedFile`, `seed: [...]`, `imgmeta serve --seed-file`): images as List V2
 * shows them, placeholder PNGs where no bytes are given, a bad entry named (index, id, field) with
 * nothing stored, and `reset({ to: "seed" })` going back to it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, RecordError, type Emulator, type SeedImage } from "../../src/server/index.js";
import { PLACEHOLDER_SIZE, placeholderColour, placeholderPng } from "../../src/server/placeholder.js";
import { ACCOUNT, AUTH, IMAGES } from "../support/emulator.js";

const API = `http://emulator.test/client/v4/accounts/${ACCOUNT}`;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "imgmeta-seed-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const get = (emulator: Emulator, path: string): Promise<Response> => emulator.fetch(new Request(path.startsWith("http") ? path : `${API}${path}`, { headers: AUTH }));

async function listed(emulator: Emulator, query = ""): Promise<Record<string, unknown>[]> {
  const response = await get(emulator, `/images/v2?sort_order=asc${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { images: Record<string, unknown>[] } }).result.images;
}

/** The chunks of a PNG, each checked against its CRC-32 (node:zlib's, not the module's own). */
function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const bytes = Buffer.from(png);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), type).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    out.push({ type, data });
    at += 12 + length;
  }
  return out;
}

const SEED: SeedImage[] = [
  { id: "cats/tom.png", creator: "alice", meta: { status: "active", n: 1 }, filename: "tom.png", uploaded: "2026-01-02T03:04:05.678Z", requireSignedURLs: false },
  { id: "0b3f6a3e-0d8d-4a7e-9c39-1b7a2c3d4e5f", creator: null, meta: { status: "pending" }, uploaded: "2026-01-03T00:00:00Z", requireSignedURLs: true },
  { id: "with-bytes", meta: {}, uploaded: "2026-01-04T00:00:00+02:00", bytes: Buffer.from(IMAGES.gif).toString("base64") },
  {
    id: "from-a-list",
    uploaded: "2026-01-05T00:00:00Z",
    variants: ["https://imagedelivery.net/x/from-a-list/public"],
  },
];

describe("placeholder images", () => {
  it("are valid PNGs (signature, IHDR, zlib IDAT, IEND, every CRC) of one colour derived from the id", () => {
    const png = placeholderPng("cats/tom.png");
    const parsed = chunks(png);
    expect(parsed.map((chunk) => chunk.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const header = parsed[0]!.data;
    expect([header.readUInt32BE(0), header.readUInt32BE(4), ...header.subarray(8)]).toEqual([PLACEHOLDER_SIZE, PLACEHOLDER_SIZE, 8, 2, 0, 0, 0]);
    // node:zlib's inflater reads the hand-written stream (header, stored block, Adler-32).
    const raw = inflateSync(parsed[1]!.data);
    const row = 1 + PLACEHOLDER_SIZE * 3;
    expect(raw.length).toBe(row * PLACEHOLDER_SIZE);
    const colour = placeholderColour("cats/tom.png");
    for (let y = 0; y < PLACEHOLDER_SIZE; y++) {
      expect(raw[y * row]).toBe(0); // filter: none
      for (let x = 0; x < PLACEHOLDER_SIZE; x++) expect([...raw.subarray(y * row + 1 + x * 3, y * row + 4 + x * 3)]).toEqual([...colour]);
    }
    expect(parsed[2]!.data.length).toBe(0);
  });

  it("differ in colour from id to id, and are the same for the same id", () => {
    const colours = new Set(Array.from({ length: 200 }, (_, i) => placeholderColour(`image-${i}`).join(",")));
    expect(colours.size).toBeGreaterThan(190);
    expect(placeholderPng("same")).toEqual(placeholderPng("same"));
  });
});

describe("a seed", () => {
  it("from a file: images listed as given, bytes given or a placeholder, delivered", async () => {
    const file = join(dir, "images.json");
    await writeFile(file, JSON.stringify(SEED));
    const emulator = createEmulator({ seedFile: file });
    await emulator.ready;
    const images = await listed(emulator);
    expect(images.map((image) => image["id"])).toEqual(SEED.map((image) => image.id));
    expect(images[0]).toMatchObject({ creator: "alice", meta: { status: "active", n: 1 }, filename: "tom.png", uploaded: "2026-01-02T03:04:05.678Z", requireSignedURLs: false });
    expect(images[1]).toMatchObject({ creator: null, requireSignedURLs: true, filename: "image.png" });
    expect(images[2]).toMatchObject({ uploaded: "2026-01-03T22:00:00.000Z", filename: "image.gif", creator: null });
    // Variants are the emulator's own, whatever the seed said.
    expect(images[3]!["variants"]).toEqual([expect.stringMatching(/^http:\/\/emulator\.test\/imagedelivery\/.*\/from-a-list\/public$/), expect.any(String)]);

    const placeholder = await get(emulator, `/images/v1/${encodeURIComponent("cats/tom.png")}/blob`);
    expect(placeholder.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await placeholder.arrayBuffer())).toEqual(placeholderPng("cats/tom.png"));
    const given = await get(emulator, `${(images[2]!["variants"] as string[])[0]}`);
    expect(new Uint8Array(await given.arrayBuffer())).toEqual(IMAGES.gif);
    // A custom id cannot require signed URLs; a UUID is an id the API made, which can.
    expect((await emulator.store()).get("cats/tom.png")!.customId).toBe(true);
    expect((await emulator.store()).get(SEED[1]!.id)!.customId).toBe(false);
    await emulator.close();
  });

  it("takes a List V2 answer as it is: what one emulator lists seeds another alike", async () => {
    const first = createEmulator({ seed: 30 });
    const answer = await (await get(first, "/images/v2?per_page=100")).json();
    const file = join(dir, "answer.json");
    await writeFile(file, JSON.stringify(answer));
    const second = createEmulator({ seedFile: file });
    const strip = (images: Record<string, unknown>[]) => images.map(({ variants: _, ...rest }) => rest);
    expect(strip(await listed(second))).toEqual(strip(await listed(first)));
    // Its `result` alone, or the array, as well.
    const third = createEmulator({ seed: (answer as { result: { images: SeedImage[] } }).result.images });
    expect(strip(await listed(third))).toEqual(strip(await listed(first)));
  });

  it("refuses a bad entry by index, id and field, and stores nothing of the seed", async () => {
    const good = { id: "good", meta: { a: 1 } };
    const cases: [unknown, number | undefined, string | undefined, RegExp][] = [
      [[good, "text"], 1, undefined, /entry 1: is not an object/],
      [[good, { meta: {} }], 1, "id", /id is required/],
      [[good, { id: "x", metadata: {} }], 1, "metadata", /List V2 calls it meta/],
      [[good, { id: "x", draft: true }], 1, "draft", /is not a field of an image/],
      [[good, { id: "x", meta: [] }], 1, "meta", /metadata must be a JSON object/],
      [[good, { id: "x", meta: { big: "x".repeat(2000) } }], 1, "meta", /1024/],
      [[good, { id: "x", creator: 5 }], 1, "creator", /creator must be a string or null/],
      [[good, { id: "x", creator: "c".repeat(1025) }], 1, "creator", /at most 1024/],
      [[good, { id: "x", uploaded: "yesterday" }], 1, "uploaded", /RFC 3339/],
      [[good, { id: "x", uploaded: "2026-01-01T00:00:00" }], 1, "uploaded", /RFC 3339/], // no offset
      [[good, { id: "x", requireSignedURLs: "yes" }], 1, "requireSignedURLs", /true or false/],
      [[good, { id: "custom", requireSignedURLs: true }], 1, "requireSignedURLs", /custom id cannot require signed URLs/],
      [[good, { id: "/lead" }], 1, "id", /must not start or end with a \//],
      [[good, { id: "a/../b" }], 1, "id", /path segment/],
      [[good, { id: "x", filename: "f".repeat(256) }], 1, "filename", /at most 255/],
      [[good, { id: "x", bytes: "not base64!" }], 1, "bytes", /base64/],
      [[good, { id: "x", bytes: Buffer.from("hello").toString("base64") }], 1, "bytes", /must be an image/],
      [[good, { id: "x", variants: "public" }], 1, "variants", /array of strings/],
      [[good, { id: "good" }], 1, "id", /entry 0 has this id too/],
      [{ images: "nope" }, undefined, undefined, /a seed is a JSON array/],
    ];
    for (const [seed, entry, field, message] of cases) {
      const emulator = createEmulator({ seed: seed as SeedImage[] });
      const error = await emulator.ready.then(
        () => undefined,
        (e: unknown) => e,
      );
      const label = JSON.stringify(seed).slice(0, 100);
      expect(error, label).toBeInstanceOf(RecordError);
      const record = error as RecordError;
      expect(record.entry, label).toBe(entry);
      expect(record.field, label).toBe(field);
      expect(record.message, label).toMatch(message);
      if (entry !== undefined) expect(record.message, label).toContain(`entry ${entry}`);
      if (field !== undefined) expect(record.message, label).toContain(`field ${JSON.stringify(field)}`);
      if (typeof (seed as { id?: unknown }[])[1]?.id === "string") expect(record.id, label).toBe((seed as { id: string }[])[1]!.id);
      // Nothing half-loaded: the emulator answers that its data could not be loaded, and holds nothing.
      expect((await get(emulator, "/images/v2")).status).toBe(500);
      await emulator.close();
    }
  });

  it("names the file when it cannot be read or is not JSON, and the entry when one is bad", async () => {
    const missing = createEmulator({ seedFile: join(dir, "missing.json") });
    await expect(missing.ready).rejects.toThrow(`${join(dir, "missing.json")}: cannot be read (ENOENT)`);
    const broken = join(dir, "broken.json");
    await writeFile(broken, "[{");
    await expect(createEmulator({ seedFile: broken }).ready).rejects.toThrow(`${broken}: is not JSON`);
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify([{ id: "a" }, { id: "b" }, { id: "c", meta: { x: 1 }, creator: 7 }]));
    await expect(createEmulator({ seedFile: bad }).ready).rejects.toThrow(`${bad}: entry 2 (id "c"), field "creator": creator must be a string or null`);
  });

  it("seeds an empty data directory once, is checked at every start, and is where reset({ to: 'seed' }) goes back to", async () => {
    const file = join(dir, "images.json");
    await writeFile(file, JSON.stringify(SEED));
    const data = join(dir, "data");
    const first = createEmulator({ seedFile: file, dataDir: data });
    await first.ready;
    await first.fetch(new Request(`${API}/images/v1/with-bytes`, { method: "DELETE", headers: AUTH }));
    await first.close();

    const second = createEmulator({ seedFile: file, dataDir: data });
    // Not seeded again: the deletion stands.
    expect((await listed(second)).map((image) => image["id"])).toEqual(SEED.filter((image) => image.id !== "with-bytes").map((image) => image.id));
    expect(await second.reset({ to: "seed" })).toEqual({ images: SEED.length });
    expect((await listed(second)).map((image) => image["id"])).toEqual(SEED.map((image) => image.id));
    await second.close();

    // A seed file that went bad refuses the start, even though the store would not be seeded.
    await writeFile(file, JSON.stringify([{ id: "z", meta: "no" }]));
    const third = createEmulator({ seedFile: file, dataDir: data });
    await expect(third.ready).rejects.toThrow(RecordError);
    await third.close();
  });

  it("loads the README's example seed file as it is written there", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### Seed files"));
    const example = /```json\n([\s\S]*?)```/.exec(section)![1]!;
    const file = join(dir, "images.json");
    await writeFile(file, example);
    const emulator = createEmulator({ seedFile: file });
    const images = await listed(emulator);
    expect(images.map((image) => image["id"])).toEqual(["cats/tom.png", "2cdc28f0-017a-49c4-9ed7-87056c83901b"]);
    expect(images[1]).toMatchObject({ requireSignedURLs: true, filename: "dot.png" });
    await emulator.close();
  });

  it("refuses seed and seedFile together", () => {
    expect(() => createEmulator({ seed: 3, seedFile: "x.json" })).toThrow(TypeError);
  });
});
