/**
 * The child of `test/server/old-space.test.ts` (run with `node --import tsx`): how many bytes one call of
 * a hot workload leaves in the old generation. Garbage there is collected only by a full GC, so a
 * workload that leaves some on every call makes a server under steady load stop for full GCs (and for
 * their concurrent marking, which takes a core) every few seconds. Prints one JSON line.
 *
 * Each figure is the median, over several windows of calls, of the old generation's growth divided by
 * the calls; a window that a full GC happens to cut short only lowers its own figure.
 */
import { connect } from "node:net";
import v8 from "node:v8";
import { fromSearchParams, toQueryString } from "../../src/index.js";
import { createEmulator, demoImages } from "../../src/server/index.js";

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

/**
 * GETs of one path on one keep-alive connection, read with a bare socket (no `fetch`, whose own
 * responses would leave garbage in this heap): resolves when the whole answer has arrived.
 */
async function keepAliveGetter(port: number, path: string): Promise<() => Promise<void>> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n\r\n`);
  let head = "";
  let remaining = -1;
  let done: (() => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    if (remaining < 0) {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      remaining = Number(/content-length: *(\d+)/i.exec(head.slice(0, end))?.[1] ?? 0) - (head.length - end - 4);
    } else remaining -= chunk.length;
    if (remaining <= 0) {
      head = "";
      remaining = -1;
      done?.();
    }
  });
  return () =>
    new Promise<void>((resolve) => {
      done = resolve;
      socket.write(request);
    });
}

const query = toQueryString('status = "active" and priority >= 4 and region.name = "eu-west"');
const emulator = createEmulator();
await emulator.addImages(demoImages(2000));
const { url } = await emulator.listen({ port: 0 });
const listPage = await keepAliveGetter(Number(new URL(url).port), `/client/v4/accounts/acc/images/v2?${query}&per_page=1000`);
const result = {
  fromSearchParams: await perCall(() => fromSearchParams(query)),
  listPageOverHttp: await perCall(listPage, 2000),
};
await emulator.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
