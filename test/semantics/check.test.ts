/**
 * `check` (src/semantics/check.ts): parse and validate in one call, for search boxes. It reports every
 * problem at once (every syntax error, the API's rules, the schema's), returns what was understood, and
 * never throws. (Its properties on any string: check.properties.test.ts.)
 *
 * By target: the API's parameters as they are (`target: "api"`, the default), or `plan` / `listImages`
 * (`target: "plan"`), where what the API cannot take is applied locally and reported as information, never
 * as an error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, format, formatIssue, normalize, parse, plan, type FilterNode, type Issue } from "../../src/index.js";
import { rootFilterArb, SEED } from "../support/arbitraries.js";
import { fields } from "../support/fields.js";
import { conformance } from "../conformance/runner.js";

describe("all errors at once", () => {
  it("reports every syntax error in one pass, each with its own span", () => {
    const text = 'a = and b = 2 and c in (1 2) and d = "x';
    const issues = check(text).issues;
    expect(issues.map((i) => [i.code, text.slice(i.start, i.end)])).toEqual([
      ["expected-value", "and"],
      ["unexpected-token", "2"],
      ["unterminated-string", '"x'],
    ]);
  });

  it("returns the best partial filter recovery can build", () => {
    const result = check("a = 1 and b = and c = 3");
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(["expected-value"]);
    expect(result.filter && format(result.filter)).toBe("a = 1 and c = 3");
  });

  it("reads an unterminated string as if it were closed, so the rest is still checked", () => {
    const result = check('status = "act', { fields });
    expect(result.issues.map((i) => i.code)).toEqual(["unterminated-string", "unknown-value"]);
    expect(result.filter && format(result.filter)).toBe('status = "act"');
  });
});
describe("what check returns", () => {
  it("check returns the filter even when the API cannot express it", () => {
    const result = check("a = 1 or b = 2");
    expect(result.ok).toBe(false);
    expect(result.filter).toEqual(parse("a = 1 or b = 2"));
  });

  it("is ok with warnings alone, and locates every issue by line and column", () => {
    const result = check("colour = red and\nstauts = x", { fields });
    expect(result.ok).toBe(true);
    expect(result.issues.map((issue) => [issue.severity, issue.line, issue.column])).toEqual([
      ["warning", 1, 1],
      ["warning", 2, 1],
    ]);
  });

  it("answers something that is not a string with an issue, not an exception", () => {
    expect(check(5 as unknown as string)).toEqual({
      ok: false,
      issues: [{ code: "not-a-string", message: "the filter must be a string", severity: "error", start: 0, end: 0 }],
    });
  });
});

// The conformance table (test/conformance/): the issues check reports.

const at = (text: string, issue: Issue) => text.slice(issue.start, issue.end);
const brief = (text: string, issues: readonly Issue[]) => issues.map((issue) => [issue.severity, issue.code, at(text, issue)]);

describe("check's target", () => {
  it.each<[string, [string, string][]]>([
    // [text, [code, the part applied locally]]
    ["status = active or priority = 5", [["or-not-supported", "status = active or priority = 5"]]],
    ["status != x and rating >= 4", [["negation-not-supported", "status != x"]]],
    ["not (a = 1 and b = 2) and c = 3", [["negation-not-supported", "not (a = 1 and b = 2)"]]],
    // A negation folded into what it negates: the whole is applied locally, its "not" included.
    ["a = 1 and not b not in (x, true)", [["boolean-list", "not b not in (x, true)"]]],
    ["c = 3 and ((a = 1) or (b = 2))", [["or-not-supported", "((a = 1) or (b = 2))"]]],
    ['tag in ("a|b", c) and creator = u', [["pipe-in-value", 'tag in ("a|b", c)']]],
    ["creator = a and creator = b", [["duplicate-creator", "creator = b"]]],
    ["a.b.c.d.e.f = 1 and g = 2", [["path-too-deep", "a.b.c.d.e.f = 1"]]],
    // Six filters: plan sends the five that narrow most, so the one applied locally is the range, wherever it is written.
    ["r > 1 and l in (1, 2, 3) and a = 1 and b = 2 and s in (1, 2) and c = 3", [["too-many-filters", "r > 1"]]],
  ])("%s: errors for the API, information for plan", (text, local) => {
    const api = check(text);
    expect(api.ok).toBe(false);
    expect(api.issues.every((issue) => issue.severity === "error")).toBe(true);

    const planned = check(text, { target: "plan" });
    expect(planned.ok).toBe(true);
    expect(planned.filter).toEqual(api.filter);
    expect(brief(text, planned.issues)).toEqual(local.map(([code, part]) => ["info", code, part]));
    for (const issue of planned.issues) expect(issue.message).toMatch(/^applied locally: /);
  });

  it("says why in the API's words", () => {
    const [issue] = check("status = active or priority = 5", { target: "plan" }).issues;
    expect(issue?.message).toBe(`applied locally: ${check("status = active or priority = 5").issues[0]?.message}`);
    // The README's example.
    const [sixth] = check("r > 1 and a = 1 and b = 2 and c = 3 and d = 4 and e = 5", { target: "plan" }).issues;
    expect(sixth).toMatchObject({ severity: "info", code: "too-many-filters", start: 0, end: 5 });
    expect(sixth?.message).toBe("applied locally: the API accepts at most 5 metadata filters, and the 5 sent narrow the search more");
  });

  it("reports nothing for a filter the API takes whole, whatever the target", () => {
    for (const target of ["api", "plan"] as const) {
      expect(check('status = "active" and priority in (4, 5)', { target })).toMatchObject({ ok: true, issues: [] });
    }
  });

  it("keeps syntax errors and the field schema's issues for plan", () => {
    const broken = check("a = 1 or b =", { target: "plan" });
    expect(broken.ok).toBe(false);
    expect(broken.issues.map((issue) => [issue.severity, issue.code])).toEqual([["error", "expected-value"]]);

    const fields = { priority: "number" as const, b: "number" as const };
    const typed = check('priority = "5" or b = 1', { target: "plan", fields });
    expect(typed.ok).toBe(false);
    expect(brief('priority = "5" or b = 1', typed.issues)).toEqual([
      ["info", "or-not-supported", 'priority = "5" or b = 1'],
      ["error", "type-mismatch", '"5"'],
    ]);
  });

  it("honours the caller's limits", () => {
    expect(check("a = 1 and b = 2 and c = 3", { target: "plan", limits: { maxFilters: 2 } }).issues.map((issue) => issue.code)).toEqual(["too-many-filters"]);
    expect(check("a.b.c.d.e.f = 1", { target: "plan", limits: { maxPathSegments: 6 } }).issues).toEqual([]);
  });

  it("information prints as such, and is not an error", () => {
    const text = "a = 1 or b = 2";
    const [issue] = check(text, { target: "plan" }).issues;
    expect(formatIssue(text, issue!)).toBe(
      [
        'info[or-not-supported]: applied locally: the API combines filters with "and" only, and this "or" cannot be written as one "in" list (that needs equalities on one field with values of one type)',
        " 1 | a = 1 or b = 2",
        "   | ^~~~~~~~~~~~~~",
      ].join("\n"),
    );
  });

  it("marks exactly the conjuncts plan leaves in its residual", () => {
    const conjuncts = (node: FilterNode | null): FilterNode[] => (node === null ? [] : node.type === "and" ? [...node.operands] : [node]);
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        const text = format(filter);
        const result = check(text, { target: "plan" });
        expect(result.ok).toBe(true);
        expect(result.issues.every((issue) => issue.severity === "info")).toBe(true);
        // Each info's span holds one conjunct of the residual, as written.
        const marked = result.issues.map((issue) => format(normalize(parse(at(text, issue)))));
        const residual = conjuncts(plan(text).residual).map((node) => format(node));
        expect(marked.sort()).toEqual(residual.sort());
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe("the conformance table", () => conformance(["issues"]));
