/**
 * `imgmeta/sql`: the same filters over your own copy of the metadata, as a parameterised WHERE condition
 * for SQLite / Cloudflare D1 or Postgres, with exactly the meaning the filter has everywhere else.
 * @module
 */
import { withFilter } from "./input.js";
import type { Filter } from "./syntax/ast.js";
import { sqlOf, sqlTarget, type SqlFragment, type SqlOptions } from "./targets/sql.js";

export type { SqlDialect, SqlFragment, SqlOptions, SqlParam } from "./targets/sql.js";

/**
 * Compiles a filter (or its text) into a parameterised SQL condition over a JSON metadata column, with
 * the same meaning as `toPredicate`.
 *
 * ```ts
 * const { sql, params } = toSql('status = "active" and priority >= 4', { dialect: "sqlite" });
 * await env.DB.prepare(`SELECT id FROM images WHERE ${sql}`).bind(...params).all();
 * ```
 * @throws FilterError when an option is invalid (`invalid-sql-dialect`, `invalid-column-name`), the text
 *   does not parse (with its syntax issues), or the filter is not well-formed or nested too deep.
 */
export function toSql(filterOrText: Filter | string, options: SqlOptions): SqlFragment {
  const target = sqlTarget(options);
  return withFilter(filterOrText, options, (filter) => sqlOf(filter, target));
}
