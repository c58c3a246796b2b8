/**
 * The List images V2 parameters (src/targets/query.ts): `toQueryString` and `toSearchParams`, the normal
 * form first, only what would change the meaning percent-encoded, the list options within the API's
 * bounds; hostile values read back through `fromSearchParams`. (Its properties: query.properties.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { format, fromSearchParams, parse, toQueryString, toSearchParams } from "../../src/index.js";
import { codes } from "../support/codes.js";
import { conformance } from "../conformance/runner.js";

describe("toQueryString", () => {
  it.each([
    ['status = "active"', "meta.status[eq:string]=active"],
    ['status = "active" and priority in (4, 5)', "meta.status[eq:string]=active&meta.priority[in:number]=4|5"],
    ["region.name = eu-west", "meta.region.name[eq:string]=eu-west"],
    ["rating >= 4", "meta.rating[gte:number]=4"],
    ["rating > 4 and rating < 5 and rating <= 6", "meta.rating[gt:number]=4&meta.rating[lt:number]=5&meta.rating[lte:number]=6"],
    ['creator = "user123"', "creator=user123"],
    ['creator = ""', "creator="],
    ["enabled = true", "meta.enabled[eq:boolean]=true"],
    ["status in (pending, deleted, flagged)", "meta.status[in:string]=pending|deleted|flagged"],
    ["meta.creator = x", "meta.creator[eq:string]=x"],
    ["x = -0", "meta.x[eq:number]=0"], // -0 compares as 0: normalised to it
    ["x = 1e21", "meta.x[eq:number]=1e%2B21"], // a raw + would read as a space
    ["", ""],
  ])("%s → %s", (text, query) => {
    expect(toQueryString(text)).toBe(query);
  });

  it("normalises first, so more filters fit", () => {
    expect(toQueryString("a = 1 or a = 2 or a = 2")).toBe("meta.a[in:number]=1|2");
    expect(toQueryString("(a = x or a = y) and b in (3)")).toBe("meta.a[in:string]=x|y&meta.b[eq:number]=3");
    expect(toQueryString("a in (1, 1, 2) and a in (1, 1, 2)")).toBe("meta.a[in:number]=1|2");
    expect(toQueryString("not not a = 1 and not (b != 2)")).toBe("meta.a[eq:number]=1&meta.b[eq:number]=2");
  });

  it("encodes only what would change the meaning", () => {
    expect(toQueryString('x = "a b&c=d#e%f+g"')).toBe("meta.x[eq:string]=a%20b%26c%3Dd%23e%25f%2Bg");
    expect(toQueryString('x = "é😀\\"<>"')).toBe("meta.x[eq:string]=%C3%A9%F0%9F%98%80%22%3C%3E");
    expect(toQueryString('`my key`.`a=b` = "(ok):@/?!*,~"')).toBe("meta.my%20key.a%3Db[eq:string]=(ok):@/?!*,~");
  });

  it("adds the list options, with the API's bounds checked", () => {
    expect(toQueryString("a = 1", { perPage: 50, sortOrder: "asc", continuationToken: "abc" })).toBe(
      "meta.a[eq:number]=1&per_page=50&sort_order=asc&continuation_token=abc",
    );
    expect(codes(() => toQueryString("a = 1", { perPage: 9 }))).toEqual(["invalid-per-page"]);
    expect(codes(() => toQueryString("a = 1", { perPage: 10_001 }))).toEqual(["invalid-per-page"]);
    expect(codes(() => toQueryString("a = 1", { perPage: 10.5 }))).toEqual(["invalid-per-page"]);
    expect(codes(() => toQueryString("", { sortOrder: "up" as "asc" }))).toEqual(["invalid-sort-order"]);
    expect(codes(() => toQueryString("", { continuationToken: "x".repeat(33) }))).toEqual(["invalid-continuation-token"]);
    // A lone surrogate has no UTF-8 form: a FilterError, not encodeURIComponent's URIError, nor a U+FFFD sent.
    for (const token of ["ab\ud800", "\udc00", "\udc00\ud800"]) {
      expect(codes(() => toQueryString("a = 1", { continuationToken: token }))).toEqual(["invalid-continuation-token"]);
      expect(codes(() => toSearchParams("a = 1", { continuationToken: token }))).toEqual(["invalid-continuation-token"]);
    }
    expect(toQueryString("", { continuationToken: "a\ud83d\ude00" })).toBe(`continuation_token=a${encodeURIComponent("\ud83d\ude00")}`);
  });

  it("throws a FilterError with every issue when the API cannot express the filter", () => {
    expect(codes(() => toQueryString("a = 1 or b = 2"))).toEqual(["or-not-supported"]);
    expect(codes(() => toQueryString("a != 1 and x in (true)"))).toEqual(["negation-not-supported"]);
    expect(codes(() => toQueryString("a = "))).toEqual(["expected-value"]);
    expect(toQueryString('x in ("a|b")')).toBe("meta.x[eq:string]=a|b"); // one value: becomes `=`, where | is fine
  });
});

describe("toSearchParams", () => {
  it("gives URLSearchParams, which percent-encode everything when written out", () => {
    const params = toSearchParams('status = "active" and priority in (4, 5)', { perPage: 100 });
    expect([...params]).toEqual([
      ["meta.status[eq:string]", "active"],
      ["meta.priority[in:number]", "4|5"],
      ["per_page", "100"],
    ]);
    expect(params.toString()).toBe("meta.status%5Beq%3Astring%5D=active&meta.priority%5Bin%3Anumber%5D=4%7C5&per_page=100");
  });

  it("accepts a filter as well as text", () => {
    const filter = { type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: true } } as const;
    expect(toSearchParams(filter).toString()).toBe("meta.a%5Beq%3Aboolean%5D=true");
  });
});
describe("hostile values round-trip", () => {
  it.each(["a&b", "a=b", "#frag", "100%", "%41", "a+b", "a b", "  ", "é", "日本語", "😀", "\u200f\u202e", "\\", '"quoted"', "?x=1", "[eq]"])("%j", (value) => {
    const filter = parse(`x = ${JSON.stringify(value)} and y in (${JSON.stringify(value)}, other)`);
    const query = toQueryString(filter);
    for (const read of [fromSearchParams(query), fromSearchParams(new URLSearchParams(query)), fromSearchParams(toSearchParams(filter).toString())]) {
      expect(format(read)).toBe(format(filter));
    }
  });
});

// The conformance table (test/conformance/): the query string.
describe("the conformance table", () => conformance(["query"]));
