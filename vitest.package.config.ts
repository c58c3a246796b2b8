import { defineConfig } from "vitest/config";

/** Tests of the built package as users get it (`npm run build` first): exports, CJS, types, the CLI. */
export default defineConfig({
  test: {
    include: ["test/package/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
