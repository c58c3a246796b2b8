/**
 * Text → tokens, by a hand-written scanner that feeds Chevrotain's parser (Chevrotain parsers take
 * tokens from any lexer). The token patterns in `tokens.ts` remain the definition: a differential test
 * (`test/syntax/lexer.test.ts`) runs Chevrotain's own lexer over those patterns beside this scanner on
 * generated text and requires the same tokens and the same errors. This scanner is two to five times
 * as fast (measured on the benchmark's queries), and leaves Chevrotain's lexer and its regular-expression
 * analyser out of every bundle.
 */
import type { IToken, TokenType } from "chevrotain";
import * as t from "./tokens.js";

/** A run of characters no token matches: `length` characters from `offset`. */
export interface LexError {
  readonly offset: number;
  readonly length: number;
}

/** The tokens of a text (whitespace dropped), and the runs of characters that are not tokens. */
export interface LexResult {
  readonly tokens: IToken[];
  readonly errors: LexError[];
}

/** Splits text into tokens (whitespace dropped); characters no token matches come back as errors. */
export function lex(text: string): LexResult {
  const tokens: IToken[] = [];
  const errors: LexError[] = [];
  const length = text.length;
  let at = 0;
  while (at < length) {
    const code = text.charCodeAt(at);
    if (isSpace(code)) {
      at++;
      continue;
    }
    const end = tokenEnd(text, at, code);
    if (end < 0) {
      // As Chevrotain does: skip to the next position where some token could start.
      const start = at;
      do at++;
      while (at < length && tokenEnd(text, at, text.charCodeAt(at)) < 0 && !isSpace(text.charCodeAt(at)));
      errors.push({ offset: start, length: at - start });
      continue;
    }
    tokens.push(token(text, at, end, matchedType));
    at = end;
  }
  return { tokens, errors };
}

/** The type of the token `tokenEnd` last matched (a module variable: no object per token). */
let matchedType: TokenType = t.Identifier;

/** Where the token starting at `at` (whose first code unit is `code`) ends, or -1 if none starts there. */
function tokenEnd(text: string, at: number, code: number): number {
  const next = text.charCodeAt(at + 1);
  switch (code) {
    case 0x22: // "
    case 0x27: // '
      return quoted(text, at, code, t.StringLiteral, t.UnterminatedString);
    case 0x60: // `
      return quoted(text, at, code, t.QuotedName, t.UnterminatedName);
    case 0x2d: // -
      return isDigit(next) ? number(text, at + 1) : -1;
    case 0x26: // &
      return next === 0x26 ? matched(t.AndSymbol, at + 2) : -1;
    case 0x7c: // |
      return next === 0x7c ? matched(t.OrSymbol, at + 2) : -1;
    case 0x3d: // =
      return next === 0x3d ? matched(t.EqualsEquals, at + 2) : matched(t.Equals, at + 1);
    case 0x21: // !
      return next === 0x3d ? matched(t.NotEquals, at + 2) : matched(t.Bang, at + 1);
    case 0x3c: // <
      return next === 0x3d ? matched(t.LessEquals, at + 2) : matched(t.Less, at + 1);
    case 0x3e: // >
      return next === 0x3d ? matched(t.GreaterEquals, at + 2) : matched(t.Greater, at + 1);
    case 0x3a: // :
      return matched(t.Colon, at + 1);
    case 0x28: // (
      return matched(t.LParen, at + 1);
    case 0x29: // )
      return matched(t.RParen, at + 1);
    case 0x2c: // ,
      return matched(t.Comma, at + 1);
    case 0x2e: // .
      return matched(t.Dot, at + 1);
  }
  if (isDigit(code)) return number(text, at);
  if (isWordStart(code)) return word(text, at);
  return -1;
}

function matched(type: TokenType, end: number): number {
  matchedType = type;
  return end;
}

/**
 * A quoted string or name: to its closing quote, or, unterminated, to the end of the text. Any escape
 * is taken here (`\` and the code unit after it); the value converter reports bad ones precisely.
 */
function quoted(text: string, at: number, quote: number, closed: TokenType, unterminated: TokenType): number {
  for (let i = at + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === quote) return matched(closed, i + 1);
    if (code === 0x5c) i++; // `\` and the code unit it escapes
  }
  return matched(unterminated, text.length);
}

/** A JSON number whose digits start at `at` (after any minus): `0` or `[1-9][0-9]*`, a fraction, an exponent. */
function number(text: string, at: number): number {
  let i = at + 1;
  if (text.charCodeAt(at) !== 0x30) while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 0x2b || sign === 0x2d) j++;
    if (isDigit(text.charCodeAt(j))) {
      i = j + 1;
      while (isDigit(text.charCodeAt(i))) i++;
    }
  }
  return matched(t.NumberLiteral, i);
}

/** A bare word: a keyword when it is one (any case), else an identifier. */
function word(text: string, at: number): number {
  let end = at + 1;
  while (isWordPart(text.charCodeAt(end))) end++;
  matchedType = keyword(text, at, end) ?? t.Identifier;
  return end;
}

/** The keyword `text` holds from `at` to `end`, compared without allocating (most words are not keywords). */
function keyword(text: string, at: number, end: number): TokenType | undefined {
  for (let k = 0; k < t.KEYWORDS.length; k++) {
    const spelling = t.KEYWORDS[k]!;
    if (spelling.length === end - at && spells(text, at, spelling)) return t.KEYWORD_TOKENS[k];
  }
  return undefined;
}

/** Whether the word at `at` is `lower` in any case (`| 0x20` lowers an ASCII letter; words hold no other letters). */
function spells(text: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(at + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** A token with the fields, and in the order, Chevrotain's own lexer gives them (one object shape). */
function token(text: string, start: number, end: number, tokenType: TokenType): IToken {
  return { image: text.slice(start, end), startOffset: start, tokenTypeIdx: tokenType.tokenTypeIdx!, tokenType } as IToken;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0xfeff;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isWordStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || isDigit(code) || code === 0x2d;
}

/** The index of the first token starting at or after `offset` (tokens are in text order), by binary search. */
export function firstTokenAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
