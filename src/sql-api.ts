/**
 * `toSql`, given how to read filter text: the two builds of `imgmeta/sql` differ only in that (`sql.ts`
 * imports the parser, `sql-node.ts` loads it when text first comes).
 */
import { withFilter, type TextReader } from "./input.js";
import type { Filter } from "./syntax/ast.js";
import { sqlOf, sqlTarget, type SqlFragment, type SqlOptions } from "./targets/sql.js";

/** The signature of `toSql`. */
export type ToSql = (filterOrText: Filter | string, options: SqlOptions) => SqlFragment;

/** `toSql` reading text with `read`. */
export function toSqlReading(read: TextReader): ToSql {
  return (filterOrText, options) => {
    const target = sqlTarget(options);
    return withFilter(filterOrText, options, (filter) => sqlOf(filter, target), read);
  };
}
