/**
 * The child of `test/server/old-space.test.ts` (run with `node --import tsx`): how many bytes one call of
 * a hot workload leaves in the old generation. Garbage there is collected only by a full GC, so a
 * workload that leaves some on every call makes a server under steady load stop for full GCs (and for
 * their concurrent marking, which takes a core) every few seconds. Prints one JSON line.
 *
 * Each figure is the median, over several windows of calls, of the old generation's growth divided by
 * the calls; a window that a full GC happens to cut short only lowers its own figure.
 */
import v8 from "node:v8";
import { fromSearchParams, toQueryString } from "../../src/index.js";

function oldGeneration(): number {
  let bytes = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name === "old_space" || space.space_name === "large_object_space") bytes += space.space_used_size;
  }
  return bytes;
}

/** Bytes left in the old generation per call of `work` (after a warm-up: code, feedback, caches). */
async function perCall(work: () => unknown, calls = 4000, windows = 7): Promise<number> {
  for (let i = 0; i < 1000; i++) await work();
  const figures: number[] = [];
  for (let w = 0; w < windows; w++) {
    const before = oldGeneration();
    for (let i = 0; i < calls; i++) await work();
    figures.push((oldGeneration() - before) / calls);
  }
  figures.sort((a, b) => a - b);
  return figures[windows >> 1]!;
}

const query = toQueryString('status = "active" and priority >= 4 and region.name = "eu-west"');
const result = {
  fromSearchParams: await perCall(() => fromSearchParams(query)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
