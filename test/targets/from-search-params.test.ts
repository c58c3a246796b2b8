/**
 * Query parameters read back into a filter (src/targets/from-search-params.ts): the examples of the API's
 * documentation, paths and URLs, percent-encoded keys, every malformed parameter refused with its code,
 * and keys split in time linear in their length.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitFilterKey } from "../../src/targets/from-search-params.js";
import { FilterError, format, fromSearchParams, toPredicate, toQueryString } from "../../src/index.js";
import { SEED } from "../support/arbitraries.js";
import { codes } from "../support/codes.js";
import { conformance } from "../conformance/runner.js";

describe("fromSearchParams", () => {
  // The examples of the API's documentation.
  it.each([
    ["/images/v2?meta.status[eq:string]=active", 'status = "active"'],
    ["meta.status[in]=pending|deleted|flagged", 'status in ("pending", "deleted", "flagged")'],
    ["meta.ratings[in:number]=4|5", "ratings in (4, 5)"],
    ["meta.region.name[eq]=eu-west", 'region.name = "eu-west"'],
    ["meta.status[eq]=active&creator=user123", 'status = "active" and creator = "user123"'],
    ["meta.status[eq]=active&meta.priority[eq:number]=5", 'status = "active" and priority = 5'],
    ["meta.enabled[eq:boolean]=true", "enabled = true"],
    ["meta.priority[eq:number]=5&meta.priority[lte:number]=3", "priority = 5 and priority <= 3"],
    ["meta.n[gt]=1&meta.n[gte]=2&meta.n[lt]=3&meta.n[lte]=4", "n > 1 and n >= 2 and n < 3 and n <= 4"],
  ])("%s", (query, text) => {
    const path = query.startsWith("/") ? `https://api.example${query}` : query;
    expect(format(fromSearchParams(path))).toBe(text);
  });

  it("reads a path or a URL before the query, as the API docs write their examples", () => {
    expect(format(fromSearchParams("/images/v2?meta.status[eq:string]=active"))).toBe('status = "active"');
    expect(format(fromSearchParams("/accounts/a/images/v2?meta.status[eq]=active&creator=u"))).toBe('status = "active" and creator = "u"');
    expect(format(fromSearchParams("https://api.cloudflare.com/client/v4/accounts/a/images/v2?creator=u#top"))).toBe('creator = "u"');
  });

  it("refuses bracketed keys that are not filters, rather than widen the filter silently", () => {
    expect(codes(() => fromSearchParams("mata.status[eq]=active"))).toEqual(["malformed-param"]);
    expect(codes(() => fromSearchParams("metadata.x[eq]=1"))).toEqual(["malformed-param"]);
  });

  it("reads percent-encoded keys, as the official SDK sends them", () => {
    expect(format(fromSearchParams("meta.status%5Beq%5D=active&meta.a.b%5Bin%3Anumber%5D=1%7C2&meta.x%5Beq%5D=eu%20west"))).toBe(
      'status = "active" and a.b in (1, 2) and x = "eu west"',
    );
  });

  it("accepts URLSearchParams, URL and records, and ignores parameters that are not filters", () => {
    const expected = 'status = "active" and creator = ""';
    expect(format(fromSearchParams(new URLSearchParams("meta.status[eq]=active&per_page=10&creator=")))).toBe(expected);
    expect(format(fromSearchParams(new URL("http://x/images/v2?sort_order=asc&meta.status[eq]=active&creator=")))).toBe(expected);
    expect(format(fromSearchParams({ "meta.status[eq]": "active", continuation_token: "", creator: [""] }))).toBe(expected);
    expect(fromSearchParams("per_page=10&sort_order=desc&continuation_token=")).toEqual({ type: "all" });
    expect(fromSearchParams("")).toEqual({ type: "all" });
  });

  it.each([
    ["meta.status=active", "malformed-param"],
    ["meta.[eq]=active", "malformed-param"],
    ["meta.a..b[eq]=x", "malformed-param"],
    ["meta.status[eq=active", "malformed-param"],
    ["meta=1", "malformed-param"],
    ["meta.status[foo]=active", "unknown-operator"],
    ["meta.status[eq:date]=x", "unknown-operator"],
    ["meta.status[ne]=x", "unknown-operator"],
    ["meta.n[gt:string]=x", "unknown-operator"],
    ["meta.b[in:boolean]=true|false", "unknown-operator"],
    ["meta.n[eq:number]=five", "invalid-number"],
    ["meta.n[gt]=0x10", "invalid-number"],
    ["meta.n[lt:number]=", "invalid-number"],
    ["meta.n[in:number]=1|two", "invalid-number"],
    ["meta.n[eq:number]=1e999", "invalid-number"],
    ["meta.b[eq:boolean]=True", "invalid-boolean"],
    ["meta.b[eq:boolean]=1", "invalid-boolean"],
    ["meta.s[in]=a||b", "empty-list-value"],
    ["meta.a[eq]=1&meta.b[eq]=1&meta.c[eq]=1&meta.d[eq]=1&meta.e[eq]=1&meta.f[eq]=1", "too-many-filters"],
    ["meta.a.b.c.d.e.f[eq]=1", "path-too-deep"],
    ["meta.n[in:number]=1|2|3|4|5|6|7|8|9|10|11", "too-many-values"],
    ["creator=a&creator=b", "duplicate-creator"],
  ])("%s → %s", (query, code) => {
    expect(codes(() => fromSearchParams(query))).toEqual([code]);
  });

  it("reads path segments holding line breaks, which check and toQueryString accept", () => {
    for (const segment of ["a\nb", "\r", "a\r\nb", "\u2028", "x\u2029"]) {
      const query = toQueryString({ type: "compare", op: "eq", field: { type: "meta", path: [segment, "c"] }, value: { value: "x" } });
      const read = fromSearchParams(query);
      expect(read).toMatchObject({ type: "compare", op: "eq", field: { type: "meta", path: [segment, "c"] }, value: { value: "x" } });
    }
  });

  it("refuses long malformed keys as malformed-param (in time linear in the key: these took seconds)", () => {
    for (const key of [
      "meta." + "[".repeat(64_000),
      "meta." + "[:".repeat(40_000) + "t",
      "meta." + "a[".repeat(30_000) + "eq]",
      "meta.a[eq]" + "]".repeat(50_000),
      "meta." + "\n".repeat(50_000) + "[eq]]",
    ]) {
      expect(codes(() => fromSearchParams(`${key}=1`))).toEqual(["malformed-param"]);
    }
  });

  it("splits keys as the pattern it replaced did, with its `.` matching line breaks too", () => {
    const FORMER_FILTER_KEY = /^meta\.(.+)\[([^\]:]*)(?::([^\]]*))?\]$/s;
    const pieces = (maxLength: number): fc.Arbitrary<string> =>
      fc
        .array(fc.constantFrom("meta", "meta.", ".", "[", "]", ":", "eq", "in", ":number", "a", "b", "\n", "\u2028", "\r"), { maxLength })
        .map((parts) => parts.join(""));
    // Keys of pieces in any order, and keys shaped meta.<path>[<inside>] with pieces in each part.
    const keyArb = fc.oneof(
      pieces(10),
      fc
        .tuple(fc.constantFrom("meta.", "meta", "meta.."), pieces(4), fc.constantFrom("[", "[[", ""), pieces(3), fc.constantFrom("]", "]]", ""))
        .map((parts) => parts.join("")),
    );
    let keys = 0;
    fc.assert(
      fc.property(keyArb, (key) => {
        const match = FORMER_FILTER_KEY.exec(key);
        if (match) keys++;
        expect(splitFilterKey(key)).toEqual(match ? { segments: match[1]!.split("."), operator: match[2], declared: match[3] } : undefined);
      }),
      { seed: SEED, numRuns: 10_000 },
    );
    expect(keys).toBeGreaterThan(500);
  });

  it("points at the parameter at fault in a query string", () => {
    const query = "meta.a[eq]=1&meta.n[in:number]=1|x|3";
    let error: FilterError | undefined;
    try {
      fromSearchParams(query);
    } catch (e) {
      error = e as FilterError;
    }
    const issue = error!.issues[0]!;
    expect(query.slice(issue.start, issue.end)).toBe("x");
    expect(error!.message).toContain("^");
  });

  it("the emulator and the library agree on what a query selects", () => {
    const fromQuery = toPredicate(fromSearchParams("meta.status[eq]=active&meta.priority[in:number]=4|5"));
    const fromText = toPredicate('status = "active" and priority in (4, 5)');
    const images = [
      { meta: { status: "active", priority: 4 } },
      { meta: { status: "active", priority: "4" } },
      { meta: { status: "Active", priority: 5 } },
      { meta: { status: "active" } },
    ];
    expect(images.map(fromQuery)).toEqual([true, false, false, false]);
    expect(images.map(fromText)).toEqual(images.map(fromQuery));
  });
});

// The conformance table (test/conformance/): the parameters read, or their refusal.
describe("the conformance table", () => conformance(["params"]));
