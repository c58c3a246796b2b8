/**
 * `npm run build:cli`, and the `prepare` script that `npm install` runs in a checkout: what `npx imgmeta`
 * needs, in a few seconds: dist/cli.js, bundled as `npm run build` bundles it (tsup.config.ts), and the
 * playground page that its `serve` serves. It prints nothing, since npm prints a `prepare` script's
 * output into what `npm pack --json` writes.
 */
import { build } from "tsup";
import { cliBuild } from "../tsup.config.js";
import { writePlayground } from "./build-playground.js";

await build({ ...cliBuild, config: false, silent: true });
await writePlayground();
