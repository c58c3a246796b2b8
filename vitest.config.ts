import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Chevrotain as we ship it, built by the global setup (see scripts/chevrotain-for-tests.ts).
    alias: {
      chevrotain: fileURLToPath(new URL("./node_modules/.cache/imgmeta/chevrotain.mjs", import.meta.url)),
    },
  },
  test: {
    globalSetup: ["./scripts/chevrotain-for-tests.ts"],
    include: ["test/**/*.test.ts"],
    exclude: ["test/package/**", "test/e2e/**", "test/runtimes/**", "test/readme/clone.test.ts", "node_modules/**"],
  },
});
