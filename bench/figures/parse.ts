/** Figure: parse (text → AST), imgmeta against @marcbachmann/cel-js and liqe, per query. */
import * as cel from "@marcbachmann/cel-js";
import { parse as parseLiqe } from "liqe";
import { lib } from "../lib.js";
import { emit, time, type Row } from "../harness.js";
import { QUERIES } from "../queries.js";

const { parse } = lib;

const rows: Row[] = [];
for (const q of QUERIES) {
  for (const [subject, run] of [
    ["imgmeta", () => parse(q.text)],
    ["cel-js", () => cel.parse(q.cel)],
    ["liqe", () => parseLiqe(q.liqe)],
  ] as const) {
    const t = await time(run, subject === "liqe" ? 250 : 400);
    rows.push({ figure: "parse", subject, query: q.id, median: t.median / 1000, p25: t.p25 / 1000, p75: t.p75 / 1000, unit: "µs" });
  }
}
emit(rows);
