/**
 * What every figure shares: timing with mitata (warm-up, many samples, median and spread), and the one
 * line of JSON a figure process prints for `bench/run.ts` to collect.
 */
import v8 from "node:v8";
import vm from "node:vm";
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

/**
 * What a figure's time is: the wall clock (the default), or the CPU time of this process, in every one of
 * its threads (user and system: the garbage collector's helpers and libuv's file-system threads too),
 * which other processes on a shared machine barely disturb.
 */
export type Clock = "wall" | "cpu";

/** The process's CPU time in nanoseconds (microsecond resolution). */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1e3;
}

/** How {@link time} samples, beyond its time budget. */
export interface TimeOptions {
  /** The wall clock by default. */
  readonly clock?: Clock;
  /** Samples taken however long each takes (mitata's default: 12). */
  readonly minSamples?: number;
  /**
   * Calls per sample for a function that takes less than about 65 µs (mitata's default: 4096, which
   * makes a sample of a 30 µs call last over 100 ms).
   */
  readonly batchSamples?: number;
  /**
   * Before it samples, mitata collects garbage; without `node --expose-gc`, by allocating a gigabyte.
   * True: by V8's own full collection instead (exposed on demand), which costs less and is sure.
   */
  readonly fullCollection?: boolean;
}

/** V8's full garbage collection, exposed on demand. */
function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function mitataOptions(minCpuMs: number, options: TimeOptions) {
  return {
    min_cpu_time: minCpuMs * 1e6,
    ...(options.clock === "cpu" ? { now: cpuNow } : {}),
    ...(options.minSamples !== undefined ? { min_samples: options.minSamples } : {}),
    ...(options.batchSamples !== undefined ? { batch_samples: options.batchSamples } : {}),
    ...(options.fullCollection ? { gc: fullCollection() } : {}),
  };
}

/** Times `fn` (after mitata's warm-up) and returns per-call nanoseconds: median and quartiles. */
export async function time(fn: () => unknown, minCpuMs = 400, options: TimeOptions = {}): Promise<{ median: number; p25: number; p75: number }> {
  const stats = await measure(() => do_not_optimize(fn()), mitataOptions(minCpuMs, options));
  return { median: stats.p50, p25: stats.p25, p75: stats.p75 };
}

/** {@link time} for a function that returns a promise: each sample awaits it. */
export async function timeAsync(fn: () => Promise<unknown>, minCpuMs = 400, options: TimeOptions = {}): Promise<{ median: number; p25: number; p75: number }> {
  const stats = await measure(async () => do_not_optimize(await fn()), mitataOptions(minCpuMs, options));
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
