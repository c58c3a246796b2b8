/**
 * `check` (src/semantics/check.ts): parse and validate in one call, for search boxes. It reports every
 * problem at once (every syntax error, the API's rules, the schema's), returns what was understood, and
 * never throws. (Its properties on any string: check.properties.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { check, format, parse } from "../../src/index.js";
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
describe("the conformance table", () => conformance(["issues"]));
