/**
 * The API's rules, one issue each, at the exact span concerned.
 */
import { describe, expect, it } from "vitest";
import { check, DEFAULT_LIMITS, parse, toQueryString, validate, type Issue } from "../../src/index.js";

/** The written text each issue points at. */
function pointed(text: string, issues: readonly Issue[]): [string, string][] {
  return issues.map((issue) => [issue.code, text.slice(issue.start, issue.end)]);
}

function issuesOf(text: string, limits?: Parameters<typeof check>[1]): [string, string][] {
  return pointed(text, check(text, limits).issues);
}

describe("validate", () => {
  it("accepts what the API can express", () => {
    for (const text of [
      "",
      'status = "active"',
      'status = "active" and priority in (4, 5) and creator = "user123"',
      "a = 1 and b = 2 and c = 3 and d = 4 and e = 5 and creator = u",
      "a.b.c.d.e = 1",
      "x in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)",
      "rating >= 4 and rating < 5.5",
      "enabled = true",
      'creator = ""',
      "a = 1 or a = 2 or a = 3", // becomes one `in`
      "not not a = 1",
      "not (a != 1)",
      "not (a not in (1, 2))",
    ]) {
      expect(check(text).issues, text).toEqual([]);
      expect(check(text).ok).toBe(true);
    }
  });

  it.each<[string, [string, string][]]>([
    ['status = "a" or priority = 5', [["or-not-supported", 'status = "a" or priority = 5']]],
    ["(a = 1 or b = 2) and c = 3", [["or-not-supported", "a = 1 or b = 2"]]],
    ['a = "1" or a = 1', [["or-not-supported", 'a = "1" or a = 1']]],
    ["enabled = true or enabled = false", [["or-not-supported", "enabled = true or enabled = false"]]],
    ["not a = 1", [["negation-not-supported", "not a = 1"]]],
    ["a != 1", [["negation-not-supported", "a != 1"]]],
    ["a not in (1, 2)", [["negation-not-supported", "a not in (1, 2)"]]],
    ["a = 1 and b = 2 and c = 3 and d = 4 and e = 5 and f = 6 and g = 7", [["too-many-filters", "f = 6"]]],
    ["a.b.c.d.e.f.g = 1", [["path-too-deep", "f"]]],
    ["meta.a.b.c.d.e.f = 1", [["path-too-deep", "f"]]],
    ["x in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)", [["too-many-values", "11"]]],
    ["x in (true, false)", [["boolean-list", "true"], ["boolean-list", "false"]]],
    ['x in (1, "2", 3)', [["mixed-types", '"2"']]],
    ['x in ("a|b", c)', [["pipe-in-value", '"a|b"']]],
    ['x in ("", c)', [["empty-list-value", '""']]],
    ["x > abc", [["range-needs-number", "abc"]]],
    ["x <= true", [["range-needs-number", "true"]]],
    ["x = 1e999", [["non-finite-number", "1e999"]]],
    ["x in (1, -1e400)", [["non-finite-number", "-1e400"]]],
    ["`a.b` = 1", [["unaddressable-segment", "`a.b`"]]],
    ["`a[0]`.c = 1", [["unaddressable-segment", "`a[0]`"]]],
    ["x.`` = 1", [["unaddressable-segment", "``"]]],
    ['x = "\\ud800"', [["lone-surrogate", '"\\ud800"']]],
    ["`\\ud800` = 1", [["lone-surrogate", "`\\ud800`"]]],
    ["creator != u", [["negation-not-supported", "creator != u"]]],
    ["creator = 5", [["creator-operator", "creator = 5"]]],
    ["creator in (a, b)", [["creator-operator", "creator in (a, b)"]]],
    ["creator > 1", [["creator-operator", "creator > 1"]]],
    ["creator = a and creator = b", [["duplicate-creator", "creator = b"]]],
  ])("%s", (text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
    expect(check(text).ok).toBe(false);
  });

  it("creator does not count toward the five filters", () => {
    expect(issuesOf("a = 1 and b = 2 and c = 3 and d = 4 and creator = x and e = 5")).toEqual([]);
  });

  it("reports every problem, in text order", () => {
    const text = "a.b.c.d.e.f = 1 and x in (true) and y > z and not q = 1";
    expect(issuesOf(text).map(([code]) => code)).toEqual([
      "path-too-deep",
      // `in (true)` becomes `= true`, which is fine
      "range-needs-number",
      "negation-not-supported",
    ]);
  });

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

  it("refuses hand-built shapes the language cannot write: an empty path, an empty list", () => {
    expect(validate({ type: "compare", op: "eq", field: { type: "meta", path: [] }, value: { value: 1 } }).map((i) => i.code)).toEqual(["unaddressable-segment"]);
    expect(validate({ type: "in", field: { type: "meta", path: ["a"] }, values: [], negated: false }).map((i) => i.code)).toEqual(["empty-list-value"]);
  });

  it("says why an or of creators cannot be sent", () => {
    expect(check("creator = a or creator = b").issues[0]!.message).toBe("the API takes one creator per request: an or of creators cannot be sent");
  });

  it("treats -0 and 0 as one value when dropping duplicates", () => {
    expect(toQueryString("x in (0, -0, 1)")).toBe("meta.x[in:number]=0|1");
    expect(toQueryString("x = 0 and x = -0")).toBe("meta.x[eq:number]=0");
  });

  it("validates filters built by hand, without spans", () => {
    const issues = validate({ type: "not", operand: { type: "all" } });
    expect(issues.map((i) => i.code)).toEqual(["negation-not-supported"]);
    expect(issues[0]).toMatchObject({ start: 0, end: 0, severity: "error" });
  });

  it("messages say what is wrong in plain words", () => {
    const [issue] = check("a = 1 and b = 2 and c = 3 and d = 4 and e = 5 and f = 6").issues;
    expect(issue!.message).toBe("the API accepts at most 5 metadata filters; this is filter 6 of 6");
  });
});
