/**
 * Vitest global setup: builds Chevrotain as we ship it (one ESM file, lodash-es swapped for es-toolkit)
 * into node_modules/.cache, where vitest.config.ts points `chevrotain` at it. One file also imports in a
 * fraction of the time Chevrotain's 600-odd package files take.
 */
import { build } from "esbuild";
import { chevrotainAsShipped } from "./esbuild-plugins.js";

export const CHEVROTAIN_FOR_TESTS = new URL("../node_modules/.cache/imgmeta/chevrotain.mjs", import.meta.url);

export default async function setup(): Promise<void> {
  await build({
    stdin: { contents: 'export * from "chevrotain";', resolveDir: new URL("..", import.meta.url).pathname },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    outfile: CHEVROTAIN_FOR_TESTS.pathname,
    plugins: chevrotainAsShipped,
    logLevel: "silent",
  });
}
