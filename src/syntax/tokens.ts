/**
 * The filter language's tokens. Their patterns are the definition of the tokens: the hand-written lexer
 * (`lexer.ts`) is checked against Chevrotain's lexer built from them (`test/syntax/lexer.test.ts`), which
 * also proves them fit for Chevrotain (validated, first-character optimised). Every token has a `LABEL`
 * written for people: it appears in error messages and completions.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Spaces, tabs and line breaks between tokens. */
export const WhiteSpace: TokenType = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
  start_chars_hint: [" ", "\t", "\r", "\n", "\f", "\v", "\u00a0", "\ufeff"],
});

/*
 * Categories: one token type that matches each of several, so that the grammar says `andOperator` where it
 * would otherwise need an alternation (cheaper to parse, and the grammar reads the same).
 */
export const AndOperator: TokenType = createToken({ name: "AndOperator", pattern: Lexer.NA, label: '"and" or "&&"' });
export const OrOperator: TokenType = createToken({ name: "OrOperator", pattern: Lexer.NA, label: '"or" or "||"' });
export const NotOperator: TokenType = createToken({ name: "NotOperator", pattern: Lexer.NA, label: '"not" or "!"' });
/** A path segment: a name or a backtick-quoted name. */
export const Segment: TokenType = createToken({ name: "Segment", pattern: Lexer.NA, label: "a field name" });
/** A value: a quoted string, a number, true, false, or a bare name (a string). */
export const Value: TokenType = createToken({ name: "Value", pattern: Lexer.NA, label: "a value" });

/** A bare word: a path segment (`region`), or as a value, a string (`active`, `eu-west`). */
export const Identifier: TokenType = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_-]*/,
  label: "a name",
  categories: [Segment, Value],
});

function keyword(name: string, word: string, categories: TokenType[] = []): TokenType {
  return createToken({
    name,
    pattern: new RegExp(word, "i"),
    longer_alt: Identifier,
    label: `"${word}"`,
    categories,
  });
}



export const AndSymbol: TokenType = createToken({ name: "AndSymbol", pattern: /&&/, label: '"&&"', categories: [AndOperator] });
export const OrSymbol: TokenType = createToken({ name: "OrSymbol", pattern: /\|\|/, label: '"||"', categories: [OrOperator] });
/** `!`, a spelling of `not`. After `!=` so that `!=` wins. */
export const Bang: TokenType = createToken({ name: "Bang", pattern: /!/, label: '"!"', categories: [NotOperator] });

export const And: TokenType = keyword("And", "and", [AndOperator]);
export const Or: TokenType = keyword("Or", "or", [OrOperator]);
export const Not: TokenType = keyword("Not", "not", [NotOperator]);
export const In: TokenType = keyword("In", "in");
export const True: TokenType = keyword("True", "true", [Value]);
export const False: TokenType = keyword("False", "false", [Value]);

/** Category of every comparison operator, so the grammar needs one alternative for all of them. */
export const CompareOperator: TokenType = createToken({
  name: "CompareOperator",
  pattern: Lexer.NA,
  label: "a comparison operator",
});

function operator(name: string, pattern: RegExp, text: string): TokenType {
  return createToken({ name, pattern, label: `"${text}"`, categories: [CompareOperator] });
}

// Longer spellings first: the lexer takes the first pattern that matches.
export const EqualsEquals: TokenType = operator("EqualsEquals", /==/, "==");
export const NotEquals: TokenType = operator("NotEquals", /!=/, "!=");
export const LessEquals: TokenType = operator("LessEquals", /<=/, "<=");
export const GreaterEquals: TokenType = operator("GreaterEquals", />=/, ">=");
export const Equals: TokenType = operator("Equals", /=/, "=");
export const Colon: TokenType = operator("Colon", /:/, ":");
export const Less: TokenType = operator("Less", /</, "<");
export const Greater: TokenType = operator("Greater", />/, ">");

export const LParen: TokenType = createToken({ name: "LParen", pattern: /\(/, label: '"("' });
export const RParen: TokenType = createToken({ name: "RParen", pattern: /\)/, label: '")"' });
export const Comma: TokenType = createToken({ name: "Comma", pattern: /,/, label: '","' });
export const Dot: TokenType = createToken({ name: "Dot", pattern: /\./, label: '"."' });

/**
 * A quoted string. Any escape is accepted here; the value converter checks it and reports a precise
 * `invalid-escape` issue, which is kinder than a lexer error. The body is a linear pattern (no nested
 * quantifiers), so no input makes it backtrack.
 */
export const StringLiteral: TokenType = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\]|\\[^])*"|'(?:[^'\\]|\\[^])*'/,
  label: "a quoted string",
  line_breaks: true,
  categories: [Value],
});

/** A string whose closing quote never comes: reported as `unterminated-string`. */
export const UnterminatedString: TokenType = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\]|\\[^])*\\?|'(?:[^'\\]|\\[^])*\\?/,
  label: "an unterminated string",
  line_breaks: true,
});

/** A backtick-quoted path segment for names that are not identifiers: `` `my key` ``. */
export const QuotedName: TokenType = createToken({
  name: "QuotedName",
  pattern: /`(?:[^`\\]|\\[^])*`/,
  label: "a quoted name",
  line_breaks: true,
  categories: [Segment],
});

/** A backtick name whose closing backtick never comes: reported as `unterminated-name`. */
export const UnterminatedName: TokenType = createToken({
  name: "UnterminatedName",
  pattern: /`(?:[^`\\]|\\[^])*\\?/,
  label: "an unterminated name",
  line_breaks: true,
});

/** A number in JSON syntax, with an optional leading minus. */
export const NumberLiteral: TokenType = createToken({
  name: "NumberLiteral",
  pattern: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/,
  label: "a number",
  categories: [Value],
});

/** Every token type, in the order the lexer tries them. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  StringLiteral,
  UnterminatedString,
  QuotedName,
  UnterminatedName,
  NumberLiteral,
  AndSymbol,
  OrSymbol,
  EqualsEquals,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Equals,
  Colon,
  Less,
  Greater,
  Bang,
  LParen,
  RParen,
  Comma,
  Dot,
  // Keywords before the identifier they would otherwise be read as (`longer_alt` handles `andrew`).
  And,
  Or,
  Not,
  In,
  True,
  False,
  Identifier,
  CompareOperator,
  AndOperator,
  OrOperator,
  NotOperator,
  Segment,
  Value,
];

/** The keyword token types. */
export const KEYWORD_TOKENS: readonly TokenType[] = [And, Or, Not, In, True, False];

/**
 * The keywords, as they are written (lower case), in the order of `KEYWORD_TOKENS` (the lexer pairs
 * them): each keyword token's pattern is its word. A path segment spelled like one needs backticks.
 */
export const KEYWORDS: readonly string[] = KEYWORD_TOKENS.map((type) => (type.PATTERN as RegExp).source);
