/**
 * The API's limits and the parser's guards as one option (src/semantics/limits.ts): each can be
 * overridden, a limit given as undefined keeps its default, Infinity lifts it, anything else is a
 * RangeError rather than a limit silently switched off.
 */
import { describe, expect, it } from "vitest";
import { check, DEFAULT_LIMITS, parse, toQueryString, type Issue } from "../../src/index.js";

/** The written text each issue points at. */
function pointed(text: string, issues: readonly Issue[]): [string, string][] {
  return issues.map((issue) => [issue.code, text.slice(issue.start, issue.end)]);
}

function issuesOf(text: string, limits?: Parameters<typeof check>[1]): [string, string][] {
  return pointed(text, check(text, limits).issues);
}

describe("limits", () => {
  it("every limit can be overridden", () => {
    const limits = { maxFilters: 2, maxPathSegments: 2, maxListValues: 2 };
    expect(issuesOf("a = 1 and b = 2 and c.d.e = 3 and x in (1, 2, 3)", { limits })).toEqual([
      ["too-many-filters", "c.d.e = 3"],
      ["path-too-deep", "e"],
      ["too-many-values", "3"],
    ]);
    expect(DEFAULT_LIMITS).toMatchObject({ maxFilters: 5, maxPathSegments: 5, maxListValues: 10 });
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });

  it("a limit given as undefined keeps its default; Infinity lifts it; anything else is a RangeError", () => {
    const six = "a = 1 and b = 2 and c = 3 and d = 4 and e = 5 and f = 6";
    const unset = { limits: { maxFilters: undefined, maxPathSegments: undefined, maxNestingDepth: undefined } };
    expect(check(six, unset).issues.map((issue) => issue.code)).toEqual(["too-many-filters"]);
    expect(() => toQueryString(six, unset)).toThrow(/at most 5 metadata filters/);
    expect(check("a.b.c.d.e.f = 1", unset).issues.map((issue) => issue.code)).toEqual(["path-too-deep"]);
    expect(check(`${"(".repeat(101)}a = 1${")".repeat(101)}`, unset).issues.map((issue) => issue.code)).toEqual(["nesting-too-deep"]);
    expect(check(six, { limits: { maxFilters: Infinity } }).ok).toBe(true);
    for (const bad of [NaN, -1, 2.5, "5", null, -Infinity]) {
      expect(() => check(six, { limits: { maxFilters: bad as number } }), String(bad)).toThrow(RangeError);
      expect(() => parse("a = 1", { limits: { maxInputLength: bad as number } }), String(bad)).toThrow(/limits\.maxInputLength must be a whole number/);
    }
  });

});
