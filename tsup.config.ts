import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: ESM + CJS + .d.ts, Chevrotain as a dependency (bundlers dedupe it).
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    outDir: "dist",
  },
  {
    // The CLI: one file with Chevrotain inlined; unbundled, Chevrotain 11 alone loads ~640 files.
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    noExternal: ["chevrotain"],
    sourcemap: true,
    clean: false,
    outDir: "dist",
  },
]);
