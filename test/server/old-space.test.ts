/**
 * The list route's hot path leaves (almost) nothing in the old generation: under steady load, garbage
 * there means full GCs every few seconds, each a pause and, while it marks, a core taken from the
 * requests (the slowest requests of the emulator figure of `npm run bench` were those). Measured in a
 * child process, whose heap holds nothing else (`test/support/old-space.ts`).
 */
import { expect, it } from "vitest";
import { runChild } from "../support/child.js";

it("reading a list request's filter, and answering it over HTTP, leave nothing in the old generation", { timeout: 30_000 }, async () => {
  const bytes = await runChild<Record<string, number>>("test/support/old-space.ts");
  // Measured: about 1 byte per call; with an object spread in `withSpan`, about 430.
  expect(bytes["fromSearchParams"]).toBeLessThan(64);
  // A whole list page answered over HTTP. Measured: under 2 bytes per request. Answered with a web
  // `Response` (whose `ReadableStream` outlives the young generation): about 520 more; with a Set of the
  // requests under way and an index map re-ordered on every use: about 120 more each.
  expect(bytes["listPageOverHttp"]).toBeLessThan(128);
});
