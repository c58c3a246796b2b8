/**
 * `npm run build:cli`, and the `prepare` script that `npm install` runs in a checkout: dist/cli.js alone,
 * bundled as `npm run build` bundles it (tsup.config.ts), in a few seconds, so that `npx imgmeta` runs
 * right after `npm install`.
 */
import { build } from "tsup";
import { cliBuild } from "../tsup.config.js";

await build({ ...cliBuild, config: false, silent: true });
