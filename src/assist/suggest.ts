/**
 * `suggest`: completions at a cursor in half-typed text. The grammar says what may come next
 * (Chevrotain 11's `computeContentAssist`, kept behind this function so a later Chevrotain without it is
 * a local change); the field schema says which fields and values exist.
 */
import { tokenMatcher, type IToken, type TokenType } from "chevrotain";
import { formatField, formatScalar, formatSegment } from "../syntax/format.js";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { fieldSpec, type FieldSchema, type FieldSpec } from "../semantics/schema.js";
import { lex } from "../syntax/lexer.js";
import { sharedParser } from "../syntax/parser.js";
import { findTooDeep } from "../syntax/read.js";
import * as t from "../syntax/tokens.js";
import { unquote } from "../syntax/values.js";

/** What a completion inserts. */
export type SuggestionKind = "field" | "operator" | "value" | "keyword" | "punctuation";

/** One completion. */
export interface Suggestion {
  /** What to show. */
  readonly label: string;
  /** What to put in place of `[from, to)`. */
  readonly insert: string;
  readonly kind: SuggestionKind;
  /** A short explanation: a field's type and description, an operator's meaning. */
  readonly detail: string;
}

/** Completions for one cursor position: each item replaces `[from, to)` of the text. */
export interface Suggestions {
  readonly from: number;
  readonly to: number;
  readonly items: readonly Suggestion[];
}

/** Options for {@link suggest}. */
export interface SuggestOptions extends LimitOptions {
  /** Field names, types and enum values to complete. */
  readonly fields?: FieldSchema;
}

const OPERATORS: readonly [string, string][] = [
  ["=", "equals"],
  ["!=", "does not equal"],
  ["<", "less than (numbers)"],
  ["<=", "at most (numbers)"],
  [">", "greater than (numbers)"],
  [">=", "at least (numbers)"],
];

/** Tokens that are being typed when the cursor touches their end (a word, a value, an operator). */
function isTyped(token: IToken): boolean {
  const type = token.tokenType;
  return (
    type === t.Identifier ||
    type === t.QuotedName ||
    type === t.UnterminatedName ||
    type === t.StringLiteral ||
    type === t.UnterminatedString ||
    type === t.NumberLiteral ||
    type === t.Bang ||
    t.KEYWORD_TOKENS.includes(type) ||
    tokenMatcher(token, t.CompareOperator)
  );
}

function end(token: IToken): number {
  return token.startOffset + token.image.length;
}

/**
 * The deepest nesting `suggest` explores, whatever `maxNestingDepth` allows: at this depth content assist
 * takes about a millisecond; at 2,000, 0.7 s and 260 MB; at 9,999, the process runs out of memory.
 */
const MAX_ASSIST_DEPTH = 128;

/**
 * Completions at `cursor` (an offset into `text`): field names after nothing, `and`, `or`, `(` or `not`;
 * operators after a field; values after an operator; `and`, `or`, `)` after a complete condition.
 * Never throws for any text (an invalid limit is a RangeError, see `LimitOptions`); after a syntax error
 * before the cursor, or nesting deeper than `maxNestingDepth` (or 128, whichever is less), there may be
 * nothing to offer.
 */
export function suggest(text: string, cursor: number, options?: SuggestOptions): Suggestions {
  const at = Math.max(0, Math.min(Number.isFinite(cursor) ? Math.trunc(cursor) : text.length, text.length));
  const limits = resolveLimits(options);
  if (text.length > limits.maxInputLength) return { from: at, to: at, items: [] };

  const head = text.slice(0, at);
  const lexed = lex(head);
  const last = lexed.tokens.at(-1);
  const typing = last !== undefined && end(last) === at && isTyped(last) ? last : undefined;
  const number = partialNumberStart(head, lexed.tokens, lexed.errors);
  const from = number ?? (typing ? typing.startOffset : at);
  const prefix = text.slice(from, at);
  const preceding = lexed.tokens.filter((token) => token.startOffset < from);
  // Nested past the limit, the text cannot be read (`check` says so), and content assist's exploration
  // grows with the cube of the depth: nothing to offer. A raised limit raises it up to a ceiling only.
  if (findTooDeep(preceding, Math.min(limits.maxNestingDepth, MAX_ASSIST_DEPTH))) return { from: at, to: at, items: [] };
  // Replace the whole word under the cursor, not only the part before it.
  const under = typing ? lex(text).tokens.find((token) => token.startOffset === from) : undefined;
  const to = under && isTyped(under) ? Math.max(at, end(under)) : at;

  const fields = options?.fields ?? {};
  const items = new Map<string, Suggestion>();
  const add = (item: Suggestion): void => {
    if (!items.has(item.insert) && matchesPrefix(item, prefix)) items.set(item.insert, item);
  };

  const target = operatorsFor(preceding, fields);
  const paths = sharedParser().computeContentAssist("filter", preceding);
  for (const { nextTokenType: next, ruleStack } of paths) {
    const rule = ruleStack.at(-1);
    if (next === t.Segment) {
      fieldItems(preceding, fields).forEach(add);
    } else if (next === t.CompareOperator) {
      for (const [operator, detail] of OPERATORS) {
        const isRange = operator !== "=" && operator !== "!=";
        if (isRange && !target.ranges) continue; // ranges match numbers only
        add({ label: operator, insert: operator, kind: "operator", detail });
      }
    } else if (next === t.In) {
      if (target.lists) add({ label: "in", insert: "in", kind: "operator", detail: "any of a list: in (a, b)" });
    } else if (next === t.Not) {
      if (target.lists) add({ label: "not in", insert: "not in", kind: "operator", detail: "none of a list: not in (a, b)" });
    } else if (next === t.Value) {
      // The creator is any string: there are no values to offer (true and false would be errors).
      const operator = operatorIndex(preceding);
      if (operator < 0 || !writesCreator(preceding, operator)) valueItems(operator < 0 ? undefined : schemaKeyBefore(preceding, operator), fields).forEach(add);
    } else {
      const item = SIMPLE_ITEMS.get(next);
      if (item) add(item);
    }
  }
  return { from, to, items: [...items.values()] };
}

/**
 * Where a number being typed starts, when the text before the cursor ends in one that is not whole yet
 * (`-`, `8.`, `1e`, `1e+`): the lexer splits those into other tokens or errors.
 */
function partialNumberStart(head: string, tokens: readonly IToken[], errors: readonly { offset: number }[]): number | undefined {
  // Only a minus sign or the first digit of a run can start it (a longer run matches whenever a shorter
  // one does): the lookbehind makes every other offset fail at once, so a long run of digits costs linear time.
  const match = /(?:-|(?<![0-9]))(?:[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?)?$/.exec(head);
  if (!match || match[0] === "" || /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(match[0]) && match[0] !== "-") return undefined;
  const start = match.index;
  const startsToken = tokens.some((token) => token.startOffset === start && token.tokenType === t.NumberLiteral);
  const startsError = errors.some((error) => error.offset === start) && match[0].startsWith("-");
  return startsToken || startsError ? start : undefined;
}

const SIMPLE_ITEMS: ReadonlyMap<TokenType, Suggestion> = new Map([
  [t.AndOperator, { label: "and", insert: "and", kind: "keyword", detail: "both conditions" }],
  [t.OrOperator, { label: "or", insert: "or", kind: "keyword", detail: "either condition" }],
  [t.NotOperator, { label: "not", insert: "not", kind: "keyword", detail: "the opposite of a condition" }],
  [t.LParen, { label: "(", insert: "(", kind: "punctuation", detail: "group conditions" }],
  [t.RParen, { label: ")", insert: ")", kind: "punctuation", detail: "close the group or list" }],
  [t.Comma, { label: ",", insert: ",", kind: "punctuation", detail: "another value" }],
]);

function matchesPrefix(item: Suggestion, prefix: string): boolean {
  if (prefix === "") return true;
  const lower = prefix.toLowerCase();
  return item.insert.toLowerCase().startsWith(lower) || item.label.toLowerCase().startsWith(lower);
}

/** Field names: all of them at the start of a path, or the ones under the path typed before a `.`. */
function fieldItems(preceding: readonly IToken[], fields: FieldSchema): Suggestion[] {
  const afterDot = preceding.at(-1)?.tokenType === t.Dot;
  const typed = afterDot ? pathBefore(preceding, preceding.length, true).segments : [];
  // After a bare leading `meta.`, every field can follow.
  const parent = typed.length > 0 ? typed.join(".") + "." : "";
  const items: Suggestion[] = [];
  if (!afterDot) {
    items.push({ label: "creator", insert: "creator", kind: "field", detail: "the image's creator" });
  }
  for (const [key, entry] of Object.entries(fields)) {
    if (!key.startsWith(parent)) continue;
    const spec = fieldSpec(entry);
    const path = key.slice(parent.length).split(".");
    // A whole path is written as the language reads it; the rest of a started path, segment by segment.
    const insert = afterDot ? path.map(formatSegment).join(".") : formatField({ type: "meta", path });
    items.push({ label: key, insert, kind: "field", detail: spec.description ? `${spec.type}: ${spec.description}` : spec.type });
  }
  return items;
}

/** Values for the field of the condition being written: its enum values, or true/false for booleans. */
function valueItems(field: string | undefined, fields: FieldSchema): Suggestion[] {
  const spec = specOf(field, fields);
  const values = spec?.values ?? (spec === undefined || spec.type === "boolean" ? [true, false] : []);
  return values.map((value) => ({
    label: String(value),
    insert: formatScalar(value),
    kind: "value" as const,
    detail: spec ? `${spec.type} value of ${field}` : typeof value,
  }));
}

function specOf(field: string | undefined, fields: FieldSchema): FieldSpec | undefined {
  const entry = field !== undefined && Object.hasOwn(fields, field) ? fields[field] : undefined;
  return entry === undefined ? undefined : fieldSpec(entry);
}

/**
 * Which operators make sense after the path just written: the creator takes `=` and `!=` (with a string),
 * ranges need a number field and lists a string or number field (the API has no `in` for booleans).
 */
function operatorsFor(preceding: readonly IToken[], fields: FieldSchema): { ranges: boolean; lists: boolean } {
  if (writesCreator(preceding, preceding.length)) return { ranges: false, lists: false };
  const type = specOf(schemaKeyBefore(preceding, preceding.length), fields)?.type;
  return { ranges: type === undefined || type === "number", lists: type !== "boolean" };
}

/** Where the operator of the condition being written is (its `in`, or the `not` of `not in`); -1 for none. */
function operatorIndex(preceding: readonly IToken[]): number {
  let i = preceding.length - 1;
  while (i >= 0 && !tokenMatcher(preceding[i]!, t.CompareOperator) && preceding[i]!.tokenType !== t.In) i--;
  if (i > 0 && preceding[i]!.tokenType === t.In && preceding[i - 1]?.tokenType === t.Not) i--;
  return i;
}

/** Whether the path written just before index `endIndex` is the creator (a bare `creator`, not `meta.creator`). */
function writesCreator(tokens: readonly IToken[], endIndex: number): boolean {
  const { segments, bare } = pathBefore(tokens, endIndex);
  return bare && segments.length === 1 && segments[0] === "creator";
}

/** The schema key of the path written just before index `endIndex`; undefined for none or the creator. */
function schemaKeyBefore(tokens: readonly IToken[], endIndex: number): string | undefined {
  if (writesCreator(tokens, endIndex)) return undefined;
  const { segments } = pathBefore(tokens, endIndex);
  return segments.length === 0 ? undefined : segments.join(".");
}

/**
 * The path segments written just before index `endIndex`, with a leading bare `meta.` dropped
 * (`openEnded`: a `.` ends the path, so more segments follow even after a lone `meta`). `bare` tells
 * whether the first segment was written as a plain name with no `meta.` before it.
 */
function pathBefore(tokens: readonly IToken[], endIndex: number, openEnded = false): { segments: string[]; bare: boolean } {
  const segments: string[] = [];
  let i = endIndex - 1;
  if (tokens[i]?.tokenType === t.Dot) i--;
  let bare = false;
  while (i >= 0) {
    const token = tokens[i]!;
    if (token.tokenType === t.Identifier) segments.unshift(token.image);
    else if (token.tokenType === t.QuotedName) {
      const name = unquote(token.image);
      segments.unshift(name.ok ? name.value : token.image.slice(1, -1));
    } else break;
    bare = token.tokenType === t.Identifier;
    if (tokens[i - 1]?.tokenType !== t.Dot) break;
    i -= 2;
  }
  if (bare && segments[0] === "meta" && (segments.length > 1 || openEnded)) {
    segments.shift();
    bare = false;
  }
  return { segments, bare };
}
