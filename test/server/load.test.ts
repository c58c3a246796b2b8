/**
 * Load over loopback: hundreds of concurrent uploads and direct-upload completions mixed with filtered
 * list walks. Afterwards every acknowledged image is listed exactly once with its metadata, and nothing
 * else is. Repeating the load (deleting what it added) keeps the heap bounded.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { toPredicate } from "../../src/index.js";
import { SEED } from "../support/arbitraries.js";
import { runChild } from "../support/child.js";
import { ACCOUNT, startEmulator, type Running } from "../support/emulator.js";
import { LOAD_FILTER, runLoad, walkAll } from "../support/load.js";

let running: Running;

beforeAll(async () => {
  running = await startEmulator();
});
afterAll(() => running.close());

it("hundreds of concurrent writes and walks: every acknowledged image listed once, with its metadata, and nothing else", { timeout: 30_000 }, async () => {
  const result = await runLoad({ url: running.url, uploads: 300, directUploads: 100, races: 25, walkers: 6, seed: SEED, round: 0 });
  expect(result.problems).toEqual([]);
  expect(result.walks).toBeGreaterThanOrEqual(6);
  // 300 uploads, one winner per race, 100 completed direct uploads.
  expect(result.acknowledged.size).toBe(300 + 25 + 100);

  const everything = await walkAll(running.url, "", 100);
  const ids = everything.map((image) => image.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(new Set(result.acknowledged.keys()));
  for (const image of everything) expect(image.meta, image.id).toEqual(result.acknowledged.get(image.id));
  // Newest first, ties by id: the walk is in list order.
  const keys = everything.map((image) => [Date.parse(image.uploaded), image.id] as const);
  for (let i = 1; i < keys.length; i++) {
    const [a, b] = [keys[i - 1]!, keys[i]!];
    expect(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]), `${a[1]} before ${b[1]}`).toBe(true);
  }

  // The filtered walk (over the index) agrees with the predicate on what was acknowledged.
  const matches = toPredicate(LOAD_FILTER);
  const filtered = (await walkAll(running.url, LOAD_FILTER)).map((image) => image.id).sort();
  expect(filtered).toEqual([...result.acknowledged].filter(([, meta]) => matches({ meta })).map(([id]) => id).sort());
  expect((await running.client.images.v1.stats.get({ account_id: ACCOUNT })).count?.current).toBe(result.acknowledged.size);
});

it("memory stays bounded when the same load repeats", { timeout: 30_000 }, async () => {
  const { heap, problems, listed } = await runChild<{ heap: number[]; problems: string[]; listed: number }>("test/support/load-memory.ts", { flags: ["--expose-gc"], args: ["6"] });
  expect(problems).toEqual([]);
  expect(listed).toBe(0);
  expect(heap).toHaveLength(6);
  // After the first round has warmed everything up (code, caches, the token table's bound), further
  // rounds may not keep growing memory: each round adds and deletes 160 images of 16 KB, so keeping
  // even a fifth of them alive would add over 2.5 MB per round, 12 MB over five.
  const growth = Math.max(...heap.slice(1)) - heap[1]!;
  expect(growth, `memory after each round (MB): ${heap.map((h) => (h / 2 ** 20).toFixed(1)).join(", ")}`).toBeLessThan(4 * 2 ** 20);
});
