/**
 * How Chevrotain is bundled into everything we ship (library, CLI, browser bundle) and into the tests:
 * its lodash-es is swapped for es-toolkit's lodash-compatible build, which is a third of the size
 * (Chevrotain 12 dropped lodash for the same reason), and its lexer is left out, since imgmeta scans
 * text itself. The whole suite runs against this combination.
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

const lexerStub = fileURLToPath(new URL("./chevrotain-lexer-stub.js", import.meta.url));

/**
 * Resolves Chevrotain's lexer module to a stub holding only the constants its parser uses (`Lexer.NA`,
 * `Lexer.SKIPPED`). The real module drags in the lexer and a regular-expression parser (about 8 KB
 * gzipped) that nothing calls: `test/syntax/lexer.test.ts` checks imgmeta's lexer against the real one.
 */
export const withoutChevrotainLexer: Plugin = {
  name: "without-chevrotain-lexer",
  setup(build) {
    build.onResolve({ filter: /(?:^|\/)lexer_public\.js$/ }, (args) =>
      /[\\/]chevrotain[\\/]lib[\\/]/.test(args.importer) ? { path: lexerStub } : undefined,
    );
  },
};

/** The plugins Chevrotain is bundled with, wherever it is bundled. */
export const chevrotainAsShipped: Plugin[] = [lodashToEsToolkit, withoutChevrotainLexer];

/** How browser code is bundled (the browser bundle, the playground page, the size figures). */
export const browserBundle: BuildOptions = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  mainFields: ["module", "main"], // lodash-es has no exports map
  plugins: chevrotainAsShipped,
  write: false,
  logLevel: "silent",
};
