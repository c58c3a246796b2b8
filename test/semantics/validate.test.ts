/**
 * What a target can express (src/semantics/validate.ts): the API's rules, one issue each, at the exact span
 * concerned; and `validate(filter, { target })` for each target, "api", "binding" and "local", with what
 * each reports and what it does not.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, FilterError, parse, toPredicate, toQueryString, validate, type FilterNode, type Issue, type ValidationTarget } from "../../src/index.js";
import { toBindingFilter } from "../../src/integrations.js";
import { toSql } from "../../src/sql.js";
import { apiFilterArb, filterArb, rootFilterArb, SEED } from "../support/arbitraries.js";
import { codes } from "../support/codes.js";

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

/** The issues `validate` reports for a text, for a target, as [code, text pointed at]. */
function issuesFor(text: string, target?: ValidationTarget): [string, string][] {
  return pointed(text, validate(parse(text), target === undefined ? undefined : { target }));
}

describe('validate(filter, { target: "api" }): the List images V2 query parameters (the default)', () => {
  it("is what validate checks without a target", () => {
    for (const text of ["a = 1 or b = 2", 'x in ("a|b", "")', "creator = u and a != 1", "a.b.c.d.e.f = 1", ""]) {
      expect(issuesFor(text, "api"), text).toEqual(issuesFor(text));
    }
  });

  it("reports the rules of the query string's form: | and \"\" cannot be list values there", () => {
    expect(issuesFor('x in ("a|b", "", c)', "api")).toEqual([
      ["pipe-in-value", '"a|b"'],
      ["empty-list-value", '""'],
    ]);
  });

  it("counts conditions, not paths: six conditions on three paths are six filters", () => {
    expect(issuesFor("a > 1 and a < 5 and b > 1 and b < 5 and c > 1 and c < 5", "api")).toEqual([["too-many-filters", "c < 5"]]);
  });

  it("takes the creator, with = and a string", () => {
    expect(issuesFor('creator = "u" and a = 1', "api")).toEqual([]);
    expect(issuesFor('creator = ""', "api")).toEqual([]);
  });

  it("reports nothing for what the API takes: exactly the filters toSearchParams accepts", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(apiFilterArb, filterArb), (filter) => {
        const issues = validate(filter, { target: "api" });
        if (issues.length === 0) {
          accepted++;
          expect(() => toQueryString(filter)).not.toThrow();
        } else {
          expect(codes(() => toQueryString(filter))).toEqual(issues.map((issue) => issue.code));
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });
});

describe('validate(filter, { target: "binding" }): the Workers binding\'s filter', () => {
  it("does not report what only the query string's form refuses: lists are real arrays there", () => {
    expect(issuesFor('x in ("a|b", "", c)', "binding")).toEqual([]);
  });

  it("counts paths, not conditions (the binding merges the conditions on one path)", () => {
    expect(issuesFor("a > 1 and a < 5 and b > 1 and b < 5 and c > 1 and c < 5", "binding")).toEqual([]);
    const six = "a = 1 and b = 1 and a > 0 and c = 1 and d = 1 and e = 1 and f = 1";
    expect(issuesFor(six, "binding")).toEqual([["too-many-filters", "f = 1"]]);
    expect(validate(parse(six), { target: "binding" })[0]!.message).toBe("at most 5 metadata paths can be filtered on; this is path 6 of 6");
  });

  it("reports the creator, which is an option of list() and not part of the binding's filter", () => {
    expect(issuesFor('creator = "u" and a = 1', "binding")).toEqual([["binding-unsupported", 'creator = "u"']]);
    expect(issuesFor('creator = ""', "binding")).toEqual([["binding-unsupported", 'creator = ""']]);
    // The creator's own rules still apply: one issue more for a creator compared with a number.
    expect(issuesFor("creator = 5", "binding")).toEqual([
      ["binding-unsupported", "creator = 5"],
      ["creator-operator", "creator = 5"],
    ]);
  });

  it.each<[string, [string, string][]]>([
    ["a != 1", [["negation-not-supported", "a != 1"]]],
    ["a = 1 or b = 2", [["or-not-supported", "a = 1 or b = 2"]]],
    ["x > abc", [["range-needs-number", "abc"]]],
    ["x in (true, false)", [["boolean-list", "true"], ["boolean-list", "false"]]],
    ['x in (1, "2")', [["mixed-types", '"2"']]],
    ["a.b.c.d.e.f = 1", [["path-too-deep", "f"]]],
    ["`a.b` = 1", [["unaddressable-segment", "`a.b`"]]],
    ["x in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)", [["too-many-values", "11"]]],
    ["x = 1e999", [["non-finite-number", "1e999"]]],
    ['x = "\\ud800"', [["lone-surrogate", '"\\ud800"']]],
  ])("reports every other rule of the API: %s", (text, expected) => {
    expect(issuesFor(text, "binding")).toEqual(expected);
  });

  it("does not look for conditions that can never all hold: toBindingFilter finds them as it merges", () => {
    expect(issuesFor("a = 1 and a = 2", "binding")).toEqual([]);
    expect(codes(() => toBindingFilter("a = 1 and a = 2"))).toEqual(["conflicting-conditions"]);
  });

  it("reports nothing for what the binding takes: toBindingFilter refuses such a filter only for conditions that cannot all hold", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(apiFilterArb, filterArb), (filter) => {
        const issues = validate(filter, { target: "binding" });
        let refusal: string[] = [];
        try {
          toBindingFilter(filter);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterError);
          refusal = (error as FilterError).issues.map((issue) => issue.code);
        }
        if (issues.length === 0) {
          accepted++;
          expect(refusal.every((code) => code === "conflicting-conditions")).toBe(true);
        } else {
          expect(refusal).toEqual(issues.map((issue) => issue.code));
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });
});

describe('validate(filter, { target: "local" }): the predicate and SQL, which evaluate the whole language', () => {
  it("reports no rule of the API: every well-formed filter can be evaluated locally", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        expect(validate(filter, { target: "local" })).toEqual([]);
        // ...and the local targets take it.
        expect(() => toPredicate(filter)).not.toThrow();
        expect(() => toSql(filter, { dialect: "sqlite" })).not.toThrow();
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(issuesFor('not (a = 1 or creator in (x, y)) and b in (true, "|", 1e999) and c.d.e.f.g.h > "x"', "local")).toEqual([]);
  });

  it("still reports what is not a well-formed filter, or nests too deep", () => {
    const broken = { type: "compare", op: "like", field: { type: "meta", path: ["a"] }, value: { value: 1 } } as unknown as FilterNode;
    expect(validate(broken, { target: "local" }).map((issue) => issue.code)).toEqual(["invalid-filter"]);
    let deep: FilterNode = parse("a = 1");
    for (let i = 0; i < 200; i++) deep = { type: "not", operand: deep };
    expect(validate(deep, { target: "local" }).map((issue) => issue.code)).toEqual(["nesting-too-deep"]);
  });
});
