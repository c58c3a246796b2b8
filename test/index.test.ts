/**
 * The package's root entry point (src/index.ts): every function that takes "a filter or its text" gives
 * the same for both, checks a built filter at the door, and checks its options before the text.
 * (Text becomes a filter in src/input.ts: input.test.ts; the door: semantics/shape.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as root from "../src/index.js";
import { format, normalize, plan, toPredicate, toQueryString, toSearchParams } from "../src/index.js";
import { imageArb, rootFilterArb, SEED } from "./support/arbitraries.js";
import { codes } from "./support/codes.js";
import { answer, textAndFilter } from "./support/text-or-filter.js";

describe("a filter or its text", () => {
  it("toSearchParams, toQueryString, plan and toPredicate give a filter and its text the same", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.array(imageArb, { minLength: 1, maxLength: 5 }), (generated, images) => {
        const [text, filter] = textAndFilter(generated);
        const limits = { limits: { maxInputLength: 1e6 } };
        expect(answer(() => toQueryString(text, limits))).toEqual(answer(() => toQueryString(filter)));
        expect(answer(() => toSearchParams(text, limits).toString())).toEqual(answer(() => toSearchParams(filter).toString()));
        const [fromText, fromFilter] = [answer(() => plan(text, limits)), answer(() => plan(filter))];
        expect("refused" in fromText ? fromText : { params: fromText.params.toString(), exact: fromText.exact }).toEqual(
          "refused" in fromFilter ? fromFilter : { params: fromFilter.params.toString(), exact: fromFilter.exact },
        );
        const [byText, byFilter] = [toPredicate(text, limits), toPredicate(filter)];
        for (const image of images) expect(byText(image)).toBe(byFilter(image));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("normalize and format take only a filter, and check it at the door", () => {
    expect(codes(() => normalize({ type: "not" } as unknown as root.Filter))).toEqual(["invalid-filter"]);
    expect(codes(() => format({ type: "not" } as unknown as root.Filter))).toEqual(["invalid-filter"]);
  });
});

describe("options", () => {
  it("toSearchParams and toQueryString check perPage, sortOrder and continuationToken before the text", () => {
    expect(codes(() => toQueryString("a = ", { perPage: 5 }))).toEqual(["invalid-per-page"]);
    expect(codes(() => toSearchParams("a = ", { sortOrder: "up" as "asc", continuationToken: "x".repeat(33) }))).toEqual([
      "invalid-sort-order",
      "invalid-continuation-token",
    ]);
  });
});

describe("what the root exports", () => {
  it("the functions of the README's API table, and no back-end target (they have entry points of their own)", () => {
    const functions = Object.entries(root)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name)
      .sort();
    expect(functions).toEqual(
      ["FilterError", "check", "format", "formatIssue", "fromSearchParams", "normalize", "parse", "parsePerPage", "plan", "suggest", "toPredicate", "toQueryString", "toSearchParams", "tokenize", "validate", "valueAt"].sort(),
    );
  });
});
