/**
 * The list's cached bytes hold about what the images still stored need: a page renders each image's JSON
 * once and keeps its UTF-8 bytes, and bytes kept in views of shared slabs would let one kept image hold a
 * whole slab (64 KB slabs: ~100x the kept bytes here; 8 KB ones: ~13x). Measured in a child process.
 */
import { expect, it } from "vitest";
import { runChild } from "../support/child.js";

it("images rendered and dropped around kept ones leave only the kept ones' bytes", { timeout: 30_000 }, async () => {
  const { keptBytes, held, kept } = await runChild<{ keptBytes: number; held: number; kept: number }>("test/support/render-memory.ts", { flags: ["--expose-gc"] });
  expect(kept).toBe(2000);
  expect(keptBytes).toBeGreaterThan(2000 * 400);
  // Measured: about the kept bytes (each buffer of its exact size).
  expect(held).toBeLessThan(3 * keptBytes);
});
