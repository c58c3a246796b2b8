/**
 * Figure: the emulator's filtered List images V2 over 10,000 and 100,000 stored images (the bench
 * dataset), beside the raw `toPredicate` scan of the same stored records in this process.
 *
 * - one filtered page on one keep-alive connection, sequentially: median and p99 latency; and the same
 *   page through `emulator.fetch` in this process (no HTTP);
 * - the same page under concurrent load (`load.ts`: autocannon, bounded in time): throughput, p50/p99/max
 *   latency;
 * - the raw scan: one `toPredicate` pass over every stored record, no HTTP, no JSON (mitata);
 * - the spread under load: max / median and p99 / median, each run's, and the median run's as the figure.
 *
 * The emulator runs in a child process (`server.ts serve N`) and each load run in another (`load.ts`), so
 * that neither the load generator nor this process, which holds the dataset, shares the emulator's event
 * loop, and this process's garbage collections do not stall the load generator. It is the source build (like `npm start`), and so is the scan's `toPredicate`.
 *
 * Two pages per size: `per_page=1000` (the API's default; the first page fills part-way through the
 * data) and `per_page=10000`, which holds every match, so the emulator must look at every image: the
 * honest comparison with a full raw scan.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { Agent, request } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { fromSearchParams, toPredicate, toQueryString } from "../../src/index.js";
import { createEmulator, type StoredImage } from "../../src/server/index.js";
import { dataset } from "../dataset.js";
import { emit, emitted, quantile, time, type Row } from "../harness.js";
import type { LoadResult } from "./load.js";

/** The 3-filter query of the figure, in the language; sent as `toQueryString` makes it. */
export const SERVER_QUERY = 'status = "active" and priority >= 4 and region.name = "eu-west"';
const SIZES = [10_000, 100_000];
const PAGES = [1000, 10_000];
const CONNECTIONS = 8;
const LOAD_SECONDS = 4;
/** Load runs per page: the spread figures are the median run's (a single run's maximum is one sample). */
const LOAD_RUNS = 3;
const execFileAsync = promisify(execFile);
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

function pageUrl(base: string, query: string, perPage: number): string {
  return `${base}/client/v4/accounts/bench/images/v2?${query}&per_page=${perPage}`;
}

const subjectOf = (count: number, perPage: number) => `${count} images, per_page=${perPage}`;

/** One filtered page on one keep-alive connection, sequentially: warm-up, then about two seconds of samples. */
async function oneConnection(count: number, page: string): Promise<Row> {
  const perPage = Number(new URL(page).searchParams.get("per_page"));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const first = await timedGet(agent, page);
  if (first.status !== 200) throw new Error(`${page}: status ${first.status}`);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) await timedGet(agent, page);
  const until = performance.now() + 2000;
  while (samples.length < 30 || (performance.now() < until && samples.length < 2000)) samples.push((await timedGet(agent, page)).ms);
  agent.destroy();
  samples.sort((a, b) => a - b);
  return {
    figure: "emulator: one filtered page, one connection",
    subject: subjectOf(count, perPage),
    query: `${count}`,
    median: quantile(samples, 0.5),
    p25: quantile(samples, 0.25),
    p75: quantile(samples, 0.75),
    unit: "ms",
    note: `p99 ${quantile(samples, 0.99).toFixed(2)} ms, ${samples.length} requests, ${(first.bytes / 1024).toFixed(0)} KB per page`,
  };
}

/** One load run on `page`, from a load process of its own (`load.ts`). */
async function underLoad(page: string): Promise<LoadResult> {
  const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "bench/figures/load.ts", page, String(CONNECTIONS), String(LOAD_SECONDS)], { cwd: ROOT });
  return emitted<LoadResult>(stdout);
}

/** The under-load rows of one page: each figure the median over the runs, each run listed in the notes. */
function loadRows(count: number, perPage: number, results: readonly LoadResult[]): Row[] {
  const subject = subjectOf(count, perPage);
  const median = (values: readonly number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
  // A ratio has no quartiles of its own: p25 and p75 repeat the median, and the note lists every run.
  const spread = (figure: string, ratio: (run: LoadResult) => number): Row => {
    const value = median(results.map(ratio));
    return { figure, subject, query: `${count}`, median: value, p25: value, p75: value, unit: "×", note: `runs: ${results.map((run) => ratio(run).toFixed(1)).join(", ")}` };
  };
  const failed = results.reduce((sum, run) => sum + run.failed, 0);
  const perSecond = results.map((run) => run.perSecond);
  return [
    {
      figure: `emulator: under load, ${CONNECTIONS} connections`,
      subject,
      query: `${count}`,
      median: median(results.map((run) => run.p50)),
      p25: median(results.map((run) => run.p25)),
      p75: median(results.map((run) => run.p75)),
      unit: "ms",
      note: `${results.length} runs of ${LOAD_SECONDS} s: ${results.map((run) => `${run.requests} requests, p99 ${run.p99.toFixed(1)} ms, max ${run.max.toFixed(1)} ms`).join("; ")}${failed > 0 ? `; ${failed} failed` : ""}`,
    },
    { figure: "emulator: under load, throughput", subject, query: `${count}`, median: median(perSecond), p25: median(perSecond), p75: median(perSecond), unit: "req/s", note: `runs: ${perSecond.map((value) => value.toFixed(0)).join(", ")}` },
    spread("emulator: under load, max / median latency", (run) => run.max / run.p50),
    spread("emulator: under load, p99 / median latency", (run) => run.p99 / run.p50),
  ];
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
      for (const perPage of PAGES) rows.push(await oneConnection(count, pageUrl(url, query, perPage)));
      // Under load: a few runs per page, each from a fresh load process, taken in turns (so that a slow
      // spell of the machine falls on both pages alike); each figure is the median over the runs.
      const runs = new Map<number, LoadResult[]>(PAGES.map((perPage) => [perPage, []]));
      for (let k = 0; k < LOAD_RUNS; k++) for (const perPage of PAGES) runs.get(perPage)!.push(await underLoad(pageUrl(url, query, perPage)));
      for (const [perPage, results] of runs) rows.push(...loadRows(count, perPage, results));
    } finally {
      child.kill("SIGTERM");
    }
  }
  return rows;
}

if (process.argv[2] === "serve") await serve(Number(process.argv[3]));
else emit(await measure());
