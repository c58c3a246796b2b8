/**
 * The built package, as users get it (Chevrotain bundled), typed by its sources. The figures measure
 * this, not the sources: `npm run bench` builds first.
 */
const url = new URL("../dist/index.js", import.meta.url).href;

export const lib = (await import(url)) as typeof import("../src/index.js");
