/**
 * The library's readers of untrusted text: filter text (`check` + `tokenize` + `suggest`, what an editor
 * runs on every keystroke) and query strings (`fromSearchParams`, what the emulator runs on every list
 * request), each on well-formed shapes and on the malformed shapes of issue 14.
 */
import type { IssueCode } from "../../src/index.js";
import { lib } from "../lib.js";
import { count, repeat, type Shape } from "./measure.js";

const { check, DEFAULT_LIMITS, fromSearchParams, FilterError, suggest, tokenize } = lib;

/**
 * The longest filter text read: the default input limit (10,000 characters), the longest text the
 * library reads unless the limit is raised, and so the range the README promises linear time for. Each
 * filter-text shape is measured at the largest n whose 10·n text fits in it, with the default limits.
 * Beyond it, the garbage of one call outgrows V8's young generation, and the ratio measures the garbage
 * collector as much as the code: at 40,000 characters, "unknown characters" read 22× for 10× the input,
 * and 11× with a larger young generation (`node --max-semi-space-size=64`), for the same code; at
 * 15,000–22,000 characters, "long and chain", "an issue per condition", "groups in parentheses four deep"
 * and "a bad escape per string" read 16–28× on a busy machine, and 6–13× with a young generation large
 * enough that no collection ran during a call, while their time per condition, each call timed from a
 * collected heap, did not grow from 125 to 4,000 conditions.
 */
const MAX_TEXT = DEFAULT_LIMITS.maxInputLength;

/** The smaller size of the query-string shapes (their larger queries are then 15,000–23,000 characters). */
const SMALL = 125;

/** The largest n for which `make(10 · n)` fits in `max` characters (`make` grows with n). */
function largestFitting(make: (n: number) => string, max: number): number {
  let low = 1;
  let high = max;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (make(mid * 10).length <= max) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A filter-text shape: `make(n)` is the text, and `issue` the code `check` must report on it (none: accepted). */
interface TextShape {
  readonly make: (n: number) => string;
  readonly issue?: IssueCode;
}

const textShapes: Record<string, TextShape> = {
  "long and chain": { make: (n) => repeat(n, (i) => `k${i % 9} = ${i}`, " and "), issue: "too-many-filters" },
  "a syntax error per condition": { make: (n) => repeat(n, (i) => `k${i} = `, " and "), issue: "expected-value" },
  "unknown characters": { make: (n) => "~ ".repeat(n * 4), issue: "unexpected-character" },
  "an issue per condition": { make: (n) => repeat(n, (i) => `k${i} != ${i}`, " and "), issue: "negation-not-supported" },
  "unterminated string": { make: (n) => `a = "${"x".repeat(n * 8)}`, issue: "unterminated-string" },
  "one word, letters beyond ASCII throughout": { make: (n) => `a = ${"aé".repeat(n * 4)}`, issue: "unexpected-character" },
  "digits before the cursor": { make: (n) => `a = ${"1".repeat(n * 8)}x`, issue: "non-finite-number" },
  // Content assist's cost grows with the depth (its cube): a bounded depth keeps it linear in the groups.
  "groups in parentheses four deep": { make: (n) => "((((a = 1)))) and ".repeat(n), issue: "expected-field" },
  // Issue 14's malformed shapes. Chains of `not` and `!` as deep as the default nesting limit allows
  // (100), in groups; and one chain far past it, which is refused before it is parsed.
  "groups of 90 nested nots": { make: (n) => repeat(Math.ceil(n / 30), (i) => `(${"not ".repeat(90)}k${i} = 1)`, " and "), issue: "too-many-filters" },
  // One token per character, and content assist keeps a path per token alive until it returns: more
  // garbage, and more of it live, per character than the other shapes. At 17,000 characters the ratio
  // read 18–46×, while the time per group, each call timed from a collected heap, grew by a quarter at
  // most from 16 to 256 groups.
  "groups of 95 nested !s": { make: (n) => repeat(Math.ceil(n / 8), () => `(${"!".repeat(95)}a = 1)`, " and "), issue: "negation-not-supported" },
  "nots past the nesting limit (refused)": { make: (n) => `${"not ".repeat(n * 3)}a = 1`, issue: "nesting-too-deep" },
  "one long backtick name": { make: (n) => `\`${"x".repeat(n * 12)}\` = 1` },
  "a backtick name of escapes": { make: (n) => `\`${"\\`\\n\\u00e9".repeat(n)}\` = 1` },
  "unterminated backtick name": { make: (n) => `\`${"x".repeat(n * 12)}`, issue: "unterminated-name" },
  "a long string of escapes": { make: (n) => `a = "${'\\"\\\\\\n\\u00e9'.repeat(n)}"` },
  "a bad escape per string": { make: (n) => repeat(n, (i) => `k${i} = "\\q"`, " and "), issue: "invalid-escape" },
  "an in list far over its 10 values": { make: (n) => `a in (${repeat(n * 2, (i) => String(i), ", ")})`, issue: "too-many-values" },
};

/** The filter-text rows. */
export function filterTextShapes(): Shape[] {
  return Object.entries(textShapes).map(([name, { make, issue }]) => {
    const n = largestFitting(make, MAX_TEXT);
    const small = make(n);
    const large = make(n * 10);
    const result = check(large);
    const codes = new Set(result.issues.map((found) => found.code));
    if (issue === undefined ? !result.ok : !codes.has(issue)) {
      throw new Error(`filter text "${name}": expected ${issue ?? "no issue"}, got ${[...codes].join(", ") || "none"}`);
    }
    const run = (text: string) => () => [check(text), tokenize(text), suggest(text, text.length)];
    return { subject: `filter text: ${name}`, sizes: `${count(small.length)} → ${count(large.length)} characters`, small: run(small), large: run(large) };
  });
}

/** A query-string shape: `make(n)` is the query; `issue` the code `fromSearchParams` must refuse it with (none: read). */
interface QueryShape {
  readonly make: (n: number) => string;
  /** n, when not {@link SMALL}. */
  readonly n?: number;
  readonly issue?: IssueCode;
  /** The API's limit on filters (5) unless given. */
  readonly maxFilters?: number;
}

const queryShapes: Record<string, QueryShape> = {
  "a filter per parameter": { make: (n) => repeat(n, (i) => `meta.k${i}[eq]=${i}`, "&"), n: 50, maxFilters: Infinity },
  "the key meta.[[[…": { make: (n) => `meta.${"[".repeat(n * 12)}=1`, issue: "malformed-param" },
  "a key of many dots": { make: (n) => `meta.${"a.".repeat(n * 6)}a[eq]=1`, issue: "path-too-deep" },
  "an in list of many values": { make: (n) => `meta.a[in:number]=${repeat(n * 3, (i) => String(i), "|")}`, issue: "too-many-values" },
  "a percent-encoded key": { make: (n) => `meta.${"%61".repeat(n * 4)}%5Beq%5D=1` },
  "many &": { make: (n) => `${"&".repeat(n * 12)}meta.a[eq]=1` },
  "a malformed key per parameter": { make: (n) => repeat(n, (i) => `meta.k${i}[is]=${i}`, "&"), issue: "unknown-operator" },
};

/** What `fromSearchParams` made of a query: the filter, or the codes of the issues it was refused with. */
function read(query: string, maxFilters: number | undefined): { codes: IssueCode[] } {
  try {
    fromSearchParams(query, maxFilters === undefined ? undefined : { limits: { maxFilters } });
    return { codes: [] };
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    return { codes: error.issues.map((issue) => issue.code) };
  }
}

/** The query-string rows. */
export function queryStringShapes(): Shape[] {
  return Object.entries(queryShapes).map(([name, { make, n = SMALL, issue, maxFilters }]) => {
    const small = make(n);
    const large = make(n * 10);
    const { codes } = read(large, maxFilters);
    if (issue === undefined ? codes.length > 0 : !codes.includes(issue)) {
      throw new Error(`query string "${name}": expected ${issue ?? "no issue"}, got ${codes.join(", ") || "none"}`);
    }
    return {
      subject: `fromSearchParams: ${name}`,
      sizes: `${count(small.length)} → ${count(large.length)} characters`,
      small: () => read(small, maxFilters),
      large: () => read(large, maxFilters),
    };
  });
}
