/**
 * Filter → query parameters for `GET /accounts/{account_id}/images/v2`. Each top-level `and` conjunct of
 * the normal form becomes one parameter, always with a typed operator:
 * `meta.<path>[<op>:<type>]=<value>`, `in` values joined by `|`, and `creator=<value>`.
 */
import type { CompareNode, FilterNode, InNode, Scalar } from "../syntax/ast.js";
import { numberText } from "../syntax/format.js";
import { FilterError, hasErrors, issueAt, locateIssues, type Issue } from "../syntax/issues.js";
import {
  MAX_CONTINUATION_TOKEN_LENGTH,
  PER_PAGE_RANGE,
  resolveLimits,
  type LimitOptions,
} from "../semantics/limits.js";
import { normalize } from "../semantics/normalize.js";
import { filterOf } from "../parse.js";
import { hasLoneSurrogate } from "../syntax/unicode.js";
import { conjuncts, validateNormal } from "../semantics/validate.js";

/** Options for {@link toSearchParams} and {@link toQueryString}: limits and the list's own parameters. */
export interface QueryOptions extends LimitOptions {
  /** `per_page`: an integer from 10 to 10,000 (the API's default is 1,000). */
  readonly perPage?: number;
  /** `sort_order` by upload time (the API's default is `desc`). */
  readonly sortOrder?: "asc" | "desc";
  /** `continuation_token` from the previous page (at most 32 characters). */
  readonly continuationToken?: string;
}

/**
 * The parameters as `URLSearchParams`. (Its `toString()` percent-encodes everything but writes a space as
 * `+`; {@link toQueryString} writes `%20`, as the official SDK does.)
 * @throws FilterError with every issue when the filter does not parse, is nested too deep
 *   (`nesting-too-deep`) or the API cannot express it.
 */
export function toSearchParams(filterOrText: FilterNode | string, options?: QueryOptions): URLSearchParams {
  return new URLSearchParams(compileParams(filterOrText, options));
}

/**
 * The parameters as a readable query string, like the API docs write them:
 * `meta.status[eq:string]=active&meta.priority[in:number]=4|5`. Only what would change the meaning is
 * percent-encoded (`&`, `#`, `%`, `+`, `=`, spaces, quotes, non-ASCII, ...).
 * @throws FilterError as {@link toSearchParams} does.
 */
export function toQueryString(filterOrText: FilterNode | string, options?: QueryOptions): string {
  return formatQuery(compileParams(filterOrText, options));
}

/**
 * Writes parameters as a query string, percent-encoding only what would change the meaning (a space is
 * `%20`, never `+`, whose meaning the API does not document).
 */
export function formatQuery(pairs: Iterable<readonly [string, string]>): string {
  return [...pairs].map(([key, value]) => `${encode(key, KEY_SAFE)}=${encode(value, VALUE_SAFE)}`).join("&");
}

/** The `[key, value]` pairs of a filter and list options, in order. */
export function compileParams(filterOrText: FilterNode | string, options?: QueryOptions): [string, string][] {
  const text = typeof filterOrText === "string" ? filterOrText : undefined;
  const filter = filterOf(filterOrText, options);
  // The options are not part of the text: their issues come without a code frame.
  const badOptions = listOptionIssues(options);
  if (badOptions.length > 0) throw new FilterError(badOptions);
  const normal = normalize(filter);
  const issues = validateNormal(normal, resolveLimits(options));
  if (hasErrors(issues)) throw new FilterError(text === undefined ? issues : locateIssues(text, issues), text);

  const pairs: [string, string][] = conjuncts(normal).map((node) => param(node as CompareNode | InNode));
  if (options?.perPage !== undefined) pairs.push(["per_page", String(options.perPage)]);
  if (options?.sortOrder !== undefined) pairs.push(["sort_order", options.sortOrder]);
  if (options?.continuationToken !== undefined) pairs.push(["continuation_token", options.continuationToken]);
  return pairs;
}

/** One condition (already validated) as one parameter. */
function param(node: CompareNode | InNode): [string, string] {
  if (node.field.type === "creator") return ["creator", (node as CompareNode).value.value as string];
  const path = `meta.${node.field.path.join(".")}`;
  if (node.type === "in") {
    const type = typeof node.values[0]!.value;
    return [`${path}[in:${type}]`, node.values.map((literal) => scalarText(literal.value)).join("|")];
  }
  return [`${path}[${node.op}:${typeof node.value.value}]`, scalarText(node.value.value)];
}

/** A value as the API reads it: strings as they are, numbers in JSON syntax, booleans as words. */
export function scalarText(value: Scalar): string {
  return typeof value === "number" ? numberText(value) : String(value);
}

/** What is wrong with `perPage`, `sortOrder` and `continuationToken`, by the API's bounds. */
export function listOptionIssues(options: Omit<QueryOptions, "limits"> | undefined): Issue[] {
  const issues: Issue[] = [];
  const perPage = options?.perPage;
  if (perPage !== undefined && !(Number.isInteger(perPage) && perPage >= PER_PAGE_RANGE.min && perPage <= PER_PAGE_RANGE.max)) {
    issues.push(
      issueAt(
        "invalid-per-page",
        `perPage must be a whole number from ${PER_PAGE_RANGE.min} to ${PER_PAGE_RANGE.max}, not ${String(perPage)}`,
        undefined,
      ),
    );
  }
  const sortOrder: unknown = options?.sortOrder;
  if (sortOrder !== undefined && sortOrder !== "asc" && sortOrder !== "desc") {
    issues.push(issueAt("invalid-sort-order", `sortOrder must be "asc" or "desc", not ${JSON.stringify(sortOrder)}`, undefined));
  }
  const token: unknown = options?.continuationToken;
  if (token !== undefined && (typeof token !== "string" || token.length > MAX_CONTINUATION_TOKEN_LENGTH)) {
    issues.push(
      issueAt(
        "invalid-continuation-token",
        `continuationToken must be a string of at most ${MAX_CONTINUATION_TOKEN_LENGTH} characters`,
        undefined,
      ),
    );
  } else if (typeof token === "string" && hasLoneSurrogate(token)) {
    // No UTF-8 form: it could not be sent as it is (and the API's tokens are plain ASCII).
    issues.push(issueAt("invalid-continuation-token", "continuationToken holds half of a surrogate pair (a broken character)", undefined));
  }
  return issues;
}

/** Characters left as they are: they read the same raw or encoded, and keep the text readable. */
const VALUE_SAFE = /[A-Za-z0-9\-_.~!$'()*,:@/?|]/;
const KEY_SAFE = /[A-Za-z0-9\-_.~!$'()*,:@/?|[\]]/;

function encode(text: string, safe: RegExp): string {
  let out = "";
  for (const char of text) out += safe.test(char) ? char : encodeURIComponent(char);
  return out;
}
