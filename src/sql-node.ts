/**
 * `imgmeta/sql` on Node: the same `toSql`, but the parser (and Chevrotain, most of the package's code) is
 * loaded only when a call first passes text, so a back end that builds filters itself, or gets them from
 * `fromSearchParams`, never loads it. Node ≥ 20.19 `require`s an ES module synchronously and shares it
 * with `import`, so `parse` here is the very module the package root uses (one `FilterError` class).
 * Bundlers resolve `imgmeta/sql` to `sql.ts` instead (the `module` condition), which imports it.
 * @module
 */
import type { TextReader } from "./input.js";
import { toSqlReading, type ToSql } from "./sql-api.js";

export type { SqlDialect, SqlFragment, SqlOptions, SqlParam } from "./targets/sql.js";

let reader: TextReader | undefined;

/**
 * `parse`, from the package's own `parse` build beside this file (`parse.js`, or `parse.cjs` from the
 * CommonJS build), loaded on first use. Not an `import`: bundlers and this package's build leave the
 * call alone, so the file is read only when it is needed.
 */
function loadParse(): TextReader {
  const nodeModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:module") as
    | typeof import("node:module")
    | undefined;
  if (!nodeModule) throw new Error("imgmeta/sql's Node build needs Node 20.16 or later (process.getBuiltinModule)");
  const commonJs = typeof __filename === "string";
  const load = nodeModule.createRequire(commonJs ? __filename : import.meta.url);
  return (load(commonJs ? "./parse.cjs" : "./parse.js") as { parse: TextReader }).parse;
}

/**
 * Compiles a filter (or its text) into a parameterised SQL condition over a JSON metadata column, with
 * the same meaning as `toPredicate` (see `sql.ts`; this is its Node build).
 * @throws FilterError when an option is invalid (`invalid-sql-dialect`, `invalid-column-name`), the text
 *   does not parse (with its syntax issues), or the filter is not well-formed or nested too deep.
 */
export const toSql: ToSql = toSqlReading((text, options) => (reader ??= loadParse())(text, options));
