/**
 * `imgmeta/sql`: the same filters over your own copy of the metadata, as a parameterised WHERE condition
 * for SQLite / Cloudflare D1 or Postgres, with exactly the meaning the filter has everywhere else. (On
 * Node, `imgmeta/sql` resolves to `sql-node.ts`, which loads the parser only when text first comes; this
 * build, for bundlers, browsers, Workers, Bun and Deno, imports it.)
 * @module
 */
import { parse } from "./parse.js";
import { toSqlReading, type ToSql } from "./sql-api.js";

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
export const toSql: ToSql = toSqlReading(parse);
