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
} from "./ast.js";
export { FilterError, formatIssue, type Issue, type IssueCode, type Severity } from "./issues.js";
export {
  DEFAULT_LIMITS,
  MAX_CONTINUATION_TOKEN_LENGTH,
  NESTING_CEILING,
  PER_PAGE_RANGE,
  type LimitOptions,
  type Limits,
} from "./limits.js";
export { parse, type ParseOptions } from "./parse.js";
export { check, type CheckOptions, type CheckResult } from "./check.js";
export { validate, type ValidateOptions } from "./validate.js";
export { normalize } from "./normalize.js";
export { format } from "./format.js";
export { toSearchParams, toQueryString, type QueryOptions } from "./compile/query.js";
export {
  fromSearchParams,
  type FromSearchParamsOptions,
  type SearchParamsInput,
} from "./compile/from-search-params.js";
export { toPredicate, type ImageRecord, type Predicate } from "./compile/predicate.js";
export { type FieldSchema, type FieldSpec } from "./schema.js";
export { suggest, type Suggestion, type SuggestionKind, type Suggestions, type SuggestOptions } from "./assist/suggest.js";
export { tokenize, type HighlightToken, type TokenKind } from "./assist/tokenize.js";
export { plan, type Plan, type PlanOptions } from "./compile/plan.js";
export type { Image } from "./integrations/list-images.js";

// Back-end targets live in their own entry points, so that a search box does not ship them:
// `imgmeta/integrations` (listImages, toListParams, toBindingFilter) and `imgmeta/sql` (toSql).
