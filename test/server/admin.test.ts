/**
 * The admin routes under `/_imgmeta/` and the emulator methods behind them: reset (empty, or back to the
 * seed), export and import of the whole store (a versioned format: a file written by version 1 is read),
 * the recent requests (a bounded ring), guarded by the API's token when one is set.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, ErrorCode, EXPORT_VERSION, RecordError, type Emulator, type EmulatorOptions } from "../../src/server/index.js";
import { ACCOUNT, AUTH, envelope, expectFailure, form, IMAGES, T0, testClock } from "../support/emulator.js";

const BASE = "http://emulator.test";
const API = `${BASE}/client/v4/accounts/${ACCOUNT}`;
const FIXTURE = new URL("../fixtures/store-v1.jsonl", import.meta.url);
const clock = testClock();
let root: string;
const open: Emulator[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "imgmeta-admin-"));
  clock.set(T0);
});
afterEach(async () => {
  for (const emulator of open.splice(0)) await emulator.close();
  await rm(root, { recursive: true, force: true });
});

function make(options: EmulatorOptions = {}): Emulator {
  const emulator = createEmulator({ now: clock.now, ...options });
  open.push(emulator);
  return emulator;
}

function call(emulator: Emulator, path: string, init: RequestInit = {}, headers: Record<string, string> = AUTH): Promise<Response> {
  return emulator.fetch(new Request(path.startsWith("http") ? path : `${API}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } }));
}

function admin(emulator: Emulator, path: string, init: RequestInit = {}, headers: Record<string, string> = {}): Promise<Response> {
  return emulator.fetch(new Request(`${BASE}/_imgmeta${path}`, { ...init, headers }));
}

/** Everything stored, as records with their bytes, sorted by id. */
async function contents(emulator: Emulator): Promise<unknown[]> {
  const store = await emulator.store();
  const all = [...store.all()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return Promise.all(all.map(async (image) => ({ ...image, bytes: [...((await store.bytesOf(image)) ?? [])] })));
}

/** A store with a bit of everything: uploads with and without custom ids, a completed direct upload, a draft. */
async function populate(emulator: Emulator): Promise<{ draftUrl: string }> {
  for (const [id, file] of [["folder/a.png", IMAGES.png], ["b.svg", IMAGES.svg]] as const) {
    clock.advance(1000);
    expect((await call(emulator, "/images/v1", { method: "POST", body: form({ id, metadata: JSON.stringify({ id, n: 1 }), creator: "alice", file: [file, id] }) })).status).toBe(200);
  }
  clock.advance(1000);
  expect((await call(emulator, "/images/v1", { method: "POST", body: form({ file: [IMAGES.jpeg, "c.jpg"] }) })).status).toBe(200);
  const draft = (await envelope(await call(emulator, "/images/v2/direct_upload", { method: "POST", body: form({ metadata: '{"kind":"draft"}' }) }))).result as { uploadURL: string };
  const used = (await envelope(await call(emulator, "/images/v2/direct_upload", { method: "POST", body: form({}) }))).result as { uploadURL: string };
  expect((await emulator.fetch(new Request(used.uploadURL, { method: "POST", body: form({ file: [IMAGES.webp, "w.webp"] }) }))).status).toBe(200);
  return { draftUrl: draft.uploadURL };
}

describe("reset", () => {
  it("empties the store, drafts too, by route and by method, and forgets continuation tokens", async () => {
    const emulator = make({ seed: 40 });
    await populate(emulator);
    const page = (await envelope(await call(emulator, "/images/v2?per_page=10"))).result as { continuation_token: string };
    const answer = await admin(emulator, "/reset", { method: "POST" });
    expect(answer.status).toBe(200);
    expect((await envelope(answer)).result).toEqual({ images: 0 });
    expect([...(await emulator.store()).all()]).toEqual([]);
    await expectFailure(await call(emulator, `/images/v2?per_page=10&continuation_token=${page.continuation_token}`), 400, [ErrorCode.invalidListParameter]);

    await populate(emulator);
    expect(await emulator.reset()).toEqual({ images: 0 });
    expect((await emulator.store()).size).toBe(0);
  });

  it("goes back to the seed with ?to=seed, { to: 'seed' } in the body, or the method", async () => {
    const emulator = make({ seed: 40 });
    const seeded = await contents(emulator);
    await populate(emulator);
    await call(emulator, `/images/v1/${(seeded[0] as { id: string }).id}`, { method: "DELETE" });
    expect((await envelope(await admin(emulator, "/reset?to=seed", { method: "POST" }))).result).toEqual({ images: 40 });
    expect(await contents(emulator)).toEqual(seeded);
    await populate(emulator);
    const body = await admin(emulator, "/reset", { method: "POST", body: JSON.stringify({ to: "seed" }), headers: { "content-type": "application/json" } });
    expect((await envelope(body)).result).toEqual({ images: 40 });
    expect(await contents(emulator)).toEqual(seeded);
    await populate(emulator);
    expect(await emulator.reset({ to: "seed" })).toEqual({ images: 40 });
    expect(await contents(emulator)).toEqual(seeded);
    // An empty body with no length (a bare `curl -X POST`, chunked) is no body, not bad JSON.
    await populate(emulator);
    const empty = new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
    const bare = await emulator.fetch(new Request(`${BASE}/_imgmeta/reset?to=seed`, { method: "POST", body: empty, duplex: "half" } as RequestInit));
    expect((await envelope(bare)).result).toEqual({ images: 40 });
    // An emulator without a seed goes back to empty.
    const unseeded = make();
    await populate(unseeded);
    expect(await unseeded.reset({ to: "seed" })).toEqual({ images: 0 });
  });

  it("refuses a target other than empty or seed, and a body that is not JSON, changing nothing", async () => {
    const emulator = make({ seed: 5 });
    for (const response of [
      await admin(emulator, "/reset?to=all", { method: "POST" }),
      await admin(emulator, "/reset", { method: "POST", body: '{"to":"everything"}' }),
      await admin(emulator, "/reset", { method: "POST", body: "seed" }),
    ]) {
      await expectFailure(response, 400, [ErrorCode.badRequest]);
    }
    expect((await emulator.store()).size).toBe(5);
    await expect(emulator.reset({ to: "all" as "seed" })).rejects.toThrow(TypeError);
  });

  it("is durable with a data directory: a restart finds the reset store", async () => {
    const dataDir = join(root, "data");
    const first = make({ dataDir, seed: 12 });
    await populate(first);
    await first.reset({ to: "seed" });
    const after = await contents(first);
    await first.close();
    const second = make({ dataDir });
    expect(await contents(second)).toEqual(after);
    expect((await second.store()).size).toBe(12);
  });
});

describe("export and import", () => {
  it("carry every record and its bytes: another emulator holds the same store, and a draft's upload URL still works", async () => {
    const source = make({ seed: 20 });
    const { draftUrl } = await populate(source);
    const response = await admin(source, "/export");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jsonl; charset=utf-8");
    const text = await response.text();
    const lines = text.trimEnd().split("\n");
    expect(JSON.parse(lines[0]!)).toEqual({ format: "imgmeta-store", version: EXPORT_VERSION, exported: new Date(clock.now()).toISOString(), images: 25 });
    expect(lines).toHaveLength(26);

    const target = make();
    const imported = await admin(target, "/import", { method: "POST", body: text });
    expect((await envelope(imported)).result).toEqual({ images: 25 });
    expect(await contents(target)).toEqual(await contents(source));
    // The draft's URL, minted by the source, completes the draft in the target.
    const path = new URL(draftUrl).pathname;
    expect((await target.fetch(new Request(`${BASE}${path}`, { method: "POST", body: form({ file: [IMAGES.png, "late.png"] }) }))).status).toBe(200);
    // And the methods do the same, with the export as a stream.
    const third = make();
    expect(await third.importStore(await source.exportStore())).toEqual({ images: 25 });
    expect(await contents(third)).toEqual(await contents(source));
  });

  it("replaces what the target held, in one write that survives a restart", async () => {
    const dataDir = join(root, "data");
    const target = make({ dataDir, seed: 7 });
    const text = await readFile(FIXTURE, "utf8");
    await target.importStore(text);
    const after = await contents(target);
    expect(after.map((image) => (image as { id: string }).id)).toEqual(["5f0c2a7e-3b1d-4e8f-9a6b-7c8d9e0f1a2b", "folder/cat.png", "waiting"]);
    await target.close();
    expect(await contents(make({ dataDir }))).toEqual(after);
  });

  it("reads a file written in format version 1 (kept in test/fixtures), as later versions must", async () => {
    const emulator = make();
    expect(await emulator.importStore(new Uint8Array(await readFile(FIXTURE)))).toEqual({ images: 3 });
    const store = await emulator.store();
    expect(store.get("folder/cat.png")).toMatchObject({
      customId: true,
      creator: "alice",
      meta: { status: "active", priority: 5, region: { name: "eu-west" } },
      requireSignedURLs: false,
      uploaded: Date.parse("2026-11-01T08:00:00.000Z"),
      draft: false,
      filename: "cat.png",
      format: "png",
    });
    expect(await store.bytesOf(store.get("folder/cat.png")!)).toEqual(IMAGES.png);
    expect(await store.bytesOf(store.get("5f0c2a7e-3b1d-4e8f-9a6b-7c8d9e0f1a2b")!)).toEqual(IMAGES.gif);
    expect(store.get("waiting")).toMatchObject({ draft: true, uploadExpires: Date.parse("2026-11-30T10:20:00.000Z"), uploadToken: "BBBBBBBBBBBBBBBBBBBBBB", bytes: null, format: null });
    const listed = (await envelope(await call(emulator, "/images/v2?meta.status[eq]=active"))).result as { images: { id: string }[] };
    expect(listed.images.map((image) => image.id)).toEqual(["folder/cat.png"]);
  });

  it("imports the README's example as it is written there", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const example = /```text\n(\{"format":"imgmeta-store"[\s\S]*?)```/.exec(readme)![1]!;
    const emulator = make();
    expect(await emulator.importStore(example)).toEqual({ images: 2 });
    expect((await emulator.store()).get("waiting")).toMatchObject({ draft: true, uploadToken: "BBBBBBBBBBBBBBBBBBBBBB" });
  });

  it("refuses a bad line by number, id and field, and changes nothing", async () => {
    const emulator = make({ seed: 6 });
    const before = await contents(emulator);
    const good = (await readFile(FIXTURE, "utf8")).trimEnd().split("\n");
    const header = good[0]!;
    const cat = JSON.parse(good[1]!) as Record<string, unknown>;
    const withCat = (changes: Record<string, unknown>) => [header.replace('"images":3', '"images":1'), JSON.stringify({ ...cat, ...changes })].join("\n");
    const cases: [string, number | undefined, string | undefined, RegExp][] = [
      ["", undefined, undefined, /is empty/],
      ["not json\n", 1, undefined, /line 1: is not JSON/],
      ['{"format":"zip","version":1,"images":0}', 1, undefined, /is not the header of an imgmeta export/],
      ['{"format":"imgmeta-store","version":2,"images":0}', 1, undefined, /format version 2, which a newer imgmeta wrote/],
      ['{"format":"imgmeta-store","version":1,"images":-1}', 1, undefined, /images must be the number/],
      [good.join("\n").replace('"images":3', '"images":4'), undefined, undefined, /announces 4 images but 3 follow/],
      [good.slice(0, 3).join("\n"), undefined, undefined, /announces 3 images but 2 follow/],
      [withCat({ meta: [] }), 2, "meta", /metadata must be a JSON object/],
      [withCat({ bytes: "***" }), 2, "bytes", /base64/],
      [withCat({ bytes: Buffer.from("hello").toString("base64") }), 2, "bytes", /an image of the format given/],
      [withCat({ format: "bmp" }), 2, "format", /format must be null or one of/],
      [withCat({ uploaded: 5 }), 2, "uploaded", /RFC 3339/],
      [withCat({ creator: 5 }), 2, "creator", /creator must be a string or null/],
      [withCat({ requireSignedURLs: true }), 2, "requireSignedURLs", /custom id cannot require signed URLs/],
      [withCat({ uploadToken: "short" }), 2, "uploadToken", /22 base64url/],
      [withCat({ colour: "red" }), 2, "colour", /is not a field/],
      [withCat({ draft: undefined }), 2, "draft", /draft is missing/],
      [withCat({ bytes: null }), 2, "bytes", /both null/],
      [[header.replace('"images":3', '"images":2'), good[1], good[1]].join("\n"), 3, "id", /line 2 has this id too/],
      [[header.replace('"images":3', '"images":2'), good[1], "", good[2]].join("\n"), 3, undefined, /line 3: is empty/],
    ];
    for (const [text, line, field, message] of cases) {
      const label = text.slice(0, 80);
      const error = await emulator.importStore(text).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, label).toBeInstanceOf(RecordError);
      expect((error as RecordError).entry, label).toBe(line);
      expect((error as RecordError).field, label).toBe(field);
      expect((error as RecordError).message, label).toMatch(message);
      if (field !== undefined) expect((error as RecordError).id, label).toBe("folder/cat.png");
      // Over HTTP: a 400 with the same words.
      const answer = await expectFailure(await admin(emulator, "/import", { method: "POST", body: text }), 400, [ErrorCode.badRequest]);
      expect(answer.errors[0]!.message, label).toBe((error as RecordError).message);
    }
    expect(await contents(emulator)).toEqual(before);
  });

  it("streams: a body sent in pieces, cut anywhere, is read whole", async () => {
    const source = make({ seed: 30 });
    const bytes = new Uint8Array(await new Response(await source.exportStore()).arrayBuffer());
    for (const size of [1, 7, 1000]) {
      const target = make();
      const pieces = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
          controller.close();
        },
      });
      expect(await target.importStore(pieces)).toEqual({ images: 30 });
      expect(await contents(target)).toEqual(await contents(source));
    }
  });
});

describe("the recent requests", () => {
  it("are the last ones answered, oldest first, with the filter decoded; the admin routes are left out", async () => {
    const emulator = make({ seed: 3, requestLogSize: 3 });
    await call(emulator, "/images/v1/stats");
    await call(emulator, "/images/v2?meta.status%5Beq%3Astring%5D=in%20review&creator=a+b");
    await admin(emulator, "/requests");
    await call(emulator, "/images/v1/nothing");
    await call(emulator, "/images/v2", {}, {}); // no credentials
    const answer = await admin(emulator, "/requests");
    const records = (await envelope(answer)).result as { time: string; method: string; path: string; status: number; ms: number }[];
    expect(records.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: "GET", path: `/client/v4/accounts/${ACCOUNT}/images/v2?meta.status[eq:string]=in review&creator=a b`, status: 200 },
      { method: "GET", path: `/client/v4/accounts/${ACCOUNT}/images/v1/nothing`, status: 404 },
      { method: "GET", path: `/client/v4/accounts/${ACCOUNT}/images/v2`, status: 400 },
    ]);
    for (const record of records) {
      expect(record.time).toBe(new Date(clock.now()).toISOString());
      expect(record.ms).toBeGreaterThanOrEqual(0);
    }
    expect(emulator.recentRequests()).toEqual(records);
    expect((await envelope(await admin(emulator, "/requests", { method: "DELETE" }))).result).toEqual({});
    expect(emulator.recentRequests()).toEqual([]);
    await call(emulator, "/images/v1/stats");
    emulator.clearRecentRequests();
    expect(emulator.recentRequests()).toEqual([]);
  });

  it("keep none with requestLogSize: 0, and 100 by default", async () => {
    const none = make({ requestLogSize: 0 });
    await call(none, "/images/v1/stats");
    expect(none.recentRequests()).toEqual([]);
    const byDefault = make();
    for (let i = 0; i < 120; i++) await call(byDefault, `/images/v1/stats?i=${i}`);
    const kept = byDefault.recentRequests();
    expect(kept).toHaveLength(100);
    expect(kept[0]!.path).toMatch(/\?i=20$/);
    expect(kept[99]!.path).toMatch(/\?i=119$/);
  });

  it("tell each request to onRequest, admin routes included", async () => {
    const seen: string[] = [];
    const emulator = make({ onRequest: (record) => seen.push(`${record.method} ${record.path} ${record.status}`) });
    await call(emulator, "/images/v1/stats");
    await admin(emulator, "/requests");
    expect(seen).toEqual([`GET /client/v4/accounts/${ACCOUNT}/images/v1/stats 200`, "GET /_imgmeta/requests 200"]);
  });
});

describe("the admin routes", () => {
  it("take the API's token when one is set, and no credentials when none is", async () => {
    const guarded = make({ token: "s3cret" });
    await expectFailure(await admin(guarded, "/requests"), 400, [ErrorCode.missingCredentials]);
    await expectFailure(await admin(guarded, "/reset", { method: "POST" }, { authorization: "Bearer wrong" }), 403, [ErrorCode.authentication]);
    await expectFailure(await admin(guarded, "/export", {}, { authorization: "Bearer wrong" }), 403, [ErrorCode.authentication]);
    await expectFailure(await admin(guarded, "/import", { method: "POST", body: "x" }, { authorization: "Bearer wrong" }), 403, [ErrorCode.authentication]);
    await expectFailure(await admin(guarded, "/faults", {}, { authorization: "Bearer wrong" }), 403, [ErrorCode.authentication]);
    expect((await admin(guarded, "/requests", {}, { authorization: "Bearer s3cret" })).status).toBe(200);
    const open = make();
    expect((await admin(open, "/requests")).status).toBe(200);
  });

  it("answer 404/7003 for any other path or method under the prefix", async () => {
    const emulator = make();
    for (const [method, path] of [["GET", "/"], ["GET", "/nothing"], ["GET", "/reset"], ["POST", "/export"], ["PATCH", "/requests"]] as const) {
      await expectFailure(await admin(emulator, path, { method }), 404, [ErrorCode.noRoute]);
    }
  });
});
