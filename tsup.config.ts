import { defineConfig, type Options } from "tsup";
import { chevrotainAsShipped } from "./scripts/esbuild-plugins.js";

/**
 * Chevrotain is bundled into every output (with es-toolkit in place of its lodash-es): unbundled,
 * Chevrotain 11 loads ~640 files and costs most of a second of start-up; bundled, it starts in tens of
 * milliseconds, and browsers and Workers get one self-contained file. get-east-asian-width (the code
 * frames' column widths) is bundled too, so that the library keeps no runtime dependency.
 */
const shared: Options = {
  noExternal: ["chevrotain", "get-east-asian-width"],
  esbuildPlugins: chevrotainAsShipped,
  esbuildOptions(options) {
    options.mainFields = ["module", "main"]; // lodash-es has no exports map
  },
  sourcemap: true,
  outDir: "dist",
};

/** The CLI: one file (and the emulator's chunk, loaded for `serve`). Also built alone by `npm run build:cli`. */
export const cliBuild: Options = {
  ...shared,
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: false,
};

export default defineConfig([
  {
    // The library, its back-end entry points and the emulator: ESM + CJS + .d.ts, sharing one chunk.
    ...shared,
    entry: {
      index: "src/index.ts",
      integrations: "src/integrations.ts",
      sql: "src/sql.ts",
      // imgmeta/sql on Node, and the parser it loads on first use (see src/sql-node.ts).
      "sql-node": "src/sql-node.ts",
      parse: "src/parse.ts",
      // The search box on CodeMirror 6, whose packages are optional peer dependencies (left external).
      codemirror: "src/codemirror/index.ts",
      server: "src/server/index.ts",
      "server-web": "src/server/web.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    splitting: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    // The emulator's Node half (listen, files) is imported only on Node, on demand.
    external: [/^node:/],
    esbuildOptions(options, { format }) {
      shared.esbuildOptions?.(options, { format });
      // CommonJS has no import.meta: code that needs its own location asks for __filename first (sql-node.ts).
      if (format === "cjs") options.define = { ...options.define, "import.meta.url": "undefined" };
    },
  },
  {
    // For browsers without a bundler (and the playground): one minified ESM file.
    ...shared,
    entry: { "imgmeta.browser": "src/index.ts" },
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    minify: true,
    clean: false,
  },
  cliBuild,
]);
