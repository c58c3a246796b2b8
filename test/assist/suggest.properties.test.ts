/**
 * Completions hold up on any half-typed filter (src/assist/suggest.ts): cut a valid filter anywhere, and
 * `suggest` at the cut offers the token that was cut away (or an item it begins with).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { suggest, type FieldSchema } from "../../src/index.js";
import { SEED } from "../support/arbitraries.js";
import { caseArb } from "../support/schema-arbitraries.js";

describe("suggest on half-typed filters", () => {
  it("offers the token that was cut away, or an item it begins with", () => {
    fc.assert(
      fc.property(caseArb, ({ schema, text, cut }) => {
        const fields: FieldSchema = schema;
        const result = suggest(text.slice(0, cut), cut, { fields });
        const rest = text.slice(result.from);
        // From the replaced position, the original text goes on with one of the items.
        const expected = result.from === cut ? rest.trimStart() : rest;
        if (expected === "") return; // cut at the very end: nothing was cut away
        const offered = result.items.some((item) => item.insert !== "" && expected.startsWith(item.insert));
        expect(offered, `${JSON.stringify(text.slice(0, cut))}▮${JSON.stringify(text.slice(cut))} offered ${JSON.stringify(result.items.map((i) => i.insert))}`).toBe(true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
