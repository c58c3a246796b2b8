/** Figures: text → query string, and query string → filter (`fromSearchParams`), per query. */
import { lib } from "../lib.js";
import { emit, time, type Row } from "../harness.js";
import { QUERIES } from "../queries.js";

const { fromSearchParams, toQueryString } = lib;

const rows: Row[] = [];
for (const q of QUERIES) {
  const query = toQueryString(q.text);
  const compile = await time(() => toQueryString(q.text));
  rows.push({ figure: "text → query string", subject: "imgmeta", query: q.id, median: compile.median / 1000, p25: compile.p25 / 1000, p75: compile.p75 / 1000, unit: "µs" });
  const read = await time(() => fromSearchParams(query));
  rows.push({ figure: "fromSearchParams", subject: "imgmeta", query: q.id, median: read.median / 1000, p25: read.p25 / 1000, p75: read.p75 / 1000, unit: "µs" });
}
emit(rows);
