/**
 * The heart of the suite: the targets agree. Every property runs thousands of seeded cases.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  check,
  format,
  fromSearchParams,
  normalize,
  parse,
  toPredicate,
  toQueryString,
  toSearchParams,
  validate,
  type FilterNode,
} from "../../src/index.js";
import { apiFilterArb, filterArb, imageArb, rootFilterArb, SEED } from "../support/arbitraries.js";
import { stripSpans } from "../support/spans.js";

const RUNS = 3000;
const params = { seed: SEED, numRuns: RUNS };

/** Two filters select the same images among these. */
function agreeOn(a: FilterNode, b: FilterNode, images: readonly Parameters<ReturnType<typeof toPredicate>>[0][]): void {
  const pa = toPredicate(a);
  const pb = toPredicate(b);
  for (const image of images) expect(pb(image)).toBe(pa(image));
}

describe("format and parse", () => {
  it("parse(format(f)) equals f, spans aside", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        expect(stripSpans(parse(format(filter), { limits: { maxInputLength: 1e6 } }))).toEqual(filter);
      }),
      params,
    );
  });

  it("format is stable: format(parse(format(f))) equals format(f)", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        const text = format(filter);
        expect(format(parse(text, { limits: { maxInputLength: 1e6 } }))).toBe(text);
      }),
      params,
    );
  });
});

describe("normalisation", () => {
  it("never changes meaning: f and normalize(f) select the same images", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.array(imageArb, { minLength: 1, maxLength: 8 }), (filter, images) => {
        agreeOn(filter, normalize(filter), images);
      }),
      params,
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        const once = normalize(filter);
        expect(stripSpans(normalize(once))).toEqual(stripSpans(once));
      }),
      params,
    );
  });
});

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
    fc.assert(
      fc.property(mutated, (text) => {
        const result = check(text);
        expect(typeof result.ok).toBe("boolean");
        if (result.ok) expect(result.filter).toBeDefined();
      }),
      params,
    );
  });
});
