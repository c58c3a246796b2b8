/**
 * Filter → the query parameters of `GET /accounts/{account_id}/images/v2`. Each top-level `and` conjunct
 * of the normal form becomes one parameter, always with a typed operator:
 * `meta.<path>[<op>:<type>]=<value>`, `in` values joined by `|`, and `creator=<value>`; then the list's
 * own parameters. (How a condition is spelt is `semantics/parameters.ts`, shared with the other targets
 * that speak to the API.)
 */
import type { Filter } from "../syntax/ast.js";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { filterParams, formatQuery, listParams, type ListOptions, type Param } from "../semantics/parameters.js";

/** Options for `toSearchParams` and `toQueryString`: limits and the list's own parameters. */
export interface QueryOptions extends LimitOptions, ListOptions {}

/**
 * The parameters of a filter, then of the list options (which the caller has checked with
 * `listOptionIssues`), in order.
 * @throws FilterError (without text) with every issue when the API cannot express the filter.
 */
export function queryParams(filter: Filter, options?: QueryOptions): Param[] {
  return [...filterParams(filter, resolveLimits(options)), ...listParams(options)];
}

/** The parameters as `URLSearchParams` (see {@link queryParams}). */
export function searchParamsOf(filter: Filter, options?: QueryOptions): URLSearchParams {
  return new URLSearchParams(queryParams(filter, options));
}

/** The parameters as a readable query string (see {@link queryParams} and `formatQuery`). */
export function queryStringOf(filter: Filter, options?: QueryOptions): string {
  return formatQuery(queryParams(filter, options));
}
