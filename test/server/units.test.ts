/**
 * The emulator's small pieces on their own: format detection, the SDK's bracket metadata, tokens.
 */
import { describe, expect, it } from "vitest";
import { EqualityIndexes, MAX_INDEXED_PATHS, type Candidates } from "../../src/server/equality.js";
import { ApiError, ErrorCode } from "../../src/server/errors.js";
import { keptFilename } from "../../src/server/fields.js";
import { detectFormat } from "../../src/server/formats.js";
import { assembleBracketFields, checkMetadata } from "../../src/server/metadata.js";
import { toApiImage } from "../../src/server/images.js";
import { renderImages } from "../../src/server/listing.js";
import { CursorTable } from "../../src/server/pagination.js";
import { decodedPath, formatRequestLine, MAX_KEPT_REQUEST_BYTES, RecentRequests } from "../../src/server/request-log.js";
import { demoImages } from "../../src/server/seed.js";
import { randomToken, TOKEN_PATTERN } from "../../src/server/tokens.js";
import { IMAGES } from "../support/emulator.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("detectFormat", () => {
  it("recognises each format by its bytes", () => {
    for (const [name, bytes] of Object.entries(IMAGES)) expect(detectFormat(bytes)?.name).toBe(name);
    expect(detectFormat(text("\uFEFF  <svg>"))?.name).toBe("svg");
    expect(detectFormat(text('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg/>'))?.name).toBe("svg");
  });

  it("refuses near misses", () => {
    for (const bytes of [
      new Uint8Array(0),
      IMAGES.png.subarray(0, 7),
      text("GIF90a"),
      text("RIFF\0\0\0\0AVI "),
      text("<html><svg/></html>"),
      text("<svgfoo/>"),
      Uint8Array.from([0, 0, 0, 24, ...text("ftypavif")]),
      Uint8Array.from([0xff, 0xfe, 0x3c, 0x00]),
    ]) {
      expect(detectFormat(bytes)).toBeUndefined();
    }
  });
});

describe("bracket metadata", () => {
  it("rebuilds nested objects and lists, with prototype names as plain keys", () => {
    const meta = assembleBracketFields([
      ["metadata[status]", "active"],
      ["metadata[region][name]", "eu-west"],
      ["metadata[tags][]", "a"],
      ["metadata[tags][]", "b"],
      ["metadata[__proto__]", "x"],
      ["metadata[list][][k]", "1"],
    ]);
    expect(JSON.stringify(meta)).toBe(
      '{"status":"active","region":{"name":"eu-west"},"tags":["a","b"],"__proto__":"x","list":[{"k":"1"}]}',
    );
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });

  it("refuses conflicting or malformed fields", () => {
    for (const fields of [
      [["metadata[a]", "1"], ["metadata[a]", "2"]],
      [["metadata[a]", "1"], ["metadata[a][b]", "2"]],
      [["metadata[a][]", "1"], ["metadata[a][b]", "2"]],
      [["metadata[a", "1"]],
      [["metadata[]", "1"]],
    ] as [string, string][][]) {
      expect(() => assembleBracketFields(fields), JSON.stringify(fields)).toThrow(ApiError);
    }
  });

  it("checks size as UTF-8 bytes of JSON", () => {
    expect(() => checkMetadata({ s: "é".repeat(505) })).not.toThrow(); // 8 + 1010 bytes
    expect(() => checkMetadata({ s: "é".repeat(509) })).toThrow(/1026 bytes/);
  });

  it("says what is wrong with an object JSON cannot write", () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => checkMetadata(deep)).toThrow(/nested too deeply/);
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => checkMetadata(cyclic)).toThrow(/plain JSON data that JSON.stringify can write \(.*circular/i);
    expect(() => checkMetadata({ n: 1n })).toThrow(/plain JSON data .*BigInt/);
    expect(() => checkMetadata({ toJSON: () => { throw new RangeError("no"); } })).toThrow(/plain JSON data .*\(no\)/);
  });
});

describe("continuation tokens", () => {
  it("are short, stable per position, bound to the sort order, and forgotten oldest first", () => {
    const table = new CursorTable(2);
    const a = table.issue({ uploaded: 1, id: "x".repeat(1024) }, "asc");
    expect(a.length).toBeLessThanOrEqual(32);
    expect(table.issue({ uploaded: 1, id: "x".repeat(1024) }, "asc")).toBe(a);
    expect(table.resolve(a, "asc")).toEqual({ position: { uploaded: 1, id: "x".repeat(1024) }, listed: 0 });
    expect(() => table.resolve(a, "desc")).toThrow(ApiError);
    table.issue({ uploaded: 2, id: "b" }, "asc");
    table.issue({ uploaded: 3, id: "c" }, "asc");
    let error: unknown;
    try {
      table.resolve(a, "asc");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).errors[0]!.code).toBe(ErrorCode.invalidListParameter);
    expect(table.resolve("", "asc")).toBeUndefined();
  });
});

describe("random tokens", () => {
  it("are 22 base64url characters, without padding", () => {
    const tokens = Array.from({ length: 500 }, randomToken);
    for (const token of tokens) expect(token).toMatch(TOKEN_PATTERN);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe("renderImages", () => {
  const decode = (bytes: Uint8Array): string => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

  it("renders exactly what toApiImage shows, for any id, origin and hash", () => {
    // Enough images to fill several of the slabs their bytes are kept in.
    const images = demoImages(600);
    const odd = { ...images[0]!, id: 'a "quoted"\\ id/with %2F, ü and \u2028', filename: null, draft: true, creator: null };
    const all = [...images.slice(0, 300), odd, ...images.slice(300)];
    for (const [origin, hash] of [["http://127.0.0.1:8787", "abc"], ['http://"odd"\\host', "h\u2028"], ["http://127.0.0.1:8787", "abc"]] as const) {
      const json = decode(renderImages(all, origin, hash));
      expect(JSON.parse(json)).toEqual(all.map((image) => toApiImage(image, origin, hash)));
      // Twice, from the cache this time: the same bytes.
      expect(decode(renderImages(all, origin, hash))).toBe(json);
    }
  });

  it("renders a record once for each origin and account hash, however they alternate", () => {
    const [image] = demoImages(1);
    let reads = 0;
    const counted = Object.defineProperty({ ...image! }, "meta", { get: () => (reads++, image!.meta), enumerable: true });
    for (let round = 0; round < 3; round++) {
      for (const origin of ["http://localhost:8787", "http://127.0.0.1:8787"]) {
        for (const hash of ["a", "b"]) expect(JSON.parse(decode(renderImages([counted], origin, hash)))).toEqual([toApiImage(image!, origin, hash)]);
      }
    }
    expect(reads).toBe(4);
  });

  it("frames the array with the text before and after it", () => {
    const [image] = demoImages(1);
    const framed = decode(renderImages([image!], "http://h", "x", '{"ü":', "}"));
    expect(JSON.parse(framed)).toEqual({ ü: [toApiImage(image!, "http://h", "x")] });
    expect(decode(renderImages([], "http://h", "x", "<", ">"))).toBe("<[]>");
    // Framing of every UTF-8 length (1 to 4 bytes; a lone surrogate is written as U+FFFD, 3 bytes).
    const odd = "aé\u2028😀\ud800\udc00x\udbff";
    const framed2 = renderImages([image!], "http://h", "x", odd, odd);
    expect(decode(framed2)).toBe(`${odd.replace(/\p{Cs}/gu, "\ufffd")}[${JSON.stringify(toApiImage(image!, "http://h", "x"))}]${odd.replace(/\p{Cs}/gu, "\ufffd")}`);
  });
});

/** The ids of the candidates a walk would test (those `admits` lets through). */
function admitted(candidates: Candidates<{ id: string }> | undefined): string[] | undefined {
  return candidates?.images.filter((_, i) => candidates.admits(i)).map((entry) => entry.id);
}

describe("equality indexes", () => {
  it("propose, in list order, every image whose value at the path is the value, and follow changes", () => {
    const indexes = new EqualityIndexes<{ id: string; uploaded: number; meta: unknown }>();
    const image = (id: string, uploaded: number, meta: unknown) => ({ id, uploaded, meta });
    const all = [image("a", 1, { s: "x" }), image("b", 2, { s: 5 }), image("c", 3, { r: { n: "x" } }), image("d", 3, { s: "x" }), image("e", 4, { s: ["x"] })];
    const ids = admitted;
    expect(ids(indexes.candidates([{ path: ["s"], value: "x" }], () => all))).toEqual(["a", "d"]);
    expect(ids(indexes.candidates([{ path: ["s"], value: 5 }], () => all))).toEqual(["b"]);
    expect(ids(indexes.candidates([{ path: ["s"], value: "5" }], () => all))).toEqual([]);
    expect(ids(indexes.candidates([{ path: ["r", "n"], value: "x" }], () => all))).toEqual(["c"]);
    // The shortest list, narrowed by the others: no image has both values, one has two.
    expect(ids(indexes.candidates([{ path: ["s"], value: "x" }, { path: ["r", "n"], value: "x" }], () => all))).toEqual([]);
    const both = [...all, image("h", 5, { s: "x", r: { n: "x" } })];
    const fresh = new EqualityIndexes<{ id: string; uploaded: number; meta: unknown }>();
    expect(ids(fresh.candidates([{ path: ["s"], value: "x" }, { path: ["r", "n"], value: "x" }], () => both))).toEqual(["h"]);
    expect(indexes.candidates([], () => all)).toBeUndefined();
    indexes.add(image("f", 0, { s: "x" }));
    indexes.add(image("g", 9, { s: "x" }));
    indexes.remove(all[3]!);
    expect(ids(indexes.candidates([{ path: ["s"], value: "x" }], () => all))).toEqual(["f", "a", "g"]);
  });
});

describe("file names", () => {
  it("are kept to their first 255 characters, counted as code points, never cutting a pair in half", () => {
    expect(keptFilename("a.png")).toBe("a.png");
    expect(keptFilename("a".repeat(300))).toBe("a".repeat(255));
    expect(keptFilename("\ud83d\ude00".repeat(200))).toBe("\ud83d\ude00".repeat(200)); // 400 UTF-16 units
    expect(keptFilename("\ud83d\ude00".repeat(300))).toBe("\ud83d\ude00".repeat(255));
    expect(keptFilename(`${"a".repeat(254)}\ud83d\ude00b`)).toBe(`${"a".repeat(254)}\ud83d\ude00`);
  });
});

describe("addImages", () => {
  it("refuses records the routes would have refused, before anything is stored", async () => {
    const { createEmulator } = await import("../../src/server/index.js");
    const emulator = createEmulator();
    const [good] = demoImages(1);
    const custom = { customId: true, requireSignedURLs: false };
    for (const bad of [
      { uploaded: 1e17 },
      { uploaded: NaN },
      { format: "toString" },
      { meta: [] },
      { meta: { big: "x".repeat(2000) } },
      { id: "" },
      { id: "lone \ud800" },
      { id: "\udc00 reversed \ud800" },
      // What the upload routes answer 400 to (an emulator audit found addImages took them).
      { id: "/abc" },
      { id: "abc/" },
      { id: "a/../b" },
      { id: "x".repeat(1025) },
      { ...custom, id: "9b6c1a4e-2f9d-4c35-8b1e-1f2a3b4c5d6e" },
      { customId: true, requireSignedURLs: true },
      { creator: "c".repeat(1025) },
      { filename: `${"f".repeat(252)}.png` },
      { bytes: Uint8Array.from([1, 2, 3]) },
      { format: "jpeg" }, // the demo image's bytes are not a JPEG
    ]) {
      await expect(emulator.addImages([good!, { ...good!, id: "other", ...bad } as typeof good & object]), JSON.stringify(bad).slice(0, 80)).rejects.toThrow(TypeError);
    }
    expect([...(await emulator.store()).all()]).toEqual([]);
    // A surrogate pair is well-formed: such an id is stored, listed and delivered. Lengths count code
    // points, as the routes do (600 emoji are 1,200 UTF-16 units), and a UUID is an id the API makes.
    await emulator.addImages([
      good!,
      { ...good!, id: "pair \ud83d\ude00" },
      { ...good!, id: "\ud83d\ude00".repeat(600) },
      { ...good!, customId: false, id: "9b6c1a4e-2f9d-4c35-8b1e-1f2a3b4c5d6e" },
      { ...good!, id: "long name", filename: "\ud83d\ude00".repeat(255) },
    ]);
    expect([...(await emulator.store()).all()]).toHaveLength(5);
    const listed = await emulator.fetch(new Request("http://emulator/client/v4/accounts/a/images/v2", { headers: { authorization: "Bearer t" } }));
    expect(((await listed.json()) as { result: { images: { id: string }[] } }).result.images.map((image) => image.id)).toContain("pair \ud83d\ude00");
    await emulator.close();
  });
});

describe("continuation tokens", () => {
  it("forget the least recently handed out first, counting a token handed out again as new", () => {
    const table = new CursorTable(2);
    const first = table.issue({ uploaded: 1, id: "a" }, "desc");
    table.issue({ uploaded: 2, id: "b" }, "desc");
    expect(table.issue({ uploaded: 1, id: "a" }, "desc")).toBe(first); // page 1 read again
    table.issue({ uploaded: 3, id: "c" }, "desc"); // evicts "b", not the token just handed out
    expect(table.resolve(first, "desc")).toEqual({ position: { uploaded: 1, id: "a" }, listed: 0 });
  });
});

describe("equality indexes at their limit", () => {
  it("make room by dropping the index used least recently, and stay exact", () => {
    const indexes = new EqualityIndexes<{ id: string; uploaded: number; meta: unknown }>();
    const all = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, uploaded: i, meta: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`k${k}`, i % (k + 2)])) }));
    const ids = admitted;
    const expected = (k: number, v: number) => all.filter((image) => (image.meta as Record<string, number>)[`k${k}`] === v).map((image) => image.id);
    // Twenty paths in turn (more than the limit): every one gets an index and the right candidates.
    for (let k = 0; k < 20; k++) expect(ids(indexes.candidates([{ path: [`k${k}`], value: 1 }], () => all))).toEqual(expected(k, 1));
    // The first path was evicted long ago; asked again, it is indexed again, still exact.
    expect(ids(indexes.candidates([{ path: ["k0"], value: 0 }], () => all))).toEqual(expected(0, 0));
  });

  it("evict the one used least recently, however long ago it was built", () => {
    const indexes = new EqualityIndexes<{ id: string; uploaded: number; meta: unknown }>();
    const all = [{ id: "a", uploaded: 1, meta: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`k${k}`, k])) }];
    let builds = 0;
    const ask = (k: number) => indexes.candidates([{ path: [`k${k}`], value: k }], () => (builds++, all));
    for (let k = 0; k < MAX_INDEXED_PATHS; k++) ask(k); // full: k0 is the oldest
    ask(0); // k0 used again: now k1 is the least recently used
    ask(MAX_INDEXED_PATHS); // makes room
    builds = 0;
    ask(0);
    expect(builds).toBe(0); // still indexed
    ask(1);
    expect(builds).toBe(1); // k1 was evicted, and is built again
  });
});

describe("request records", () => {
  it("show the query decoded as the emulator reads it, and escape what would break or disguise a line", () => {
    expect(decodedPath("http://h/client/v4/accounts/a/images/v2?meta.a.b%5Bin%3Anumber%5D=1%7C2&creator=a+b&x")).toBe(
      "/client/v4/accounts/a/images/v2?meta.a.b[in:number]=1|2&creator=a b&x",
    );
    // Not valid percent-encoding: shown as sent.
    expect(decodedPath("http://h/p?meta.s%5Beq%5D=100%&q=%E0%A4%A")).toBe("/p?meta.s[eq]=100%&q=%E0%A4%A");
    // Line breaks, escapes and bidirectional overrides, decoded or raw, become \uXXXX.
    expect(decodedPath("http://h/p?v=a%0Ab%0D%1B[31m%E2%80%AEevil%E2%80%A8")).toBe("/p?v=a\\u000ab\\u000d\\u001b[31m\\u202eevil\\u2028");
    expect(decodedPath("http://h/a%2Fb")).toBe("/a%2Fb"); // the path as sent: a custom id's %2F stays
    const line = formatRequestLine({ time: "t", method: "GET", path: decodedPath("http://h/p?v=%0A"), status: 200, ms: 0.5 });
    expect(line.split("\n")).toHaveLength(1);
  });

  it("are kept in a ring of fixed size, oldest first", () => {
    const ring = new RecentRequests(3);
    for (let i = 0; i < 7; i++) ring.add({ at: i, method: "GET", url: `http://h/${i}`, status: 200, ms: 1, fault: undefined });
    expect(ring.list().map((record) => record.path)).toEqual(["/4", "/5", "/6"]);
    ring.clear();
    expect(ring.list()).toEqual([]);
    ring.add({ at: 0, method: "GET", url: "http://h/x", status: 200, ms: 1, fault: undefined });
    expect(ring.list().map((record) => record.path)).toEqual(["/x"]);
  });

  it("keep what each request was, and cut a URL past the ring's slot, saying so", () => {
    const ring = new RecentRequests(2);
    const long = `http://h/p?meta.note[eq]=${"é".repeat(3000)}`;
    ring.add({ at: Date.UTC(2026, 0, 1), method: "PATCH", url: "http://h/images/v1/a%2Fb?x=%E2%9C%93", status: 503, ms: 1.234, fault: "update:503" });
    ring.add({ at: 0, method: "GET", url: long, status: 200, ms: 0.5, fault: undefined });
    const [first, second] = ring.list();
    expect(first).toEqual({ time: "2026-01-01T00:00:00.000Z", method: "PATCH", path: "/images/v1/a%2Fb?x=✓", status: 503, ms: 1.23, fault: "update:503" });
    expect(second!.path.startsWith("/p?meta.note[eq]=éé")).toBe(true);
    expect(second!.path.endsWith("é…")).toBe(true);
    expect(new TextEncoder().encode(second!.path).length).toBeLessThan(MAX_KEPT_REQUEST_BYTES);
    expect(() => new RecentRequests(-1)).toThrow(RangeError);
  });
});
