/**
 * `parse`: filter text → {@link Filter}, the reader every entry point hands to `withFilter`. A module of
 * its own so that `imgmeta/sql` on Node can load it (and Chevrotain with it) only when text comes.
 */
import type { Filter } from "./syntax/ast.js";
import { FilterError, locateIssues } from "./syntax/issues.js";
import { readFilter } from "./syntax/read.js";
import { resolveLimits, type LimitOptions } from "./semantics/limits.js";

/** Options for {@link parse}. */
export type ParseOptions = LimitOptions;

/**
 * Parses filter text such as `status = "active" and priority in (4, 5)`.
 * The empty string (or only spaces) is the filter that matches every image.
 * @throws FilterError with every syntax issue (the API's limits are checked by `validate`, not here).
 * @throws RangeError when a limit in `options` is invalid (see `LimitOptions`).
 */
export function parse(text: string, options?: ParseOptions): Filter {
  const { filter, issues } = readFilter(text, resolveLimits(options));
  if (issues.length > 0 || !filter) throw new FilterError(locateIssues(text, issues), text);
  return filter;
}

