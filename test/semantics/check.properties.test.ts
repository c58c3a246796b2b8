/**
 * `check` (src/semantics/check.ts) on any string: it never throws, every issue lies inside the text in
 * text order, and what it says is what `parse` and `validate` say (ok exactly when the API can take it).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, FilterError, format, parse, toQueryString, validate, type Filter, type Issue } from "../../src/index.js";
import { sortIssues } from "../../src/syntax/issues.js";
import { rootFilterArb, SEED } from "../support/arbitraries.js";
import { caseArb } from "../support/schema-arbitraries.js";

const params = { seed: SEED, numRuns: 3000 };

/** An issue without the line and column that `check` adds (validate has no text to count them in). */
const unlocated = ({ line: _line, column: _column, ...issue }: Issue): Issue => issue;

describe("check never throws", () => {
  it("on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: "binary" }), (text) => {
        const result = check(text);
        for (const issue of result.issues) {
          expect(issue.start).toBeGreaterThanOrEqual(0);
          expect(issue.end).toBeLessThanOrEqual(Math.max(text.length, issue.start));
        }
      }),
      params,
    );
  });

  it("on mutations of valid filters", () => {
    const mutated = fc
      .tuple(rootFilterArb.map(format), fc.nat(), fc.nat(), fc.constantFrom("", "(", ")", '"', "'", "`", ",", " and ", " or ", "not ", "=", " in ", "\\", "|"))
      .map(([text, at, length, insert]) => {
        const from = at % (text.length + 1);
        return text.slice(0, from) + insert + text.slice(from + (length % 4));
      });
    let parsed = 0;
    let ok = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        const result = check(text);
        expect(sortIssues([...result.issues])).toEqual(result.issues);
        let filter: Filter | undefined;
        try {
          filter = parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterError);
        }
        if (filter === undefined) {
          // Text that does not parse: never ok, with at least one syntax issue to say why.
          expect(result.ok).toBe(false);
          expect(result.issues.length).toBeGreaterThan(0);
          return;
        }
        parsed++;
        // Text that parses: check is parse, then validate; ok exactly when the API can take it.
        expect(result.filter).toEqual(filter);
        const issues = validate(filter);
        expect(result.issues.map(unlocated)).toEqual(issues);
        expect(result.ok).toBe(issues.length === 0);
        if (result.ok) {
          ok++;
          expect(() => toQueryString(text)).not.toThrow();
        }
      }),
      params,
    );
    // Not vacuous: mutations that still parse, and some the API takes.
    expect(parsed).toBeGreaterThan(500);
    expect(ok).toBeGreaterThan(50);
  });
});

describe("check on half-typed filters, with a field schema", () => {
  it("check never throws on the cut text, and its issues lie inside it", () => {
    fc.assert(
      fc.property(caseArb, ({ schema, text, cut }) => {
        const head = text.slice(0, cut);
        const result = check(head, { fields: schema });
        for (const issue of result.issues) {
          expect(issue.start).toBeGreaterThanOrEqual(0);
          expect(issue.end).toBeLessThanOrEqual(head.length);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
