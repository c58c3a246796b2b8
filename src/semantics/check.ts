/**
 * `check`: parse and validate in one call, for search boxes. It never throws, whatever the string (only
 * an invalid limit in the options, a mistake in the calling code, is a RangeError), and
 * reports everything at once: every syntax error (Chevrotain's recovery reads on past each one), the
 * API's rules, and with a field schema, unknown fields, wrong types and values outside an enum.
 *
 * What the box feeds decides what is an error: a filter sent to the API as it is must keep every rule of
 * the API; one that goes through `plan` or `listImages` needs none of them, since what the API cannot
 * take is applied locally, and check says so with an `info` issue per part applied locally.
 */
import type { IToken } from "chevrotain";
import type { Filter, FilterNode, Span } from "../syntax/ast.js";
import { hasErrors, locateIssues, sortIssues, type Issue } from "../syntax/issues.js";
import { firstTokenAtOrAfter } from "../syntax/lexer.js";
import * as t from "../syntax/tokens.js";
import { resolveLimits, type LimitOptions, type Limits } from "./limits.js";
import { normalize } from "./normalize.js";
import { pushdown } from "./pushdown.js";
import { checkFields, type FieldSchema } from "./schema.js";
import { readFilter } from "../syntax/read.js";
import { validateNormal } from "./validate.js";

/**
 * What the checked filter feeds: `"api"`, the List images V2 parameters as they are (`toSearchParams`,
 * `toQueryString`, `toListParams`), where whatever the API cannot take is an error; `"plan"`, `plan` or
 * `listImages` (the API, then a local rest), where it is information: applied locally.
 */
export type CheckTarget = "api" | "plan";

/** Options for {@link check}. */
export interface CheckOptions extends LimitOptions {
  /** What is known of the metadata fields, to check names, types and enum values. */
  readonly fields?: FieldSchema;
  /**
   * What the filter feeds (see {@link CheckTarget}): `"api"` (the default) or `"plan"`. With `"plan"`,
   * each conjunct `plan` applies locally gets an issue of severity `"info"` ("applied locally: ...", with
   * the code of the reason) at its span, instead of errors.
   */
  readonly target?: CheckTarget;
}

/** The outcome of {@link check}. */
export interface CheckResult {
  /**
   * True when there is no error-severity issue: the filter can be sent to its target as it is (with the
   * `"plan"` target, whatever it holds that the API cannot take included).
   */
  readonly ok: boolean;
  /**
   * The filter. With syntax errors, the best partial filter recovery could build (what was understood),
   * or none; without, the whole filter, even when the API cannot express it.
   */
  readonly filter?: Filter;
  /** Every issue, in text order, with line and column. */
  readonly issues: readonly Issue[];
}

/** Parses and validates `text`, returning every issue instead of throwing. */
export function check(text: string, options?: CheckOptions): CheckResult {
  if (typeof text !== "string") {
    return { ok: false, issues: [{ code: "not-a-string", message: "the filter must be a string", severity: "error", start: 0, end: 0 }] };
  }
  const limits = resolveLimits(options);
  const { filter, issues: syntax, tokens } = readFilter(text, limits);
  const issues: Issue[] = [...syntax];
  if (filter) {
    const normal = normalize(filter);
    issues.push(...(options?.target === "plan" ? appliedLocally(normal, tokens, limits) : validateNormal(normal, limits)));
    if (options?.fields) issues.push(...checkFields(filter, options.fields));
  }
  const located = locateIssues(text, sortIssues(issues));
  const ok = !hasErrors(located);
  return filter ? { ok, filter, issues: located } : { ok, issues: located };
}

/**
 * One `info` issue per conjunct that `plan` applies locally, at its span (with its parentheses): its first
 * reason (what the API cannot express in it, or the budget it fell outside of), in the words `validate` uses.
 */
function appliedLocally(normal: FilterNode, tokens: readonly IToken[], limits: Limits): Issue[] {
  const local = pushdown(normal, limits).local;
  if (local.length === 0) return [];
  return local.map(({ node, reasons }) => {
    const reason = reasons[0]!;
    const { start, end } = node.span ? withParentheses(tokens, node.span) : reason;
    return { ...reason, severity: "info", message: `applied locally: ${reason.message}`, start, end };
  });
}

/**
 * A node's span with the parentheses that belong to it: a group's span leaves out its own `(` and `)`,
 * `not (...)`'s ends before its `)`, and a junction's starts or ends inside the group of its first or last operand. (Tokens, not characters: a parenthesis in a string is not one.)
 */
function withParentheses(tokens: readonly IToken[], span: Span): Span {
  let first = firstTokenAtOrAfter(tokens, span.start);
  let after = firstTokenAtOrAfter(tokens, span.end);
  let open = 0;
  for (let i = first; i < after; i++) {
    if (tokens[i]!.tokenType === t.LParen) open++;
    else if (tokens[i]!.tokenType === t.RParen) open--;
  }
  // A group at either end of the span is cut in half: take the rest of it.
  for (; open > 0 && tokens[after]?.tokenType === t.RParen; open--) after++;
  for (; open < 0 && tokens[first - 1]?.tokenType === t.LParen; open++) first--;
  while (tokens[first - 1]?.tokenType === t.LParen && tokens[after]?.tokenType === t.RParen) {
    first--;
    after++;
  }
  const last = tokens[after - 1];
  if (first >= after || !last) return span;
  return { start: Math.min(span.start, tokens[first]!.startOffset), end: Math.max(span.end, last.startOffset + last.image.length) };
}

