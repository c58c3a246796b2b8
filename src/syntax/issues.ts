/**
 * Errors are data: every problem found in a filter is an {@link Issue} with a stable `code`, a message in
 * plain words and the exact span it concerns. {@link FilterError} carries them when an API has to throw.
 */
import type { Span } from "./ast.js";
import { displayWidth } from "./display-width.js";

/** Stable identifiers of every problem the library reports. */
export type IssueCode =
  // Reading the text.
  | "not-a-string"
  | "input-too-long"
  | "nesting-too-deep"
  | "invalid-filter"
  | "unexpected-character"
  | "unterminated-string"
  | "unterminated-name"
  | "invalid-escape"
  | "expected-field"
  | "expected-operator"
  | "expected-value"
  | "expected-list"
  | "unclosed-paren"
  | "unexpected-token"
  // What the Images API can express.
  | "or-not-supported"
  | "negation-not-supported"
  | "too-many-filters"
  | "path-too-deep"
  | "unaddressable-segment"
  | "too-many-values"
  | "boolean-list"
  | "mixed-types"
  | "pipe-in-value"
  | "empty-list-value"
  | "range-needs-number"
  | "non-finite-number"
  | "creator-operator"
  | "duplicate-creator"
  | "lone-surrogate"
  // Field schemas (`check(text, { fields })`).
  | "unknown-field"
  | "type-mismatch"
  | "unknown-value"
  // Query parameters (`fromSearchParams`, list options).
  | "malformed-param"
  | "unknown-operator"
  | "invalid-number"
  | "invalid-boolean"
  | "invalid-per-page"
  | "invalid-sort-order"
  | "invalid-continuation-token"
  // Integrations (SDK params, the Workers binding's filter).
  | "duplicate-param"
  | "binding-unsupported"
  | "conflicting-conditions"
  // SQL (`toSql` options).
  | "invalid-sql-dialect"
  | "invalid-column-name";

/**
 * How serious an issue is: errors make a filter unusable for its target; warnings (a likely mistake, such
 * as an unknown field) and information (such as a part of the filter applied locally) do not.
 */
export type Severity = "error" | "warning" | "info";

/** One problem, pointing at its place in the text. */
export interface Issue {
  /** Stable identifier, safe to switch on. */
  readonly code: IssueCode;
  /** What is wrong, in plain words. */
  readonly message: string;
  readonly severity: Severity;
  /** Offset of the first character concerned (UTF-16 code units). */
  readonly start: number;
  /** Offset just past the last character concerned; equal to `start` for a point (e.g. end of input). */
  readonly end: number;
  /** 1-based line of `start`, when the text is known. */
  readonly line?: number;
  /** 1-based column of `start`, when the text is known. */
  readonly column?: number;
  /** A likely fix ("did you mean"): the text that would replace `[start, end)`. */
  readonly replacement?: string;
}

/** Builds an error issue over a span (a missing span points at offset 0). */
export function issueAt(code: IssueCode, message: string, span: Span | undefined): Issue {
  return { code, message, severity: "error", start: span?.start ?? 0, end: span?.end ?? 0 };
}

/** The same issue with a likely fix attached. */
export function withReplacement(issue: Issue, replacement: string | undefined): Issue {
  return replacement === undefined ? issue : { ...issue, replacement };
}

/** The 1-based line and column of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const limit = Math.min(offset, text.length);
  for (let i = 0; i < limit; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Adds `line`/`column` to issues, given the text they point into (one pass over the text for all). */
export function locateIssues(text: string, issues: readonly Issue[]): Issue[] {
  if (issues.length === 0) return [];
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  return issues.map((issue) => {
    // The last line start at or before the issue, by binary search.
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= issue.start) low = mid;
      else high = mid - 1;
    }
    return { ...issue, line: low + 1, column: issue.start - lineStarts[low]! + 1 };
  });
}

const FRAME_WIDTH = 72;

/**
 * A code frame for one issue: the line it is on, with a caret under its span.
 *
 * ```text
 * error[unterminated-string]: unterminated string starting here
 *   1 | status = "active
 *     |          ^~~~~~~
 * ```
 * Long lines are cut to a window around the span, so a 10,000-character input still gives a short frame.
 */
export function formatIssue(text: string, issue: Issue): string {
  const { line, column } = lineColumn(text, issue.start);
  const lineStart = issue.start - (column - 1);
  let lineEnd = text.indexOf("\n", lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const spanEnd = Math.max(issue.start, Math.min(issue.end, lineEnd));

  // A window of the line around the span, never cutting a character written as a surrogate pair.
  let from = lineStart;
  let to = lineEnd;
  if (to - from > FRAME_WIDTH) {
    from = Math.max(lineStart, Math.min(issue.start - 20, lineEnd - FRAME_WIDTH));
    to = Math.min(lineEnd, from + FRAME_WIDTH);
    if (from > lineStart && isLowSurrogate(text.charCodeAt(from))) from--;
    if (to < lineEnd && isLowSurrogate(text.charCodeAt(to))) to++;
  }
  const shown = printable(text.slice(from, to));
  const prefix = from > lineStart ? "…" : "";
  const suffix = to < lineEnd ? "…" : "";
  const gutter = String(line);
  const pad = " ".repeat(gutter.length);
  // The caret goes by columns, not UTF-16 units: CJK and emoji take two, combining marks none.
  const caretOffset = displayWidth(prefix) + displayWidth(printable(text.slice(from, issue.start)));
  const caretLength = Math.max(1, displayWidth(printable(text.slice(issue.start, Math.max(issue.start, Math.min(spanEnd, to))))));
  const marker = "^" + "~".repeat(caretLength - 1);
  return [
    `${issue.severity}[${issue.code}]: ${issue.message}`,
    ` ${gutter} | ${prefix}${shown}${suffix}`,
    ` ${pad} | ${" ".repeat(caretOffset)}${marker}`,
  ].join("\n");
}

/** Replaces control characters (C0, DEL, C1) with spaces, so that a frame stays one line and its caret stays aligned. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The error thrown by `parse`, `toSearchParams`, `fromSearchParams` and friends. */
export class FilterError extends Error {
  /** Every problem found, in text order. */
  readonly issues: readonly Issue[];
  /** The text the issues point into, when there was one. */
  readonly text: string | undefined;

  constructor(issues: readonly Issue[], text?: string) {
    super(describeIssues(issues, text));
    this.name = "FilterError";
    this.issues = issues;
    this.text = text;
  }
}

/** Issues shown in a FilterError's message; all of them stay in `issues`. */
const MESSAGE_FRAMES = 10;

function describeIssues(issues: readonly Issue[], text: string | undefined): string {
  const head =
    issues.length === 1 ? "Invalid filter" : `Invalid filter (${issues.length} problems)`;
  const body = issues
    .slice(0, MESSAGE_FRAMES)
    .map((issue) => (text === undefined ? `${issue.severity}[${issue.code}]: ${issue.message}` : formatIssue(text, issue)));
  const more = issues.length > MESSAGE_FRAMES ? [`… and ${issues.length - MESSAGE_FRAMES} more (see error.issues)`] : [];
  return [head, ...body, ...more].join("\n");
}

/**
 * Puts issues in text order, in place: by start, then end; issues at one span keep the order they were
 * found in (the sort is stable). Every list of issues the library returns is in this order.
 */
export function sortIssues<T extends Issue[]>(issues: T): T {
  issues.sort((a, b) => a.start - b.start || a.end - b.end);
  return issues;
}

/** True when any issue is an error (warnings and information are not). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === "error");
}
