/**
 * imgmeta: a filter language for Cloudflare Images metadata.
 *
 * Data flows one way: text → tokens → AST → validate → targets (query params, predicate, text).
 * @module
 */
import { checkedFilter } from "./semantics/shape.js";
import { normalize as normalizeFilter } from "./semantics/normalize.js";
import { listOptionIssues } from "./semantics/parameters.js";
import type { Filter } from "./syntax/ast.js";
import { format as formatFilter } from "./syntax/format.js";
import { refuseOptions, withFilter } from "./input.js";
import { parse, type ParseOptions } from "./parse.js";
import { planOf, type Plan, type PlanOptions } from "./targets/plan.js";
import { predicateOf, type Predicate } from "./targets/predicate.js";
import { queryStringOf, searchParamsOf, type QueryOptions } from "./targets/query.js";

export type {
  AndNode,
  CompareNode,
  CompareOp,
  CreatorField,
  Field,
  Filter,
  FilterNode,
  InNode,
  Literal,
  MatchAllNode,
  MetaField,
  NotNode,
  OrNode,
  Scalar,
  ScalarType,
  Span,
  ConditionNode,
} from "./syntax/ast.js";
export { FilterError, formatIssue, type Issue, type IssueCode, type Severity } from "./syntax/issues.js";
export { NESTING_CEILING } from "./syntax/guards.js";
export { DEFAULT_LIMITS, type LimitOptions, type Limits } from "./semantics/limits.js";
export { MAX_CONTINUATION_TOKEN_LENGTH, PER_PAGE_RANGE, parsePerPage } from "./semantics/parameters.js";
export { parse, type ParseOptions } from "./parse.js";
export { check, type CheckOptions, type CheckResult, type CheckTarget } from "./semantics/check.js";
export { validate, type ValidateOptions, type ValidationTarget } from "./semantics/validate.js";
export { type QueryOptions } from "./targets/query.js";
export {
  fromSearchParams,
  type FromSearchParamsOptions,
  type SearchParamsInput,
} from "./targets/from-search-params.js";
export { type Predicate } from "./targets/predicate.js";
export { valueAt, type ImageRecord } from "./semantics/matching.js";
export { type FieldSchema, type FieldSpec } from "./semantics/schema.js";
export { suggest, type Suggestion, type SuggestionKind, type Suggestions, type SuggestOptions } from "./assist/suggest.js";
export { tokenize, type HighlightToken, type TokenKind } from "./assist/tokenize.js";
export { type Plan, type PlanOptions } from "./targets/plan.js";
export type { Image } from "./integrations/list-images.js";

// Back-end targets live in their own entry points, so that a search box does not ship them:
// `imgmeta/integrations` (listImages, toListParams, toBindingFilter) and `imgmeta/sql` (toSql).

/**
 * Returns the normal form of a filter (the meaning-preserving rewrites `validate` and the targets apply
 * first). Spans of the original nodes are kept where a node survives.
 * @throws FilterError for something that is not a well-formed filter (`invalid-filter`) or is nested
 *   deeper than `NESTING_CEILING` (`nesting-too-deep`).
 */
export function normalize(filter: Filter): Filter {
  return normalizeFilter(checkedFilter(filter));
}

/**
 * Writes a filter as canonical text, e.g. `status = "active" and priority in (4, 5)`: `parse(format(f))`
 * gives back `f` (spans aside). The empty filter (matches everything) is the empty string.
 * @throws FilterError for a `NaN` value (`non-finite-number`: no text reads as NaN, and written `NaN` it
 *   would read back as a string), and as {@link normalize} does.
 */
export function format(filter: Filter): string {
  return formatFilter(checkedFilter(filter));
}

/**
 * The List images V2 parameters as `URLSearchParams`. (Its `toString()` percent-encodes everything but
 * writes a space as `+`; {@link toQueryString} writes `%20`, as the official SDK does.)
 * @throws FilterError with every issue when an option is out of the API's bounds, the text does not
 *   parse, the filter is not well-formed or nested too deep, or the API cannot express it.
 */
export function toSearchParams(filterOrText: Filter | string, options?: QueryOptions): URLSearchParams {
  refuseOptions(listOptionIssues(options));
  return withFilter(filterOrText, options, (filter) => searchParamsOf(filter, options), parse);
}

/**
 * The List images V2 parameters as a readable query string, like the API docs write them:
 * `meta.status[eq:string]=active&meta.priority[in:number]=4|5`. Only what would change the meaning is
 * percent-encoded (`&`, `#`, `%`, `+`, `=`, spaces, quotes, non-ASCII, ...).
 * @throws FilterError as {@link toSearchParams} does.
 */
export function toQueryString(filterOrText: Filter | string, options?: QueryOptions): string {
  refuseOptions(listOptionIssues(options));
  return withFilter(filterOrText, options, (filter) => queryStringOf(filter, options), parse);
}

/**
 * Compiles a filter (or its text) into an in-memory predicate over `{ creator?, meta? }`, for the whole
 * language. It never throws: a record whose property access throws (a hostile getter) does not match.
 * @throws FilterError when the text does not parse, or the filter is not well-formed or nested too deep.
 */
export function toPredicate(filterOrText: Filter | string, options?: ParseOptions): Predicate {
  return withFilter(filterOrText, options, predicateOf, parse);
}

/**
 * Predicate pushdown: splits a filter into the parameters the API evaluates and a residual to apply
 * locally. Conditions that narrow the result most go first: equalities, then lists (shortest first), then
 * ranges; conditions beyond the API's limits, and everything it cannot express (`or` across fields,
 * negations, lists with `|`...), stay in the residual.
 * @throws FilterError when the text does not parse, the filter is not well-formed or nested too deep, or
 *   `allowResidual` is false and a residual is needed.
 */
export function plan(filterOrText: Filter | string, options?: PlanOptions): Plan {
  return withFilter(filterOrText, options, (filter) => planOf(filter, options), parse);
}
