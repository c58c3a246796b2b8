/**
 * How the linearity figure measures one reader on one shape of input: the same call at size n and at
 * 10·n, and the ratio of their times (about 10 when the reader is linear, about 100 when it is quadratic).
 *
 * The time is the process's CPU time, not the wall clock: on a shared machine (two cores, other
 * processes running tests), the wall clock of a call counts the time it waited for a core, and ratios
 * of it swung from 0.65 to 14 for the same code from one run to the next.
 */
import { time, timeAsync, type Row, type TimeOptions } from "../harness.js";

/** One shape of input for one reader, at two sizes. */
export interface Shape {
  /** `<reader>: <shape>`, as the row shows it. */
  readonly subject: string;
  /** The sizes read, in words, for the row's note (e.g. "1,500 → 15,000 characters"). */
  readonly sizes: string;
  /** The call on the input of size n (sync, or a promise for the emulator's requests and files). */
  readonly small: () => unknown;
  /** The same call on the input of size 10·n. */
  readonly large: () => unknown;
}

/** The figure every row belongs to. */
export const FIGURE = "linearity (10× input)";

/**
 * Each size is timed this many times, in turns (n, 10·n, n, 10·n), and its fastest median kept: a slow
 * spell of a shared machine (other processes on its two cores) then spoils one turn rather than the ratio.
 */
const TURNS = 2;

/**
 * Few samples of slow calls (a row's larger input takes up to 100 ms), few calls per sample of fast
 * ones, so that the whole figure takes about a minute.
 */
const OPTIONS: TimeOptions = { clock: "cpu", minSamples: 5, batchSamples: 64, fullCollection: true };

type Timing = { median: number; p25: number; p75: number };

/** Times a call, awaiting it when it returns a promise. */
async function timeCall(call: () => unknown, budgetMs: number): Promise<Timing> {
  const first = call();
  if (first instanceof Promise) {
    await first;
    return timeAsync(() => call() as Promise<unknown>, budgetMs, OPTIONS);
  }
  return time(call, budgetMs, OPTIONS);
}

/** The row of a shape: the ratio of the time at 10·n to the time at n, with the quartiles' spread. */
export async function measureRatio(shape: Shape, budgetMs: number): Promise<Row> {
  let small: Timing | undefined;
  let large: Timing | undefined;
  for (let turn = 0; turn < TURNS; turn++) {
    const a = await timeCall(shape.small, budgetMs / TURNS);
    if (!small || a.median < small.median) small = a;
    const b = await timeCall(shape.large, budgetMs / TURNS);
    if (!large || b.median < large.median) large = b;
  }
  return {
    figure: FIGURE,
    subject: shape.subject,
    median: large!.median / small!.median,
    p25: large!.p25 / small!.p75,
    p75: large!.p75 / small!.p25,
    unit: "×",
    note: `${shape.sizes}; ${formatTime(small!.median)} → ${formatTime(large!.median)}`,
  };
}

function formatTime(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toPrecision(3)} ms` : `${(ns / 1e3).toPrecision(3)} µs`;
}

/** A count for notes: `15000` → "15,000". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `n` items, `item(0)` to `item(n - 1)`, joined by `separator`: the long inputs of the shapes. */
export function repeat(n: number, item: (i: number) => string, separator = ""): string {
  return Array.from({ length: n }, (_, i) => item(i)).join(separator);
}
