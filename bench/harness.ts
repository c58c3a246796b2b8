/**
 * What every figure shares: timing with mitata (warm-up, many samples, median and spread), and the one
 * line of JSON a figure process prints for `bench/run.ts` to collect.
 */
import { do_not_optimize, measure } from "mitata";

/** One measured figure. `median`, `p25`, `p75` are in `unit`. */
export interface Row {
  readonly figure: string;
  readonly subject: string;
  readonly query?: string;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly unit: "ns/record" | "µs" | "ms" | "KB" | "MB" | "×" | "req/s";
  readonly note?: string;
}

/** Times `fn` (after mitata's warm-up) and returns per-call nanoseconds: median and quartiles. */
export async function time(fn: () => unknown, minCpuMs = 400): Promise<{ median: number; p25: number; p75: number }> {
  const stats = await measure(() => do_not_optimize(fn()), { min_cpu_time: minCpuMs * 1e6 });
  return { median: stats.p50, p25: stats.p25, p75: stats.p75 };
}

/** The value at quantile `q` (0–1) of ascending `sorted` samples. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** What a child process printed last on stdout (the rows of {@link emit}, or `load.ts`'s result): one line of JSON. */
export function emitted<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as T;
}

/** Prints the rows of a figure process (its only output on stdout). */
export function emit(rows: readonly Row[]): void {
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

export { do_not_optimize };
