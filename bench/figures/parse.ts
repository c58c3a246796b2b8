/** Figure: parse (text → AST), imgmeta against @marcbachmann/cel-js and liqe, per query. */
import * as cel from "@marcbachmann/cel-js";
import { parse as parseLiqe } from "liqe";
import { lib } from "../lib.js";
import { emit, time, type Row } from "../harness.js";
import { QUERIES } from "../queries.js";

const { parse } = lib;

/** One subject per process (`parse.ts imgmeta`), so that no parser's garbage or code shares a heap with another's. */
const subject = process.argv[2] ?? "imgmeta";
const parsers: Record<string, (q: (typeof QUERIES)[number]) => () => unknown> = {
  imgmeta: (q) => () => parse(q.text),
  "cel-js": (q) => () => cel.parse(q.cel),
  liqe: (q) => () => parseLiqe(q.liqe),
};
const rows: Row[] = [];
for (const q of QUERIES) {
  const t = await time(parsers[subject]!(q), subject === "liqe" ? 250 : 400);
  rows.push({ figure: "parse", subject, query: q.id, median: t.median / 1000, p25: t.p25 / 1000, p75: t.p75 / 1000, unit: "µs" });
}
emit(rows);
