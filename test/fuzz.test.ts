/**
 * The fuzz campaign at a size that runs in seconds (long runs: `npm run fuzz -- --runs N`).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { SEED } from "./support/arbitraries.js";
import { campaign, runsFor } from "./fuzz/campaign.js";

describe("fuzz", () => {
  for (const [name, property] of Object.entries(campaign)) {
    it(name, () => {
      fc.assert(property as fc.IProperty<unknown[]>, { seed: SEED, numRuns: runsFor(name, 1500) });
    }, 60_000);
  }
});
