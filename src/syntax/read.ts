/**
 * Text → AST, collecting every syntax problem: the guards (length, nesting), the lexer's errors,
 * unterminated strings, bad escapes and the parser's errors, read on past each one (Chevrotain's
 * recovery) and kept to one issue per problem. What each problem is called and says is `messages.ts`.
 */
import type { IToken, TokenType } from "chevrotain";
import type { Filter, Span } from "./ast.js";
import type { ParserGuards } from "./guards.js";
import { sortIssues, type Issue } from "./issues.js";
import { lex } from "./lexer.js";
import { inputTooLong, invalidEscape, nestingTooDeep, parserIssue, stackExhausted, unexpectedCharacter, unterminatedIssue } from "./messages.js";
import { sharedParser, UNTERMINATED } from "./parser.js";
import * as t from "./tokens.js";

/** What reading a text gives: the filter when the syntax allowed one, and every problem found. */
export interface ReadResult {
  /** The filter; with syntax errors, the best partial filter recovery could build, if any. */
  readonly filter: Filter | undefined;
  readonly issues: readonly Issue[];
  /** The tokens read (whitespace dropped), for a caller that needs more of the text than the filter keeps; none when the text was refused for its length. */
  readonly tokens: readonly IToken[];
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
    return { filter: undefined, issues: [inputTooLong(text, limits)], tokens: [] };
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
    issues.push(nestingTooDeep(tooDeep, text, limits));
    return { filter: undefined, issues: sortIssues(issues), tokens };
  }

  if (tokens.length === 0) {
    return { filter: { type: "all", span: { start: 0, end: text.length } }, issues: sortIssues(issues), tokens };
  }

  const parser = sharedParser();
  parser.input = tokens;
  let root: Filter | undefined;
  try {
    root = parser.filter();
  } catch (error) {
    // Only reachable on a stack too small for NESTING_CEILING parentheses, or when called with most of it used.
    if (!(error instanceof RangeError)) throw error;
    issues.push(stackExhausted(text));
    return { filter: undefined, issues: sortIssues(issues), tokens };
  }
  if (parser.errors.length === 0 && parser.valueProblems.length === 0) {
    return { filter: root, issues: issues.length > 0 ? sortIssues(issues) : issues, tokens };
  }
  // An error right after another one is usually its echo (recovery resumes at the next token): one
  // problem, one issue. Where each reported issue ends, to find them in constant time.
  const ends = new Set(issues.map((issue) => issue.end));
  const lexical = sortIssues([...issues]);
  for (const error of parser.errors) {
    const issue = parserIssue(error, parser.factsOf(error), tokens, text);
    if (issue && !followsIssue(issue.start, ends, text) && !inside(issue.start, lexical)) {
      issues.push(issue);
      ends.add(issue.end);
    }
  }
  for (const problem of parser.valueProblems) issues.push(invalidEscape(problem));
  return { filter: root, issues: sortIssues(issues), tokens };
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

