/**
 * The load generator of the emulator figure (`server.ts` runs it): `load.ts <url> <connections> <seconds>`
 * sends the same authorised GET on that many keep-alive connections (autocannon) for a warm-up second,
 * then for that many seconds more, and prints the latencies of the 200 answers of the measured seconds
 * as one line of JSON ({@link LoadResult}). Without the warm-up, the slowest answers of a run are its
 * first ones (~10× the median at 10,000 images), from the load generator's own code still unoptimised.
 *
 * It is a process of its own that holds nothing else: in the figure's own process, which keeps the
 * dataset and an in-process emulator, a garbage collection of that heap would stall the client and be
 * counted as the emulator's latency.
 */
import autocannon from "autocannon";
import { quantile } from "../harness.js";

/** Seconds of load before the measured ones. */
const WARM_UP_SECONDS = 1;

/** What one load run measured (warm-up left out): latency quantiles in ms, and the request counts. */
export interface LoadResult {
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p99: number;
  readonly max: number;
  /** 200 answers timed. */
  readonly requests: number;
  /** 200 answers per second. */
  readonly perSecond: number;
  /** Answers other than 200, errors and timeouts. */
  readonly failed: number;
}

async function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  // Latencies from autocannon's per-response event: its own histogram keeps whole milliseconds, too
  // coarse for a median of one or two.
  const latencies: number[] = [];
  const measuredFrom = performance.now() + WARM_UP_SECONDS * 1000;
  const options = { url, headers: { authorization: "Bearer bench" }, connections, duration: WARM_UP_SECONDS + seconds };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)));
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200 && performance.now() >= measuredFrom) latencies.push(ms);
    });
  });
  if (latencies.length === 0) throw new Error(`no 200 answer from ${url} (${result.non2xx} others, ${result.errors} errors)`);
  latencies.sort((a, b) => a - b);
  return {
    p25: quantile(latencies, 0.25),
    p50: quantile(latencies, 0.5),
    p75: quantile(latencies, 0.75),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1)!,
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

const [url, connections, seconds] = process.argv.slice(2);
process.stdout.write(`${JSON.stringify(await load(url!, Number(connections), Number(seconds)))}\n`);
