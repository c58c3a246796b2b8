/**
 * imgmeta: a filter language for Cloudflare Images metadata.
 *
 * Data flows one way: text → tokens → AST → validate → targets (query params, predicate, text).
 * @module
 */
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
export {
  DEFAULT_LIMITS,
  MAX_CONTINUATION_TOKEN_LENGTH,
  NESTING_CEILING,
  PER_PAGE_RANGE,
  type LimitOptions,
  type Limits,
} from "./semantics/limits.js";
export { parse, type ParseOptions } from "./parse.js";
export { check, type CheckOptions, type CheckResult } from "./semantics/check.js";
export { validate, type ValidateOptions } from "./semantics/validate.js";
export { normalize } from "./semantics/normalize.js";
export { format } from "./syntax/format.js";
export { toSearchParams, toQueryString, type QueryOptions } from "./targets/query.js";
export {
  fromSearchParams,
  type FromSearchParamsOptions,
  type SearchParamsInput,
} from "./targets/from-search-params.js";
export { toPredicate, type ImageRecord, type Predicate } from "./targets/predicate.js";
export { type FieldSchema, type FieldSpec } from "./semantics/schema.js";
export { suggest, type Suggestion, type SuggestionKind, type Suggestions, type SuggestOptions } from "./assist/suggest.js";
export { tokenize, type HighlightToken, type TokenKind } from "./assist/tokenize.js";
export { plan, type Plan, type PlanOptions } from "./targets/plan.js";
export type { Image } from "./integrations/list-images.js";

// Back-end targets live in their own entry points, so that a search box does not ship them:
// `imgmeta/integrations` (listImages, toListParams, toBindingFilter) and `imgmeta/sql` (toSql).
