/**
 * `tokenize`: the text as coloured ranges for a search box. The ranges cover every character, in order,
 * with no gaps: whitespace and characters the language does not know (`error`) included.
 */
import { tokenMatcher, type IToken } from "chevrotain";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { lex } from "../syntax/lexer.js";
import * as t from "../syntax/tokens.js";

/** What a range of the text is, for colouring. */
export type TokenKind =
  | "field"
  | "keyword"
  | "operator"
  | "string"
  | "number"
  | "boolean"
  | "punctuation"
  | "whitespace"
  | "error";

/** One coloured range, `[start, end)`. */
export interface HighlightToken {
  readonly type: TokenKind;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits text into coloured ranges covering every character. Never throws for any text. Text beyond the
 * input length limit (which `check` refuses) is one `error` range, so a huge paste costs no more than the limit.
 * @throws RangeError when a limit in `options` is invalid (see `LimitOptions`).
 */
export function tokenize(text: string, options?: LimitOptions): HighlightToken[] {
  const limit = resolveLimits(options).maxInputLength;
  if (text.length > limit) {
    return [...tokenize(text.slice(0, limit), options), { type: "error", start: limit, end: text.length }];
  }
  const { tokens, errors } = lex(text);
  const out: HighlightToken[] = [];
  let at = 0;
  const push = (type: TokenKind, start: number, end: number): void => {
    if (start > at) out.push({ type: "whitespace", start: at, end: start });
    if (end > start) out.push({ type, start, end });
    at = end;
  };
  let errorIndex = 0;
  let previous: IToken | undefined;
  let inList = false;
  for (const token of tokens) {
    while (errorIndex < errors.length && errors[errorIndex]!.offset < token.startOffset) {
      const error = errors[errorIndex++]!;
      push("error", error.offset, error.offset + error.length);
    }
    if (token.tokenType === t.In) inList = true;
    else if (token.tokenType === t.RParen) inList = false;
    push(kindOf(token, previous, inList), token.startOffset, token.startOffset + token.image.length);
    previous = token;
  }
  for (; errorIndex < errors.length; errorIndex++) {
    const error = errors[errorIndex]!;
    push("error", error.offset, error.offset + error.length);
  }
  push("whitespace", text.length, text.length);
  return out;
}

function kindOf(token: IToken, previous: IToken | undefined, inList: boolean): TokenKind {
  const type = token.tokenType;
  switch (type) {
    case t.Identifier: {
      // A bare word right after an operator, or inside a list, is a string value.
      const isValue =
        previous !== undefined &&
        (tokenMatcher(previous, t.CompareOperator) ||
          (inList && (previous.tokenType === t.LParen || previous.tokenType === t.Comma)));
      return isValue ? "string" : "field";
    }
    case t.QuotedName:
    case t.UnterminatedName:
      return "field";
    case t.StringLiteral:
    case t.UnterminatedString:
      return "string";
    case t.NumberLiteral:
      return "number";
    case t.True:
    case t.False:
      return "boolean";
    case t.And:
    case t.Or:
    case t.Not:
    case t.In:
      return "keyword";
    case t.AndSymbol:
    case t.OrSymbol:
    case t.Bang:
      return "operator";
    default:
      return tokenMatcher(token, t.CompareOperator) ? "operator" : "punctuation";
  }
}
