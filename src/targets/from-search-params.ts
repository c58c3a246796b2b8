/**
 * Query parameters → Filter: the reverse of `toSearchParams`, and what the emulator uses to read a
 * request. Accepts raw keys (`meta.status[eq]`) and percent-encoded ones (`meta.status%5Beq%5D`, what
 * the official SDK sends); untyped `eq`/`in` mean strings and untyped `gt`/`gte`/`lt`/`lte` numbers.
 * Parameters that are not filters (`per_page`, `sort_order`, `continuation_token`, ...) are ignored.
 */
import { withSpan, type CompareNode, type CompareOp, type FilterNode, type InNode, type Literal, type Scalar, type Span } from "../syntax/ast.js";
import { FilterError, hasErrors, issueAt, locateIssues, type Issue } from "../syntax/issues.js";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { validateNormal } from "../semantics/validate.js";

/** What {@link fromSearchParams} reads: a query string (with or without `?`), a URL, or parameters. */
export type SearchParamsInput =
  | string
  | URL
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options for {@link fromSearchParams}. */
export type FromSearchParamsOptions = LimitOptions;

/** One parameter, with its place in the query string when there was one. */
interface Param {
  readonly key: string;
  readonly value: string;
  readonly span?: Span;
  /** Where the value starts, to point into it. */
  readonly valueStart?: number;
  /** True when key and value were written without percent-encoding, so offsets inside them are exact. */
  readonly literal?: boolean;
}

/**
 * Reads the filter out of List images V2 query parameters, e.g.
 * `meta.status[eq]=active&meta.priority[in:number]=4|5&creator=user123`.
 * @throws FilterError with every issue: malformed keys, unknown operators, bad numbers or booleans,
 *   and requests over the API's limits.
 */
export function fromSearchParams(input: SearchParamsInput, options?: FromSearchParamsOptions): FilterNode {
  const text = typeof input === "string" ? queryPart(input) : undefined;
  const params = text === undefined ? paramsOf(input as Exclude<SearchParamsInput, string>) : splitQuery(text);
  const issues: Issue[] = [];
  const nodes: FilterNode[] = [];
  for (const param of params) {
    const node = readParam(param, issues);
    if (node) nodes.push(node);
  }
  const filter: FilterNode =
    nodes.length === 0 ? { type: "all" } : nodes.length === 1 ? nodes[0]! : { type: "and", operands: nodes };
  if (!hasErrors(issues)) issues.push(...validateNormal(filter, resolveLimits(options)));
  if (hasErrors(issues)) throw new FilterError(text === undefined ? issues : locateIssues(text, issues), text);
  return filter;
}

/**
 * The query of a string that may be a whole URL (`https://…/images/v2?…`), a path (`/images/v2?…`, as the
 * API docs write their examples), or a query with or without its `?`. A query never starts with `/`.
 */
function queryPart(input: string): string {
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/|\/)/i.test(input)) {
    const question = input.indexOf("?");
    if (question < 0) return "";
    const hash = input.indexOf("#", question);
    return input.slice(question + 1, hash < 0 ? undefined : hash);
  }
  return input.startsWith("?") ? input.slice(1) : input;
}

/** Splits a query string into parameters, decoding each as `URLSearchParams` would, keeping offsets. */
function splitQuery(query: string): Param[] {
  const params: Param[] = [];
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf("&", start);
    if (end < 0) end = query.length;
    const piece = query.slice(start, end);
    if (piece !== "") {
      const equals = piece.indexOf("=");
      const [key, value] = new URLSearchParams(piece).entries().next().value ?? ["", ""];
      params.push({
        key,
        value,
        span: { start, end },
        valueStart: equals < 0 ? end : start + equals + 1,
        literal: piece === `${key}=${value}`,
      });
    }
    start = end + 1;
  }
  return params;
}

function paramsOf(input: URL | URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>): Param[] {
  if (input instanceof URL) return [...input.searchParams].map(([key, value]) => ({ key, value }));
  if (input instanceof URLSearchParams) return [...input].map(([key, value]) => ({ key, value }));
  const params: Param[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    for (const one of typeof value === "string" ? [value] : value) params.push({ key, value: one });
  }
  return params;
}

const OPERATORS = new Set(["eq", "in", "gt", "gte", "lt", "lte"]);
const TYPES = new Set(["string", "number", "boolean"]);
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function readParam(param: Param, issues: Issue[]): FilterNode | undefined {
  const { key, value, span } = param;
  if (key === "creator") {
    return { type: "compare", op: "eq", field: withSpan({ type: "creator" }, span), value: withSpan({ value }, valueSpan(param)), ...spanned(span) };
  }
  if (key !== "meta" && !key.startsWith("meta.") && !key.startsWith("meta[")) {
    // Other parameters (per_page, sort_order, continuation_token, ...) are not filters; but a key with
    // brackets was meant as one (`mata.status[eq]`), and dropping it would widen the filter silently.
    if (key.includes("[")) {
      issues.push(issueAt("malformed-param", `${JSON.stringify(key)} is not a filter parameter; filter keys start with "meta."`, span));
    }
    return undefined;
  }

  const parts = splitFilterKey(key);
  if (!parts || parts.segments.some((segment) => segment === "" || /[[\]]/.test(segment))) {
    issues.push(
      issueAt(
        "malformed-param",
        `${JSON.stringify(key)} is not a filter parameter; write meta.<path>[<operator>] or meta.<path>[<operator>:<type>]`,
        span,
      ),
    );
    return undefined;
  }
  const { segments, operator, declared } = parts;
  if (!OPERATORS.has(operator) || (declared !== undefined && !TYPES.has(declared))) {
    issues.push(
      issueAt(
        "unknown-operator",
        `${JSON.stringify(declared === undefined ? operator : `${operator}:${declared}`)} is not an operator of the API ` +
          "(eq, in, gt, gte, lt, lte, optionally typed :string, :number or :boolean)",
        span,
      ),
    );
    return undefined;
  }
  const ranged = operator !== "eq" && operator !== "in";
  const type = declared ?? (ranged ? "number" : "string");
  if ((ranged && type !== "number") || (operator === "in" && type === "boolean")) {
    issues.push(
      issueAt(
        "unknown-operator",
        `"${operator}:${type}" is not an operator of the API: ${ranged ? "ranges take numbers only" : 'there is no "in" for booleans'}`,
        span,
      ),
    );
    return undefined;
  }

  const segmentSpans = span && param.literal ? segmentSpansOf(segments, span.start) : undefined;
  const field = { type: "meta" as const, path: segments, ...(segmentSpans ? { segmentSpans } : {}), ...spanned(span) };
  if (operator === "in") {
    const values: Literal[] = [];
    let at = param.valueStart ?? 0;
    for (const part of value.split("|")) {
      const partSpan = param.literal ? { start: at, end: at + part.length } : valueSpan(param);
      at += part.length + 1;
      const scalar = readScalar(part, type, param, partSpan, issues);
      if (scalar === undefined) return undefined;
      values.push(withSpan({ value: scalar }, partSpan));
    }
    const node: InNode = { type: "in", field, values, negated: false, ...spanned(span) };
    return node;
  }
  const scalar = readScalar(value, type, param, valueSpan(param), issues);
  if (scalar === undefined) return undefined;
  const node: CompareNode = {
    type: "compare",
    op: operator as CompareOp,
    field,
    value: withSpan({ value: scalar }, valueSpan(param)),
    ...spanned(span),
  };
  return node;
}

/** The pieces of a filter key `meta.<path>[<operator>]` or `meta.<path>[<operator>:<type>]`. */
export interface FilterKey {
  readonly segments: readonly string[];
  readonly operator: string;
  readonly declared: string | undefined;
}

/**
 * Splits a filter key: `meta.`, a path, then the last `[`, an operator, an optional `:type`, and a final
 * `]` (with no other `]` inside the brackets); `undefined` when the key has another shape. Path segments
 * may hold any character (line breaks too); those that cannot be addressed are refused by the caller.
 * A handful of string searches, each linear in the key (the pattern this replaces backtracked
 * quadratically on keys like `meta.[[[[…`).
 */
export function splitFilterKey(key: string): FilterKey | undefined {
  if (!key.startsWith("meta.") || !key.endsWith("]")) return undefined;
  const open = key.lastIndexOf("[");
  if (open <= "meta.".length) return undefined;
  const inside = key.slice(open + 1, -1);
  if (inside.includes("]")) return undefined;
  const colon = inside.indexOf(":");
  return {
    segments: key.slice("meta.".length, open).split("."),
    operator: colon < 0 ? inside : inside.slice(0, colon),
    declared: colon < 0 ? undefined : inside.slice(colon + 1),
  };
}

function readScalar(text: string, type: string, param: Param, span: Span | undefined, issues: Issue[]): Scalar | undefined {
  if (type === "string") {
    if (text === "" && param.key.includes("[in")) {
      issues.push(issueAt("empty-list-value", `${JSON.stringify(param.key)} has an empty value in its list`, span));
      return undefined;
    }
    return text;
  }
  if (type === "number") {
    const number = JSON_NUMBER.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(number)) {
      issues.push(
        issueAt("invalid-number", `${JSON.stringify(param.key)} needs a number, not ${JSON.stringify(text)}`, span),
      );
      return undefined;
    }
    return number;
  }
  if (text === "true" || text === "false") return text === "true";
  issues.push(
    issueAt("invalid-boolean", `${JSON.stringify(param.key)} needs true or false, not ${JSON.stringify(text)}`, span),
  );
  return undefined;
}

/** Spans of the segments of a raw key `meta.a.b[...]` (only exact when the key was not percent-encoded). */
function segmentSpansOf(segments: readonly string[], keyStart: number): Span[] {
  const spans: Span[] = [];
  let at = keyStart + "meta.".length;
  for (const segment of segments) {
    spans.push({ start: at, end: at + segment.length });
    at += segment.length + 1;
  }
  return spans;
}

function valueSpan(param: Param): Span | undefined {
  return param.span && param.valueStart !== undefined ? { start: param.valueStart, end: param.span.end } : undefined;
}

function spanned(span: Span | undefined): { span?: Span } {
  return span ? { span } : {};
}
