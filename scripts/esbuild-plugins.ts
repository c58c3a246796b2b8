/**
 * How Chevrotain is bundled into everything we ship (library, CLI, browser bundle) and into the tests:
 * its lodash-es is swapped for es-toolkit's lodash-compatible build, which is a third of the size
 * (Chevrotain 12 dropped lodash for the same reason). The whole suite runs against this combination.
 */
import { fileURLToPath } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";

const esToolkitCompat = fileURLToPath(new URL("../node_modules/es-toolkit/dist/compat/index.mjs", import.meta.url));

/** Resolves `lodash-es` to `es-toolkit/compat`. */
export const lodashToEsToolkit: Plugin = {
  name: "lodash-es-to-es-toolkit",
  setup(build) {
    build.onResolve({ filter: /^lodash-es$/ }, () => ({ path: esToolkitCompat }));
  },
};

/** How browser code is bundled (the browser bundle, the playground page, the size figures). */
export const browserBundle: BuildOptions = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  mainFields: ["module", "main"], // lodash-es has no exports map
  plugins: [lodashToEsToolkit],
  write: false,
  logLevel: "silent",
};
