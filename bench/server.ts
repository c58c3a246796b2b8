/**
 * `npm run bench:server`: List images V2 throughput and latency on loopback, over 10,000 and 100,000
 * stored images with a 3-filter query, beside the raw `toPredicate` scan cost of the same data.
 *
 * The emulator runs as a child process (`start.ts --seed N`), so the load generator (autocannon) does
 * not share its event loop. Each run is bounded in time. Prints figures; asserts nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { fromSearchParams, toPredicate } from "../src/index.js";
import type { StoredImage } from "../src/server/index.js";
import { demoImages } from "../src/server/seed.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SIZES = [10_000, 100_000];
const DURATION_SECONDS = 5;
const CONNECTIONS = 8;
/** A broad query (a page fills after a few hundred images) and a rare one (every request scans everything). */
const QUERIES = [
  { name: "broad", filter: "meta.status[eq:string]=active&meta.priority[gte:number]=3&meta.region.name[in:string]=eu-west|us-east", perPage: 100 },
  { name: "broad", filter: "meta.status[eq:string]=active&meta.priority[gte:number]=3&meta.region.name[in:string]=eu-west|us-east", perPage: 1000 },
  { name: "rare", filter: "meta.status[eq:string]=flagged&meta.priority[eq:number]=5&meta.region.name[in:string]=ap-south|us-west", perPage: 1000 },
];

function startServer(count: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/start.ts", "--port", "0", "--seed", String(count)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Median time of one full `toPredicate` scan over the images, and how many match. */
function scanCost(images: readonly StoredImage[], filter: string): { ms: number; matches: number } {
  const matches = toPredicate(fromSearchParams(filter));
  const times: number[] = [];
  let found = 0;
  for (let round = 0; round < 21; round++) {
    const start = performance.now();
    found = 0;
    for (const image of images) if (matches(image)) found++;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[10]!, matches: found };
}

const rows: string[] = [];
const fmt = (n: number, digits = 1): string => n.toFixed(digits).padStart(9);

for (const count of SIZES) {
  // The same images the server seeds itself with (`--seed N` uses demoImages(N)).
  const images = demoImages(count);
  const { child, url } = await startServer(count);
  try {
    for (const { name, filter, perPage } of QUERIES) {
      const scan = scanCost(images, filter);
      const result = await autocannon({
        url: `${url}/client/v4/accounts/bench/images/v2?${filter}&per_page=${perPage}`,
        headers: { authorization: "Bearer bench" },
        connections: CONNECTIONS,
        duration: DURATION_SECONDS,
      });
      rows.push(
        [
          String(count).padStart(8),
          name.padStart(6),
          String(perPage).padStart(8),
          fmt(result.requests.average, 0),
          fmt(result.latency.p50),
          fmt(result.latency.p99),
          fmt(result.throughput.average / 1e6),
          String(result.non2xx + result.errors).padStart(6),
          fmt(scan.ms, 2),
          String(scan.matches).padStart(8),
        ].join(" "),
      );
      process.stderr.write(`done: ${count} images, ${name} query, per_page=${perPage}\n`);
    }
  } finally {
    child.kill("SIGTERM");
  }
}

console.log(`List images V2 (first page) on loopback, ${CONNECTIONS} connections, ${DURATION_SECONDS}s per run`);
for (const { name, filter } of QUERIES.filter((query, i, all) => all.findIndex((q) => q.name === query.name) === i)) console.log(`  ${name}: ${filter}`);
console.log("  images  query per_page     req/s  p50 (ms)  p99 (ms)      MB/s   bad  scan (ms)  matches");
for (const row of rows) console.log(row);
console.log("scan (ms): one full toPredicate pass over all images in-process (median of 21), no HTTP.");
