/**
 * The `imgmeta/integrations` entry point (src/integrations.ts): `toListParams` and `toBindingFilter` give a
 * filter and its text the same, and `listImages` checks its options before the filter's text, before any
 * request. (What each target gives: targets/sdk.test.ts, targets/binding.test.ts; the walk:
 * integrations/list-images.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as integrations from "../src/integrations.js";
import { listImages, toBindingFilter, toListParams } from "../src/integrations.js";
import { apiFilterArb, rootFilterArb, SEED } from "./support/arbitraries.js";
import { answer, textAndFilter } from "./support/text-or-filter.js";
import { outcome } from "./support/nesting.js";

describe("a filter or its text", () => {
  it("toListParams and toBindingFilter give a filter and its text the same", () => {
    fc.assert(
      fc.property(fc.oneof(apiFilterArb, rootFilterArb), (generated) => {
        const [text, filter] = textAndFilter(generated);
        const limits = { limits: { maxInputLength: 1e6 } };
        expect(answer(() => toListParams(text, limits))).toEqual(answer(() => toListParams(filter)));
        expect(answer(() => toBindingFilter(text, limits))).toEqual(answer(() => toBindingFilter(filter)));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe("listImages", () => {
  it("checks its options before the filter's text, and both before any request", async () => {
    const requests: string[] = [];
    const source = {
      apiToken: "t",
      fetch: async (input: RequestInfo | URL) => {
        requests.push(String(input));
        return Response.json({ success: true, errors: [], result: { images: [], continuation_token: null } });
      },
    };
    const walk = (options: Partial<integrations.ListImagesOptions>) =>
      outcome(async () => {
        for await (const image of listImages(source, { accountId: "a", ...options })) void image;
      });
    expect(await walk({ perPage: 5, filter: "a = " })).toBe("invalid-per-page");
    expect(await walk({ filter: "a = " })).toBe("expected-value");
    expect(requests).toEqual([]);
    expect(await walk({ filter: "a = 1" })).toBe("ok");
    expect(requests).toHaveLength(1);
  });
});

describe("what the entry point exports", () => {
  it("listImages, toListParams, toBindingFilter and ImagesApiError", () => {
    const functions = Object.entries(integrations)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name)
      .sort();
    expect(functions).toEqual(["ImagesApiError", "listImages", "toBindingFilter", "toListParams"]);
  });
});
