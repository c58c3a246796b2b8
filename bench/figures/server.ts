/**
 * Figure: the emulator's filtered List images V2 over 10,000 and 100,000 stored images (the bench
 * dataset), beside the raw `toPredicate` scan of the same stored records in this process.
 *
 * - one filtered page on one keep-alive connection, sequentially: median and p99 latency; and the same
 *   page through `emulator.fetch` in this process (no HTTP);
 * - the same page under concurrent load (autocannon, bounded in time): throughput, p50/p99/max latency;
 * - the raw scan: one `toPredicate` pass over every stored record, no HTTP, no JSON (mitata);
 * - the spread under load: max / median and p99 / median.
 *
 * The emulator runs in a child process (`server.ts serve N`), so the load generator and the client do
 * not share its event loop. It is the source build (like `npm start`), and so is the scan's `toPredicate`.
 *
 * Two pages per size: `per_page=1000` (the API's default; the first page fills part-way through the
 * data) and `per_page=10000`, which holds every match, so the emulator must look at every image: the
 * honest comparison with a full raw scan.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { fromSearchParams, toPredicate, toQueryString } from "../../src/index.js";
import { createEmulator, type StoredImage } from "../../src/server/index.js";
import { dataset } from "../dataset.js";
import { emit, time, type Row } from "../harness.js";

/** The 3-filter query of the figure, in the language; sent as `toQueryString` makes it. */
export const SERVER_QUERY = 'status = "active" and priority >= 4 and region.name = "eu-west"';
const SIZES = [10_000, 100_000];
const PAGES = [1000, 10_000];
const CONNECTIONS = 8;
const LOAD_SECONDS = 4;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The bench dataset as stored images (one shared tiny file: the list never reads the bytes). */
function storedImages(count: number): StoredImage[] {
  return dataset(count).map((image) => ({
    id: image.id,
    customId: true,
    creator: image.creator,
    meta: image.meta,
    requireSignedURLs: false,
    uploaded: Date.parse(image.uploaded),
    draft: false,
    uploadExpires: null,
    filename: `${image.id}.png`,
    format: "png",
    bytes: PNG,
  }));
}

/** Child mode: an emulator holding `count` images, listening on a free loopback port. */
async function serve(count: number): Promise<void> {
  const emulator = createEmulator();
  await emulator.addImages(storedImages(count));
  const { url } = await emulator.listen({ port: 0 });
  process.stdout.write(`listening on ${url}\n`);
}

function startChild(count: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/figures/server.ts", "serve", String(count)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

/** One GET on a keep-alive agent; resolves with the milliseconds to the last byte and the body size. */
function timedGet(agent: Agent, url: string): Promise<{ ms: number; bytes: number; status: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { agent, headers: { authorization: "Bearer bench" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ ms: performance.now() - start, bytes, status: res.statusCode ?? 0 }));
    });
    req.on("error", reject);
    req.end();
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(): Promise<Row[]> {
  const rows: Row[] = [];
  const query = toQueryString(SERVER_QUERY);
  for (const count of SIZES) {
    const images = storedImages(count);
    const matches = toPredicate(fromSearchParams(query));
    const expected = images.filter(matches).length;
    const scan = await time(() => {
      let found = 0;
      for (let i = 0; i < images.length; i++) if (matches(images[i]!)) found++;
      return found;
    }, 500);
    rows.push({
      figure: "emulator: raw predicate scan",
      subject: `toPredicate over ${count} stored images, in-process`,
      query: `${count}`,
      median: scan.median / 1e6,
      p25: scan.p25 / 1e6,
      p75: scan.p75 / 1e6,
      unit: "ms",
      note: `${expected} match`,
    });

    // The same page without HTTP: `emulator.fetch` in this process, body read to the end. It separates
    // the emulator's own cost from loopback transport and the client, which a busy machine inflates.
    const local = createEmulator();
    await local.addImages(images);
    for (const perPage of PAGES) {
      const request = (): Promise<ArrayBuffer> =>
        local.fetch(new Request(`http://emulator/client/v4/accounts/bench/images/v2?${query}&per_page=${perPage}`, { headers: { authorization: "Bearer bench" } })).then((response) => response.arrayBuffer());
      for (let i = 0; i < 20; i++) await request();
      const samples: number[] = [];
      const until = performance.now() + 1500;
      while (samples.length < 30 || (performance.now() < until && samples.length < 2000)) {
        const start = performance.now();
        await request();
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      rows.push({
        figure: "emulator: one filtered page, in-process (no HTTP)",
        subject: `${count} images, per_page=${perPage}`,
        query: `${count}`,
        median: quantile(samples, 0.5),
        p25: quantile(samples, 0.25),
        p75: quantile(samples, 0.75),
        unit: "ms",
        note: `p99 ${quantile(samples, 0.99).toFixed(2)} ms, ${samples.length} requests`,
      });
    }
    await local.close();

    const { child, url } = await startChild(count);
    try {
      for (const perPage of PAGES) {
        const page = `${url}/client/v4/accounts/bench/images/v2?${query}&per_page=${perPage}`;
        const subject = `${count} images, per_page=${perPage}`;
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const first = await timedGet(agent, page);
        if (first.status !== 200) throw new Error(`${page}: status ${first.status}`);
        const samples: number[] = [];
        // Warm-up, then about two seconds of samples (at least 30).
        for (let i = 0; i < 20; i++) await timedGet(agent, page);
        const until = performance.now() + 2000;
        while (samples.length < 30 || (performance.now() < until && samples.length < 2000)) samples.push((await timedGet(agent, page)).ms);
        agent.destroy();
        samples.sort((a, b) => a - b);
        rows.push({
          figure: "emulator: one filtered page, one connection",
          subject,
          query: `${count}`,
          median: quantile(samples, 0.5),
          p25: quantile(samples, 0.25),
          p75: quantile(samples, 0.75),
          unit: "ms",
          note: `p99 ${quantile(samples, 0.99).toFixed(2)} ms, ${samples.length} requests, ${(first.bytes / 1024).toFixed(0)} KB per page`,
        });

        // Latencies from autocannon's per-response event: its own histogram keeps whole milliseconds,
        // too coarse for a median of one or two.
        const latencies: number[] = [];
        const load = await new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon({ url: page, headers: { authorization: "Bearer bench" }, connections: CONNECTIONS, duration: LOAD_SECONDS }, (error: unknown, result) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
          );
          instance.on("response", (_client, status, _bytes, ms) => {
            if (status === 200) latencies.push(ms);
          });
        });
        const bad = load.non2xx + load.errors + load.timeouts;
        latencies.sort((a, b) => a - b);
        const latency = { p25: quantile(latencies, 0.25), p50: quantile(latencies, 0.5), p75: quantile(latencies, 0.75), p99: quantile(latencies, 0.99), max: latencies.at(-1)! };
        rows.push({
          figure: `emulator: under load, ${CONNECTIONS} connections`,
          subject,
          query: `${count}`,
          median: latency.p50,
          p25: latency.p25,
          p75: latency.p75,
          unit: "ms",
          note: `${load.requests.average.toFixed(0)} req/s; p99 ${latency.p99.toFixed(1)} ms; max ${latency.max.toFixed(1)} ms; ${latencies.length} requests${bad > 0 ? `; ${bad} failed` : ""}`,
        });
        rows.push({ figure: "emulator: under load, throughput", subject, query: `${count}`, median: load.requests.average, p25: load.requests.p25 ?? load.requests.min, p75: load.requests.p75 ?? load.requests.max, unit: "req/s" });
        rows.push({ figure: "emulator: under load, max / median latency", subject, query: `${count}`, median: latency.max / latency.p50, p25: latency.max / latency.p50, p75: latency.max / latency.p50, unit: "×" });
        rows.push({ figure: "emulator: under load, p99 / median latency", subject, query: `${count}`, median: latency.p99 / latency.p50, p25: latency.p99 / latency.p50, p75: latency.p99 / latency.p50, unit: "×" });
      }
    } finally {
      child.kill("SIGTERM");
    }
  }
  return rows;
}

if (process.argv[2] === "serve") await serve(Number(process.argv[3]));
else emit(await measure());
