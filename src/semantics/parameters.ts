/**
 * The List images V2 request's parameters: how one condition is spelt as a query parameter
 * (`meta.<path>[<op>:<type>]=<value>`, `in` values joined by `|`, `creator=<value>`), how parameters are
 * written readably, and the bounds of the list's own parameters (`per_page`, `sort_order`,
 * `continuation_token`). Every target that speaks to the API (the query string, the SDK's params, the
 * pushdown plan) spells conditions through here, so they cannot drift apart.
 */
import type { CompareNode, FilterNode, InNode, Scalar } from "../syntax/ast.js";
import { numberText } from "../syntax/format.js";
import { FilterError, hasErrors, issueAt, type Issue } from "../syntax/issues.js";
import { hasLoneSurrogate } from "../syntax/unicode.js";
import type { Limits } from "./limits.js";
import { normalize } from "./normalize.js";
import { conjuncts, validateNormal } from "./validate.js";

/** The API's bounds for `per_page` on List images V2. */
export const PER_PAGE_RANGE: Readonly<{ min: number; max: number }> = Object.freeze({
  min: 10,
  max: 10_000,
});

/** The longest `continuation_token` the API's schema allows. */
export const MAX_CONTINUATION_TOKEN_LENGTH = 32;

/** The list's own parameters, as options. */
export interface ListOptions {
  /** `per_page`: an integer from 10 to 10,000 (the API's default is 1,000). */
  readonly perPage?: number;
  /** `sort_order` by upload time (the API's default is `desc`). */
  readonly sortOrder?: "asc" | "desc";
  /** `continuation_token` from the previous page (at most 32 characters). */
  readonly continuationToken?: string;
}

/** A parameter: `[key, value]`, not yet encoded. */
export type Param = [key: string, value: string];

/**
 * The conditions a filter sends as parameters: the top-level conjuncts of its normal form, in order.
 * @throws FilterError (without text) with every issue when the API cannot express the filter.
 */
export function paramConditions(filter: FilterNode, limits: Limits): (CompareNode | InNode)[] {
  const normal = normalize(filter);
  const issues = validateNormal(normal, limits);
  if (hasErrors(issues)) throw new FilterError(issues);
  return conjuncts(normal) as (CompareNode | InNode)[];
}

/**
 * The parameters of a filter, one per condition of {@link paramConditions}.
 * @throws FilterError (without text) with every issue when the API cannot express the filter.
 */
export function filterParams(filter: FilterNode, limits: Limits): Param[] {
  return paramConditions(filter, limits).map(conditionParam);
}

/** One condition the API can evaluate (validated), as one parameter. */
export function conditionParam(node: CompareNode | InNode): Param {
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

/** The list's own parameters, in the order the API documents them (options checked first). */
export function listParams(options: ListOptions | undefined): Param[] {
  const params: Param[] = [];
  if (options?.perPage !== undefined) params.push(["per_page", String(options.perPage)]);
  if (options?.sortOrder !== undefined) params.push(["sort_order", options.sortOrder]);
  if (options?.continuationToken !== undefined) params.push(["continuation_token", options.continuationToken]);
  return params;
}

/** Whether `value` is a `per_page` the API takes. */
export function isPerPage(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= PER_PAGE_RANGE.min && value <= PER_PAGE_RANGE.max;
}

/**
 * `per_page` written as text (a query parameter, a command-line flag): digits only, within
 * {@link PER_PAGE_RANGE}; `undefined` for anything else (`1e2`, ` 100`, `0x64` included).
 */
export function parsePerPage(text: string): number | undefined {
  if (text.length === 0 || text.length > 6) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  const value = Number(text);
  return isPerPage(value) ? value : undefined;
}

/** What is wrong with `perPage`, `sortOrder` and `continuationToken`, by the API's bounds. */
export function listOptionIssues(options: ListOptions | undefined): Issue[] {
  const issues: Issue[] = [];
  const perPage = options?.perPage;
  if (perPage !== undefined && !isPerPage(perPage)) {
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

/**
 * Writes parameters as a query string, percent-encoding only what would change the meaning (a space is
 * `%20`, never `+`, whose meaning the API does not document).
 */
export function formatQuery(pairs: Iterable<readonly [string, string]>): string {
  return [...pairs].map(([key, value]) => `${encode(key, KEY_SAFE)}=${encode(value, VALUE_SAFE)}`).join("&");
}

/** Characters left as they are: they read the same raw or encoded, and keep the text readable. */
const VALUE_SAFE = /[A-Za-z0-9\-_.~!$'()*,:@/?|]/;
const KEY_SAFE = /[A-Za-z0-9\-_.~!$'()*,:@/?|[\]]/;

function encode(text: string, safe: RegExp): string {
  let out = "";
  for (const char of text) out += safe.test(char) ? char : encodeURIComponent(char);
  return out;
}
