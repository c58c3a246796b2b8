/**
 * The child of `test/server/render-memory.test.ts` (run with `node --expose-gc --import tsx`): the native
 * memory that the cached bytes of listed images hold, when a few images are kept and many others are
 * rendered beside them and dropped (a test suite's images around long-lived fixtures). Prints one JSON
 * line: the bytes of the kept images' JSON, and `arrayBuffers` after a full GC, before and after.
 */
import { renderImages } from "../../src/server/listing.js";
import { demoImages, type StoredImage } from "../../src/server/index.js";

const gc = (globalThis as { gc?: () => void }).gc!;
const template = demoImages(1)[0]!;
const image = (id: string): StoredImage => ({ ...template, id, meta: { note: "x".repeat(400) } });

gc();
const before = process.memoryUsage().arrayBuffers;
const kept: StoredImage[] = [];
let keptBytes = 0;
for (let round = 0; round < 2000; round++) {
  const stays = image(`kept-${round}`);
  kept.push(stays);
  keptBytes += renderImages([stays], "http://h", "x").length - 2;
  renderImages(Array.from({ length: 99 }, (_, i) => image(`dropped-${round}-${i}`)), "http://h", "x");
}
gc();
gc();
const held = process.memoryUsage().arrayBuffers - before;
// `kept` must stay reachable until here, or its images' bytes could be collected too.
process.stdout.write(`${JSON.stringify({ keptBytes, held, kept: kept.length })}\n`);
