/**
 * Figure: linear time. For inputs of several shapes, the cost of `check` + `tokenize` + `suggest` at n and
 * at 10·n; a ratio near 10 is linear (a quadratic step would show ~100).
 */
import { lib } from "../lib.js";
import { emit, time, type Row } from "../harness.js";

const { check, fromSearchParams, suggest, tokenize } = lib;

const limits = { maxInputLength: 10_000_000 };
const shapes: Record<string, (n: number) => string> = {
  "long and chain": (n) => Array.from({ length: n }, (_, i) => `k${i % 9} = ${i}`).join(" and "),
  "a syntax error per condition": (n) => Array.from({ length: n }, (_, i) => `k${i} = `).join(" and "),
  "unknown characters": (n) => "~ ".repeat(n * 4),
  "an issue per condition": (n) => Array.from({ length: n }, (_, i) => `k${i} != ${i}`).join(" and "),
  "unterminated string": (n) => `a = "${"x".repeat(n * 8)}`,
  "one word, letters beyond ASCII throughout": (n) => `a = ${"aé".repeat(n * 4)}`,
  "digits before the cursor": (n) => `a = ${"1".repeat(n * 8)}x`,
  // Content assist's cost grows with the depth (its cube): a bounded depth keeps it linear in the groups.
  "groups in parentheses four deep": (n) => "((((a = 1)))) and ".repeat(n),
};

/**
 * The smaller size: the larger inputs are then 10,000–20,000 characters, about the default input limit
 * (10,000), the longest text the library reads unless the limit is raised. Beyond it, the garbage of one
 * call outgrows V8's young generation, and the ratio measures the garbage collector as much as the code:
 * at 40,000 characters, "unknown characters" read 22× for 10× the input, and 11× with a larger young
 * generation (`node --max-semi-space-size=64`), for the same code.
 */
const SMALL = 125;

const rows: Row[] = [];
for (const [shape, make] of Object.entries(shapes)) {
  const small = make(SMALL);
  const large = make(SMALL * 10);
  const run = (text: string) => () => [check(text, { limits }), tokenize(text, { limits }), suggest(text, text.length, { limits })];
  const a = await time(run(small), 300);
  const b = await time(run(large), 300);
  const ratio = b.median / a.median;
  rows.push({ figure: "linearity (10× input)", subject: shape, median: ratio, p25: b.p25 / a.p75, p75: b.p75 / a.p25, unit: "×" });
}
const query = (n: number) => Array.from({ length: n }, (_, i) => `meta.k${i}[eq]=${i}`).join("&");
const a = await time(() => fromSearchParams(query(50), { limits: { maxFilters: Infinity } }), 300);
const b = await time(() => fromSearchParams(query(500), { limits: { maxFilters: Infinity } }), 300);
rows.push({ figure: "linearity (10× input)", subject: "fromSearchParams", median: b.median / a.median, p25: b.p25 / a.p75, p75: b.p75 / a.p25, unit: "×" });
emit(rows);
