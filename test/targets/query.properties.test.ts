/**
 * The query string (src/targets/query.ts) and its reverse (src/targets/from-search-params.ts) agree: on
 * thousands of seeded filters the API can express, the parameters read back to the filter's normal form
 * and select what it selects. (Across every target, with paths from all of Unicode: round-trip.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromSearchParams, normalize, toPredicate, toQueryString, toSearchParams, validate, type FilterNode } from "../../src/index.js";
import { apiFilterArb, filterArb, imageArb, SEED } from "../support/arbitraries.js";
import { stripSpans } from "../support/spans.js";

const RUNS = 3000;
const params = { seed: SEED, numRuns: RUNS };

/** Two filters select the same images among these. */
function agreeOn(a: FilterNode, b: FilterNode, images: readonly Parameters<ReturnType<typeof toPredicate>>[0][]): void {
  const pa = toPredicate(a);
  const pb = toPredicate(b);
  for (const image of images) expect(pb(image)).toBe(pa(image));
}

describe("query parameters round-trip", () => {
  const expressible = fc.oneof(apiFilterArb, filterArb).filter((filter) => validate(filter).length === 0);

  it("fromSearchParams(toSearchParams(f)) equals the normal form of f", () => {
    fc.assert(
      fc.property(expressible, (filter) => {
        expect(stripSpans(fromSearchParams(toSearchParams(filter)))).toEqual(stripSpans(normalize(filter)));
      }),
      params,
    );
  });

  it("the readable query string reads back to the same filter", () => {
    fc.assert(
      fc.property(expressible, (filter) => {
        const query = toQueryString(filter);
        expect(stripSpans(fromSearchParams(query))).toEqual(stripSpans(normalize(filter)));
        // ...and so does the same string once a URL parser has had it.
        expect(stripSpans(fromSearchParams(new URLSearchParams(query)))).toEqual(stripSpans(normalize(filter)));
      }),
      params,
    );
  });

  it("the API's filter selects what the original filter selects", () => {
    fc.assert(
      fc.property(expressible, fc.array(imageArb, { minLength: 1, maxLength: 8 }), (filter, images) => {
        agreeOn(filter, fromSearchParams(toSearchParams(filter)), images);
      }),
      params,
    );
  });

  it("a good share of the generated filters is expressible (the properties above are not vacuous)", () => {
    const sample = fc.sample(fc.oneof(apiFilterArb, filterArb), { seed: SEED, numRuns: 2000 });
    const share = sample.filter((filter) => validate(filter).length === 0).length / sample.length;
    expect(share).toBeGreaterThan(0.25);
  });
});
