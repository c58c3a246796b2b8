/**
 * `parse`: filter text → {@link Filter}, throwing {@link FilterError} on syntax errors.
 */
import type { Filter } from "./syntax/ast.js";
import { FilterError, locateIssues } from "./syntax/issues.js";
import { resolveLimits, type LimitOptions } from "./semantics/limits.js";
import { checkNesting } from "./semantics/nesting.js";
import { readFilter } from "./syntax/read.js";

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

/**
 * The filter a function was given: text parsed with {@link parse}, or a filter measured against the
 * nesting ceiling (a hand-built one can nest as deep as it likes, and every function walks it recursively).
 * @throws FilterError for text that does not parse, or a filter nested too deep (`nesting-too-deep`).
 */
export function filterOf(filterOrText: Filter | string, options?: ParseOptions): Filter {
  return typeof filterOrText === "string" ? parse(filterOrText, options) : checkNesting(filterOrText);
}
