/**
 * Text → AST, with every syntax problem as an {@link Issue}: the guards (length, nesting), the lexer's
 * errors, unterminated strings, bad escapes and the parser's errors, in plain words.
 */
import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import type { Filter, Span } from "./ast.js";
import { didYouMean } from "./did-you-mean.js";
import { issueAt, lineColumn, sortIssues, withReplacement, type Issue } from "./issues.js";
import { NESTING_CEILING, type ParserGuards } from "./guards.js";
import { lex } from "./lexer.js";
import { sharedParser, UNTERMINATED, type ErrorFacts } from "./parser.js";
import * as t from "./tokens.js";

/** What reading a text gives: the filter when the syntax allowed one, and every problem found. */
export interface ReadResult {
  /** The filter; with syntax errors, the best partial filter recovery could build, if any. */
  readonly filter: Filter | undefined;
  readonly issues: readonly Issue[];
}

/**
 * A filter with every token type and every path through the grammar. The first time a filter is read,
 * this one is read a few times first: V8 then optimises the lexer and the parser for all the shapes they
 * will meet. Without it, a process that reads only simple filters for a while and complex ones later
 * keeps reading the complex ones about twice as slowly (measured by the benchmark's parse figure).
 */
export const PRIMER = "not (a.b = \"x\" or c != 1) and d in (1, 2) && e not in (true, false) || !f <= -1.5e3 and `g h`.i >= 0 and j == 'y' and k : z and l < 2 and m > 3 and creator = \"u\" and meta.n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)";
let primed = false;

/** Parses `text` into a filter, collecting every syntax issue instead of throwing. */
export function readFilter(text: string, limits: ParserGuards): ReadResult {
  if (!primed) {
    primed = true;
    for (let i = 0; i < 5; i++) readFilter(PRIMER, limits);
  }
  if (text.length > limits.maxInputLength) {
    const issue = issueAt(
      "input-too-long",
      `the filter is ${text.length} characters long; at most ${limits.maxInputLength} are accepted`,
      { start: limits.maxInputLength, end: text.length },
    );
    return { filter: undefined, issues: [issue] };
  }

  const lexed = lex(text);
  const issues: Issue[] = [];
  // Characters the lexer could not read, one issue per run (a pasted line of junk is one problem).
  let run: Span | undefined;
  for (const error of lexed.errors) {
    const end = error.offset + error.length;
    if (run && text.slice(run.end, error.offset).trim() === "") {
      run = { start: run.start, end };
      continue;
    }
    if (run) reportRun(issues, text, run);
    run = { start: error.offset, end };
  }
  if (run) reportRun(issues, text, run);
  const tokens = lexed.tokens;
  for (const token of tokens) {
    if (token.tokenType === t.UnterminatedString || token.tokenType === t.UnterminatedName) {
      issues.push(unterminatedIssue(token));
      // Read on as if it were closed, so the rest of the filter is still checked.
      retype(token, token.tokenType === t.UnterminatedString ? t.StringLiteral : t.QuotedName);
      token.payload = UNTERMINATED;
    }
  }

  const tooDeep = findTooDeep(tokens, limits.maxNestingDepth);
  if (tooDeep) {
    issues.push(
      issueAt(
        "nesting-too-deep",
        `parentheses and "not"s are nested more than ${limits.maxNestingDepth} deep here` +
          (limits.maxNestingDepth === NESTING_CEILING ? " (the most any limit allows: deeper filters would overflow the stack)" : ""),
        tokenSpan(tooDeep, text),
      ),
    );
    return { filter: undefined, issues: sortIssues(issues) };
  }

  if (tokens.length === 0) {
    return { filter: { type: "all", span: { start: 0, end: text.length } }, issues: sortIssues(issues) };
  }

  const parser = sharedParser();
  parser.input = tokens;
  let root: Filter | undefined;
  try {
    root = parser.filter();
  } catch (error) {
    // Only reachable on a stack too small for NESTING_CEILING parentheses, or when called with most of it used.
    if (!(error instanceof RangeError)) throw error;
    issues.push(issueAt("nesting-too-deep", "the filter is nested too deeply to be read", { start: 0, end: text.length }));
    return { filter: undefined, issues: sortIssues(issues) };
  }
  if (parser.errors.length === 0 && parser.valueProblems.length === 0) {
    return { filter: root, issues: issues.length > 0 ? sortIssues(issues) : issues };
  }
  // An error right after another one is usually its echo (recovery resumes at the next token): one
  // problem, one issue. Where each reported issue ends, to find them in constant time.
  const ends = new Set(issues.map((issue) => issue.end));
  const lexical = sortIssues([...issues]);
  for (const error of parser.errors) {
    const issue = parserIssue(error, tokens, text);
    if (issue && !followsIssue(issue.start, ends, text) && !inside(issue.start, lexical)) {
      issues.push(issue);
      ends.add(issue.end);
    }
  }
  for (const problem of parser.valueProblems) {
    issues.push(
      issueAt(
        "invalid-escape",
        `"${problem.escape}" is not an escape; use \\", \\', \\\\, \\n, \\t or \\uXXXX`,
        problem.span,
      ),
    );
  }
  return { filter: root, issues: sortIssues(issues) };
}

/** Whether `offset` lies inside one of `issues` (sorted by start), e.g. a token cut out of a non-ASCII word. */
function inside(offset: number, issues: readonly Issue[]): boolean {
  let low = 0;
  let high = issues.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (issues[mid]!.start <= offset) low = mid + 1;
    else high = mid;
  }
  const candidate = issues[low - 1];
  return candidate !== undefined && offset < candidate.end;
}

/**
 * Adds the issue of a run of unreadable characters, unless the last issue already covers it: every odd
 * letter of a word such as `naïveté` is a run of its own, and the word is one issue. (Checked before the
 * issue is written, which looks at the whole word: once per word, not once per letter.)
 */
function reportRun(issues: Issue[], text: string, run: Span): void {
  const last = issues.at(-1);
  if (last && last.start <= run.start && run.end <= last.end) return;
  // The run's issue covers at least the run, so one equal to the last issue was refused just above.
  issues.push(unexpectedCharacter(text, run));
}

/** Whether an issue ends at `start`, or only spaces lie between its end and `start`. */
function followsIssue(start: number, ends: ReadonlySet<number>, text: string): boolean {
  for (let at = start; ; at--) {
    if (ends.has(at)) return true;
    if (at === 0 || !/\s/.test(text[at - 1]!)) return false;
  }
}

function retype(token: IToken, type: TokenType): void {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

function tokenSpan(token: IToken, text: string): Span {
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

function unexpectedCharacter(text: string, span: Span): Issue {
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

function unterminatedIssue(token: IToken): Issue {
  const span = { start: token.startOffset, end: token.startOffset + token.image.length };
  return token.tokenType === t.UnterminatedString
    ? issueAt("unterminated-string", `unterminated string starting here: close it with ${token.image[0]}`, span)
    : issueAt("unterminated-name", "unterminated name starting here: close it with `", span);
}

/**
 * The first token at which parentheses and `not`s nest deeper than `max`, found by one scan of the
 * tokens, so that the recursive parser never meets input that could exhaust the stack (nor content
 * assist input whose exploration grows with the cube of the depth).
 */
export function findTooDeep(tokens: readonly IToken[], max: number): IToken | undefined {
  // Per open parenthesis level: how many `not`s are pending on that level.
  const pendingNots: number[] = [0];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    if (type === t.LParen) {
      pendingNots.push(0);
      depth++;
    } else if (type === t.RParen) {
      if (pendingNots.length > 1) {
        depth -= pendingNots.pop()! + 1;
        depth -= pendingNots[pendingNots.length - 1]!;
        pendingNots[pendingNots.length - 1] = 0;
      }
    } else if ((type === t.Not && tokens[i + 1]?.tokenType !== t.In) || type === t.Bang) {
      pendingNots[pendingNots.length - 1]!++;
      depth++;
    } else if (type === t.And || type === t.AndSymbol || type === t.Or || type === t.OrSymbol) {
      depth -= pendingNots[pendingNots.length - 1]!;
      pendingNots[pendingNots.length - 1] = 0;
    }
    if (depth > max) return token;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Parser errors in plain words.

const VALUE_HINT = "(a quoted string, a number, true or false)";
const OPERATOR_HINT = "(=, !=, <, <=, >, >=, in or not in)";

function parserIssue(error: IRecognitionException, tokens: readonly IToken[], text: string): Issue | undefined {
  const facts = JSON.parse(error.message) as ErrorFacts;
  const token = error.token;
  const atEnd = isEnd(token);
  const previous = previousToken(tokens, token, text);
  const span = atEnd ? endSpan(previous, text) : tokenSpan(token, text);
  const after = previous ? ` after ${quote(previous.image)}` : "";
  const found = atEnd ? "" : `, not ${quote(token.image)}`;
  const expects = (name: string) => facts.expected.includes(name);

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
  if (expects("Value")) {
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
  if (expects("In")) {
    return issueAt("expected-operator", `expected "in"${after}${found}`, span);
  }
  if (expects("LParen") && facts.rule === "condition") {
    return issueAt("expected-list", `expected "(" to start the list of values${after}${found}`, span);
  }
  if (expects("RParen")) {
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
  if (expects("Segment") || expects("LParen")) {
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
  return token.tokenType.name === "EOF" || Number.isNaN(token.startOffset);
}

/** The last real token before `token` (or before the end), by binary search. */
function previousToken(tokens: readonly IToken[], token: IToken, text: string): IToken | undefined {
  const index = firstAtOrAfter(tokens, isEnd(token) ? text.length : token.startOffset);
  return index > 0 ? tokens[index - 1] : undefined;
}

/** The index of the first token starting at or after `offset`. */
function firstAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
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
  return open[firstAtOrAfter(tokens, isEnd(token) ? text.length : token.startOffset)];
}

function position(text: string, offset: number): string {
  const { line, column } = lineColumn(text, offset);
  return `${line}:${column}`;
}

function quote(image: string): string {
  const shown = image.length > 24 ? `${image.slice(0, 24)}…` : image;
  return /^["']/.test(shown) ? shown : `"${shown}"`;
}
