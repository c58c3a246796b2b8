import { defineConfig } from "vitest/config";

/**
 * The runtime matrix (`npm run build` first): the packed package in workerd, Bun, Deno, Node 20 and 24,
 * and Chromium, each running the conformance table (test/conformance/). See test/runtimes/.
 */
export default defineConfig({
  test: {
    include: ["test/runtimes/**/*.test.ts"],
    globalSetup: ["./test/runtimes/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
