/**
 * Syntax problems in plain words: what the reader (`read.ts`) found, turned into issues with a stable
 * code, a message that says what to write instead, and the exact span. Parser errors are told apart by
 * their facts (see `parser.ts`'s `ErrorFacts`): token types and rule names, never message strings.
 */
import { EOF, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { Span } from "./ast.js";
import { didYouMean } from "./did-you-mean.js";
import { NESTING_CEILING, type ParserGuards } from "./guards.js";
import { issueAt, lineColumn, withReplacement, type Issue } from "./issues.js";
import { firstTokenAtOrAfter } from "./lexer.js";
import type { ErrorFacts, ValueProblem } from "./parser.js";
import * as t from "./tokens.js";

/** Text longer than the guard allows: refused before it is read. */
export function inputTooLong(text: string, guards: ParserGuards): Issue {
  return issueAt("input-too-long", `the filter is ${text.length} characters long; at most ${guards.maxInputLength} are accepted`, {
    start: guards.maxInputLength,
    end: text.length,
  });
}

/** Parentheses and `not`s nested deeper than the guard allows, at the first token too deep. */
export function nestingTooDeep(token: IToken, text: string, guards: ParserGuards): Issue {
  return issueAt(
    "nesting-too-deep",
    `parentheses and "not"s are nested more than ${guards.maxNestingDepth} deep here` +
      (guards.maxNestingDepth === NESTING_CEILING ? " (the most any limit allows: deeper filters would overflow the stack)" : ""),
    tokenSpan(token, text),
  );
}

/** The parser itself ran out of stack (only on a stack too small for `NESTING_CEILING` parentheses). */
export function stackExhausted(text: string): Issue {
  return issueAt("nesting-too-deep", "the filter is nested too deeply to be read", { start: 0, end: text.length });
}

/** A backslash in a string or name that is not an escape. */
export function invalidEscape(problem: ValueProblem): Issue {
  return issueAt("invalid-escape", `"${problem.escape}" is not an escape; use \\", \\', \\\\, \\n, \\t or \\uXXXX`, problem.span);
}

/** The span of a token (a point at the end of the text for one inserted by recovery). */
export function tokenSpan(token: IToken, text: string): Span {
  const start = Number.isNaN(token.startOffset) ? text.length : token.startOffset;
  return { start, end: start + (token.isInsertedInRecovery ? 0 : token.image.length) };
}

/** Characters people try that the language does not have, with what to write instead. */
const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  "&": 'write "and" or "&&"',
  "|": 'write "or" or "||"',
  "~": "there is no pattern match; use = or in",
  "*": "there are no wildcards; use = or in",
  "-": "a minus sign must be followed by digits",
  "[": 'lists are written in parentheses: in ("a", "b")',
  "]": 'lists are written in parentheses: in ("a", "b")',
  "{": "braces are not part of the language",
  "}": "braces are not part of the language",
};

export function unexpectedCharacter(text: string, span: Span): Issue {
  const chars = text.slice(span.start, span.end);
  if (/^\p{L}/u.test(chars)) return nonAsciiWord(text, span);
  const first = chars[0] ?? "";
  const hint = CHARACTER_HINTS[first];
  const shown = chars.length > 12 ? `${chars.slice(0, 12)}…` : chars;
  const what = chars.length === 1 ? `the character "${shown}"` : `the characters "${shown}"`;
  return issueAt("unexpected-character", `${what} cannot be used here${hint ? `: ${hint}` : ""}`, span);
}

/** A word with letters beyond ASCII (`café`): bare names and values are ASCII, so it needs quoting. */
function nonAsciiWord(text: string, span: Span): Issue {
  let start = span.start;
  let end = span.end;
  while (start > 0 && /[\p{L}\p{N}_-]/u.test(text[start - 1]!)) start--;
  while (end < text.length && /[\p{L}\p{N}_-]/u.test(text[end]!)) end++;
  const word = text.slice(start, end);
  return issueAt(
    "unexpected-character",
    `bare names and values are ASCII: write ${JSON.stringify(word)} in quotes for a value, or \`${word}\` in backticks for a name`,
    { start, end },
  );
}

export function unterminatedIssue(token: IToken): Issue {
  const span = { start: token.startOffset, end: token.startOffset + token.image.length };
  return token.tokenType === t.UnterminatedString
    ? issueAt("unterminated-string", `unterminated string starting here: close it with ${token.image[0]}`, span)
    : issueAt("unterminated-name", "unterminated name starting here: close it with `", span);
}

const VALUE_HINT = "(a quoted string, a number, true or false)";
const OPERATOR_HINT = "(=, !=, <, <=, >, >=, in or not in)";

/**
 * A parser error in plain words, or undefined when another issue already says it. Chosen by the facts of
 * the error (its kind, its rule and the token types that would have fitted), never by names in strings.
 */
export function parserIssue(error: IRecognitionException, facts: ErrorFacts, tokens: readonly IToken[], text: string): Issue | undefined {
  const token = error.token;
  const atEnd = isEnd(token);
  const previous = previousToken(tokens, token, text);
  const span = atEnd ? endSpan(previous, text) : tokenSpan(token, text);
  const after = previous ? ` after ${quote(previous.image)}` : "";
  const found = atEnd ? "" : `, not ${quote(token.image)}`;
  const expects = (type: TokenType) => facts.expected.includes(type);

  if (facts.kind === "not-all-input") {
    if (!previous) return keywordAsName(token, span) ?? issueAt("expected-field", `expected a condition (a field name, "(" or "not")${found}`, span);
    const keyword = token.tokenType === t.Identifier ? didYouMean(token.image, ["and", "or"]) : undefined;
    if (keyword) {
      return withReplacement(
        issueAt("unexpected-token", `${quote(token.image)} is not a keyword; did you mean "${keyword}"?`, span),
        keyword,
      );
    }
    return token.tokenType === t.RParen
      ? issueAt("unexpected-token", 'this ")" has no "(" to close', span)
      : issueAt(
          "unexpected-token",
          `unexpected ${quote(token.image)}: the condition before it is complete; join conditions with "and" or "or"`,
          span,
        );
  }
  if (expects(t.Value)) {
    if (isWord(token)) {
      const quoted = JSON.stringify(token.image);
      return withReplacement(
        issueAt("expected-value", `${quote(token.image)} is a keyword; to use it as a value, quote it: ${quoted}`, span),
        quoted,
      );
    }
    return issueAt("expected-value", `expected a value${after} ${VALUE_HINT}${found}`, span);
  }
  if (facts.rule === "condition" && facts.kind === "no-viable") {
    const operator = token.tokenType === t.Identifier ? operatorFor(token.image) : undefined;
    if (operator) {
      return withReplacement(
        issueAt("expected-operator", `${quote(token.image)} is not an operator; did you mean "${operator}"?`, span),
        operator,
      );
    }
    return issueAt("expected-operator", `expected an operator${after} ${OPERATOR_HINT}${found}`, span);
  }
  if (expects(t.In)) {
    return issueAt("expected-operator", `expected "in"${after}${found}`, span);
  }
  if (expects(t.LParen) && facts.rule === "condition") {
    return issueAt("expected-list", `expected "(" to start the list of values${after}${found}`, span);
  }
  if (expects(t.RParen)) {
    const open = unclosedParen(tokens, token, text);
    const where = open ? ` at ${position(text, open.startOffset)}` : "";
    if (facts.rule === "condition") {
      // Without an open "(", the list's "(" was itself missing and is reported already.
      if (!open) return undefined;
      return atEnd
        ? issueAt("unclosed-paren", `missing ")" to close the list opened${where}`, span)
        : issueAt("unexpected-token", `expected "," or ")" in the list${found}`, span);
    }
    return atEnd
      ? issueAt("unclosed-paren", `missing ")" to close the "("${where}`, span)
      : issueAt("unclosed-paren", `expected ")" to close the "("${where}${found}`, span);
  }
  if (expects(t.Segment) || expects(t.LParen)) {
    const asName = keywordAsName(token, span);
    if (asName) return asName;
    if (previous?.tokenType === t.Dot) {
      return issueAt("expected-field", `expected a name after "."${found}`, span);
    }
    const what = previous ? `a condition${after}` : "a condition";
    return issueAt("expected-field", `expected ${what} (a field name, "(" or "not")${found}`, span);
  }
  return issueAt("unexpected-token", `unexpected ${atEnd ? "end of the filter" : quote(token.image)}`, span);
}

/** Words people write for operators (other query languages' spellings), and typos of `in`. */
const OPERATOR_WORDS: Readonly<Record<string, string>> = {
  eq: "=",
  is: "=",
  equals: "=",
  ne: "!=",
  neq: "!=",
  gt: ">",
  gte: ">=",
  ge: ">=",
  lt: "<",
  lte: "<=",
  le: "<=",
};

function operatorFor(word: string): string | undefined {
  return OPERATOR_WORDS[word.toLowerCase()] ?? didYouMean(word, ["in", "not"]);
}

/** A keyword (`in`, `true`...) or a number where a name was expected: it needs backticks. */
function keywordAsName(token: IToken, span: Span): Issue | undefined {
  if (!isWord(token) && token.tokenType !== t.NumberLiteral) return undefined;
  const quoted = `\`${token.image}\``;
  const why = token.tokenType === t.NumberLiteral ? "a bare name cannot start with a digit" : `${quote(token.image)} is a keyword`;
  return withReplacement(issueAt("expected-field", `${why}; to use it as a name, write it in backticks: ${quoted}`, span), quoted);
}

/** A keyword spelled as a word (`in`, `and`, `true`...), where a name or a value was expected. */
function isWord(token: IToken): boolean {
  return t.KEYWORD_TOKENS.includes(token.tokenType);
}

function isEnd(token: IToken): boolean {
  return token.tokenType === EOF || Number.isNaN(token.startOffset);
}

/** The last real token before `token` (or before the end), by binary search. */
function previousToken(tokens: readonly IToken[], token: IToken, text: string): IToken | undefined {
  const index = firstTokenAtOrAfter(tokens, isEnd(token) ? text.length : token.startOffset);
  return index > 0 ? tokens[index - 1] : undefined;
}


/** A point just after the last token (where the missing thing should go). */
function endSpan(previous: IToken | undefined, text: string): Span {
  const at = previous ? previous.startOffset + previous.image.length : text.length;
  return { start: at, end: at };
}

/** For each token index, the `(` still open just before it: computed once per parse, on first need. */
const openParens = new WeakMap<readonly IToken[], (IToken | undefined)[]>();

/** The `(` still open at `token`. */
function unclosedParen(tokens: readonly IToken[], token: IToken, text: string): IToken | undefined {
  let open = openParens.get(tokens);
  if (!open) {
    open = [];
    const stack: IToken[] = [];
    for (const candidate of tokens) {
      open.push(stack.at(-1));
      if (candidate.tokenType === t.LParen) stack.push(candidate);
      else if (candidate.tokenType === t.RParen) stack.pop();
    }
    open.push(stack.at(-1));
    openParens.set(tokens, open);
  }
  return open[firstTokenAtOrAfter(tokens, isEnd(token) ? text.length : token.startOffset)];
}

function position(text: string, offset: number): string {
  const { line, column } = lineColumn(text, offset);
  return `${line}:${column}`;
}

function quote(image: string): string {
  const shown = image.length > 24 ? `${image.slice(0, 24)}…` : image;
  return /^["']/.test(shown) ? shown : `"${shown}"`;
}
