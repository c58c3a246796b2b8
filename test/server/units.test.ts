/**
 * The emulator's small pieces on their own: format detection, the SDK's bracket metadata, tokens.
 */
import { describe, expect, it } from "vitest";
import { ApiError, ErrorCode } from "../../src/server/errors.js";
import { detectFormat } from "../../src/server/formats.js";
import { assembleBracketFields, checkMetadata } from "../../src/server/metadata.js";
import { CursorTable } from "../../src/server/pagination.js";
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
});

describe("continuation tokens", () => {
  it("are short, stable per position, bound to the sort order, and forgotten oldest first", () => {
    const table = new CursorTable(2);
    const a = table.issue({ uploaded: 1, id: "x".repeat(1024) }, "asc");
    expect(a.length).toBeLessThanOrEqual(32);
    expect(table.issue({ uploaded: 1, id: "x".repeat(1024) }, "asc")).toBe(a);
    expect(table.resolve(a, "asc")).toEqual({ uploaded: 1, id: "x".repeat(1024) });
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
