/**
 * The built emulator (`imgmeta/server`, dist/server.js), as users get it, typed by its sources: the
 * linearity figure measures this, like the library in `lib.ts`. `npm run bench` builds first.
 */
const url = new URL("../dist/server.js", import.meta.url).href;

export const server = (await import(url)) as typeof import("../src/server/index.js");
