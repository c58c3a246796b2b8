import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Chevrotain 11's package entry loads hundreds of lodash-es files; its single-file build is the
    // same code and imports in a fraction of the time.
    alias: {
      chevrotain: fileURLToPath(new URL("./node_modules/chevrotain/lib/chevrotain.mjs", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/package/**", "node_modules/**"],
  },
});
