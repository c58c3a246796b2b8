/**
 * The `prepare` script: `npm install` runs it in a checkout, and builds what `npx imgmeta` needs (see
 * build-cli.ts). npx runs it too when it first links a checkout's own bin, which may be before
 * `npm install`: then there is no tsx to build with, and this does nothing, so that npx still links the
 * launcher (bin/imgmeta.js), which says to run `npm install`. A failed prepare would leave npx's link
 * half made, and `npx imgmeta` broken in that checkout for good. Plain JavaScript, to run without tsx.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

try {
  createRequire(import.meta.url).resolve("tsx");
} catch {
  process.exit(0); // not installed yet
}
const build = spawnSync(process.execPath, ["--import", "tsx", new URL("./build-cli.ts", import.meta.url).pathname], { stdio: "inherit" });
process.exit(build.status ?? 1);
