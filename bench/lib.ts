/**
 * The built package, as users get it (Chevrotain bundled), typed by its sources. The figures measure
 * this, not the sources: `npm run bench` builds first. `IMGMETA_BENCH_DIST=/path/to/a/copy/of/dist`
 * measures another build instead (a copy of `dist/` from before a change, run in turns with this one).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dist = process.env.IMGMETA_BENCH_DIST;
const url = dist ? pathToFileURL(resolve(dist, "index.js")).href : new URL("../dist/index.js", import.meta.url).href;

export const lib = (await import(url)) as typeof import("../src/index.js");
