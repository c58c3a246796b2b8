/**
 * The memory child of the load test (run with `node --expose-gc --import tsx`): an emulator in this
 * process takes the same load several rounds in a row, everything it added being deleted after each
 * round; prints the memory in use (JS heap plus array buffers, where image bytes live) after a forced GC
 * at the end of every round, as one JSON line.
 */
import { createEmulator } from "../../src/server/index.js";
import { deleteAll, runLoad } from "./load.js";

const rounds = Number(process.argv[2] ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

// A small token table, so that its bound (not only its growth) is reached within a few rounds.
const emulator = createEmulator({ maxCursors: 200 });
const { url } = await emulator.listen({ port: 0 });
const heap: number[] = [];
const problems: string[] = [];
let listed = 0;
for (let round = 0; round < rounds; round++) {
  const result = await runLoad({ url, uploads: 120, directUploads: 40, races: 10, walkers: 3, seed: 20261122, round, fileBytes: 16 * 1024 });
  problems.push(...result.problems);
  await deleteAll(url, result.acknowledged.keys());
  listed += (await emulator.store()).listedCount;
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  heap.push(heapUsed + arrayBuffers);
}
await emulator.close();
process.stdout.write(`${JSON.stringify({ heap, problems, listed })}\n`);
