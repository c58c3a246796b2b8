import { defineConfig } from "vitest/config";

/** `npm run test:readme`: the README's CLI examples in a fresh clone (minutes, mostly `npm ci`). */
export default defineConfig({
  test: {
    include: ["test/readme/clone.test.ts"],
    hookTimeout: 600_000,
  },
});
