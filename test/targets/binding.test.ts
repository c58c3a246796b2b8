/**
 * The Workers binding's filter (src/targets/binding.ts): `toBindingFilter` merges the conditions on one
 * path, refuses what the binding cannot express, and whenever it accepts a filter, its output selects
 * exactly what the filter selects by the one definition of matching (`matches`), under the binding's
 * filter semantics as the REST API documents them (`test/support/binding-filter.ts`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPredicate, type FilterNode, type ImageRecord } from "../../src/index.js";
import { toBindingFilter, type BindingFilter } from "../../src/integrations.js";
import { matches } from "../../src/semantics/matching.js";
import type { CompareOp, Field, Literal, Scalar } from "../../src/syntax/ast.js";
import { apiFilterArb, filterArb, imageArb, rootFilterArb, SEED } from "../support/arbitraries.js";
import { bindingOutputProblems, bindingSelects } from "../support/binding-filter.js";
import { codes } from "../support/codes.js";
import { filtersWithImagesArb } from "../support/sql-arbitraries.js";
import { conformance } from "../conformance/runner.js";

describe("toBindingFilter", () => {
  it("merges conditions on one path into one object", () => {
    expect(toBindingFilter('region.name = "eu-west" and priority in (4, 5) and rating >= 4 and rating < 5 and rating >= 3')).toEqual({
      metadata: { "region.name": "eu-west", priority: { in: [4, 5] }, rating: { gte: 4, lt: 5 } },
    });
    expect(toBindingFilter("p in (1, 2, 3) and p in (2, 3, 4)")).toEqual({ metadata: { p: { in: [2, 3] } } });
    expect(toBindingFilter("p in (1, 2) and p = 2 and p > 1")).toEqual({ metadata: { p: { eq: 2, gt: 1 } } });
    expect(toBindingFilter("enabled = true")).toEqual({ metadata: { enabled: true } });
    expect(toBindingFilter("")).toEqual({});
  });

  it("applies the binding's own rules, not those of the query string", () => {
    // A list is a real array there, so "" and | are fine; conditions merged on one path count once.
    expect(toBindingFilter('a in ("", "x|y")')).toEqual({ metadata: { a: { in: ["", "x|y"] } } });
    expect(toBindingFilter("a > 1 and a < 5 and b > 1 and b < 5 and c > 1 and c < 5")).toEqual({
      metadata: { a: { gt: 1, lt: 5 }, b: { gt: 1, lt: 5 }, c: { gt: 1, lt: 5 } },
    });
    expect(codes(() => toBindingFilter("a = 1 and b = 1 and c = 1 and d = 1 and e = 1 and f = 1"))).toEqual(["too-many-filters"]);
  });

  it.each([
    ["a != 1", "negation-not-supported"],
    ["a = 1 or b = 2", "or-not-supported"],
    ["creator = u", "binding-unsupported"],
    ['creator = ""', "binding-unsupported"],
    ["a = 1 and a = 2", "conflicting-conditions"],
    ["a in (1, 2) and a in (3)", "conflicting-conditions"],
    ["a > x", "range-needs-number"],
    ["a in (true, false)", "boolean-list"],
  ])("refuses %s (%s)", (text, code) => {
    expect(codes(() => toBindingFilter(text))).toContain(code);
  });

  it("selects what toPredicate selects, by the binding's own matching rules", () => {
    const plainImage = imageArb.filter((image) => JSON.stringify(image.meta ?? {}).indexOf("[") < 0 && typeof image.meta === "object" && image.meta !== null);
    const expressible = filterArb.filter((filter) => {
      try {
        toBindingFilter(filter);
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(expressible, fc.array(plainImage, { minLength: 1, maxLength: 8 }), (filter, images) => {
        const binding = toBindingFilter(filter);
        const predicate = toPredicate(filter);
        for (const image of images) expect(bindingSelects(binding, image)).toBe(predicate(image));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

/** The binding's output for `filter`, or undefined when it refuses the filter (with a FilterError). */
function bindingFilterOrRefusal(filter: FilterNode): BindingFilter | undefined {
  try {
    return toBindingFilter(filter);
  } catch {
    // A refusal is a FilterError with issues, never anything else.
    expect(codes(() => toBindingFilter(filter)).length).toBeGreaterThan(0);
    return undefined;
  }
}

/** A few paths and values, so that conditions often meet on one path (where they are merged). */
const VALUES: readonly Scalar[] = [0, 1, 2, -0, 1.5, "x", "y", "", "1", true, false];
const NUMBERS: readonly number[] = [-1, 0, 1, 1.5, 2, 3];
const pathArb = fc
  .constantFrom(["a"], ["a"], ["a"], ["b"], ["a", "b"], ["__proto__"], ["length"])
  .map((path): Field => ({ type: "meta", path }));
const rangeOpArb = fc.constantFrom<CompareOp>("lt", "lte", "gt", "gte");

/** `and`s of equalities, ranges and lists the binding can mostly express, several on one path. */
const mergingFilterArb: fc.Arbitrary<FilterNode> = fc
  .array(
    fc.oneof(
      fc.record({ type: fc.constant("compare" as const), op: fc.constant<CompareOp>("eq"), field: pathArb, value: fc.constantFrom(...VALUES).map((value): Literal => ({ value })) }),
      fc.record({ type: fc.constant("compare" as const), op: rangeOpArb, field: pathArb, value: fc.constantFrom(...NUMBERS).map((value): Literal => ({ value })) }),
      fc.record({
        type: fc.constant("in" as const),
        field: pathArb,
        values: fc
          .oneof(fc.array(fc.constantFrom(...NUMBERS), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom("x", "y", "", "1"), { minLength: 1, maxLength: 4 }))
          .map((values) => values.map((value): Literal => ({ value }))),
        negated: fc.constant(false),
      }),
    ),
    { minLength: 2, maxLength: 5 },
  )
  .map((operands): FilterNode => ({ type: "and", operands }));

describe("whenever toBindingFilter accepts a filter, its output selects what matches selects", () => {
  it.each([
    ["API-shaped filters over random images", apiFilterArb, imageArb],
    ["filters of the whole language over random images", rootFilterArb, imageArb],
    ["equalities, ranges and lists on a few paths (merged) over random images", mergingFilterArb, imageArb],
  ] as const)("%s, and images built from their paths and values", (_name, filters, images) => {
    let accepted = 0;
    let refused = 0;
    let selected = 0;
    let left = 0;
    fc.assert(
      // Two images in three are built from the filters' own paths and values (equal, near, of another
      // type, hidden in an array), so that conditions match and nearly match.
      fc.property(filtersWithImagesArb(filters, images), ([chosen, records]) => {
        for (const filter of chosen) {
          const output = bindingFilterOrRefusal(filter);
          if (output === undefined) {
            refused++;
            continue;
          }
          accepted++;
          expect(bindingOutputProblems(output), JSON.stringify(output)).toEqual([]);
          for (const image of records) {
            const expected = matches(filter, image);
            if (expected) selected++;
            else left++;
            expect(bindingSelects(output, image), `${JSON.stringify(output)} on ${JSON.stringify(image)}`).toBe(expected);
          }
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // Not vacuous: many filters accepted (and refused), and their outputs both select and leave images.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
    expect(selected).toBeGreaterThan(100);
    expect(left).toBeGreaterThan(500);
  });

  it("the oracle tells apart what the binding's looser corners would select", () => {
    // The outputs the issue found: each selects an image the filter does not.
    const image: ImageRecord = { meta: { b: 1 } };
    expect(bindingSelects({ metadata: { a: {} } }, image)).toBe(true);
    expect(bindingSelects({ metadata: {} }, image)).toBe(true);
    expect(bindingSelects({ metadata: { a: { eq: undefined } } } as unknown as BindingFilter, image)).toBe(true);
    expect(bindingOutputProblems({ metadata: { a: {} } })).toEqual(["a: {} matches every image"]);
    expect(bindingOutputProblems({ metadata: {} })).toHaveLength(1);
    expect(bindingOutputProblems({ metadata: { a: { eq: undefined } } })).toEqual(["a.eq is not a string, a finite number or a boolean"]);
    expect(bindingOutputProblems({ metadata: { a: { ne: 1 } } })).toEqual(['a: unknown operator "ne"']);
    expect(bindingOutputProblems({ metadata: { a: { in: [] }, b: { gt: "5" } } })).toHaveLength(2);
    // And the REST API's paths: never into arrays, never the length of one.
    expect(bindingSelects({ metadata: { "tags.0": "a" } }, { meta: { tags: ["a"] } })).toBe(false);
    expect(bindingSelects({ metadata: { "tags.length": 1 } }, { meta: { tags: ["a"] } })).toBe(false);
    expect(bindingSelects({ metadata: { "region.name": "eu" } }, { meta: { region: { name: "eu" } } })).toBe(true);
  });
});

// The conformance table (test/conformance/): the Workers binding's filter, or its refusal.
describe("the conformance table", () => conformance(["binding"]));
