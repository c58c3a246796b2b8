/**
 * The fuzz campaign: properties over hostile input, shared by the suite (`test/fuzz.test.ts`, a size that
 * runs in seconds) and by long runs (`npm run fuzz -- --runs N [--seed S]`).
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import type { FilterNode } from "../../src/syntax/ast.js";
import { toSql } from "../../src/sql.js";
import {
  check,
  FilterError,
  format,
  fromSearchParams,
  normalize,
  parse,
  plan,
  suggest,
  tokenize,
  toPredicate,
  toQueryString,
  toSearchParams,
  validate,
  type ImageRecord,
} from "../../src/index.js";
import { toBindingFilter, toListParams } from "../../src/integrations.js";
import { filterArb, imageArb } from "../support/arbitraries.js";
import { stripSpans } from "../support/spans.js";

/** Characters that break naive text handling. */
const HOSTILE = ["\ud800", "\udfff", "\u200f", "\u202e", "\u200b", "\u200d", "\ufeff", "😀", "👩‍👩‍👧", "\u0000", "\n", "\r", "\t", "\\", '"', "'", "`", "|", "%", "&", "=", "#", "+", " "];

const texts: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60, unit: "binary" }),
  fc.string({ maxLength: 30, unit: "grapheme" }),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => new TextDecoder("utf-8").decode(bytes)),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => String.fromCharCode(...bytes)),
);

/** A valid filter's text with hostile characters dropped in anywhere. */
const sprinkled: fc.Arbitrary<string> = fc
  .tuple(filterArb.map(format), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE)), { maxLength: 4 }))
  .map(([text, inserts]) => inserts.reduce((acc, [at, char]) => { const i = at % (acc.length + 1); return acc.slice(0, i) + char + acc.slice(i); }, text));

const VOCABULARY = ["(", ")", ",", ".", "and", "or", "not", "in", "=", "!=", "<", ">=", ":", "&&", "||", "!", '"x"', "'y'", "`k`", "5", "-1e3", "true", "status", "meta", "creator", '"', "`"];

/** Grammar-aware mutations: tokens deleted, duplicated, swapped or inserted. */
const mutated: fc.Arbitrary<string> = fc
  .tuple(filterArb.map(format), fc.array(fc.tuple(fc.constantFrom("delete", "duplicate", "swap", "insert"), fc.nat(), fc.nat(), fc.constantFrom(...VOCABULARY)), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    const words = tokenize(text).filter((token) => token.type !== "whitespace").map((token) => text.slice(token.start, token.end));
    for (const [kind, a, b, word] of edits) {
      const i = a % (words.length + 1);
      const j = b % (words.length + 1);
      if (kind === "delete") words.splice(i, 1);
      else if (kind === "duplicate" && words[i] !== undefined) words.splice(i, 0, words[i]!);
      else if (kind === "swap" && words[i] !== undefined && words[j] !== undefined) [words[i], words[j]] = [words[j]!, words[i]!];
      else words.splice(i, 0, word);
    }
    return words.join(" ");
  });

/** Any text the campaign throws at the language. */
export const filterTexts: fc.Arbitrary<string> = fc.oneof(texts, sprinkled, mutated);

const queryKeys = fc.oneof(
  fc.constantFrom("meta.a[eq]", "meta.a.b[in:number]", "meta.x[eq:boolean]", "meta.n[gte]", "meta.x[foo]", "meta..[eq", "meta.a[eq:string]", "meta[a][eq]", "meta.a[in]", "creator", "per_page", "sort_order", "continuation_token", "meta", "meta.", "meta.a[]"),
  fc.string({ maxLength: 12 }).map((key) => `meta.${key}`),
  fc.string({ maxLength: 8, unit: "binary" }),
);
const queryValues = fc.oneof(fc.constantFrom("active", "1|2", "a||b", "true", "1e999", "-0", "%zz", "%", "+", "a&b", "a=b", "#x", "", "\ud800"), fc.string({ maxLength: 10, unit: "binary" }));

/** Random query strings, some percent-encoded, some not. */
export const queryStrings: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(queryKeys, queryValues, fc.boolean()), { maxLength: 8 }), fc.boolean())
  .map(([pairs, question]) =>
    (question ? "?" : "") +
    pairs.map(([key, value, encode]) => (encode ? `${encodeURIComponentSafe(key)}=${encodeURIComponentSafe(value)}` : `${key}=${value}`)).join("&"),
  );

function encodeURIComponentSafe(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"));
}

/** Throws unless `run` returns or throws a FilterError. */
export function onlyFilterErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
  }
}

/** Every limit that could stop a deep filter before the nesting ceiling does, raised. */
const RAISED = { limits: { maxNestingDepth: Infinity, maxInputLength: Infinity } } as const;

const OPENERS = ["not ", "!", "(", "not (", "!(", "a = 1 and (", "b in (1) or not "];
const MIDDLES = ["a = 1", " and ", " or ", "b in (1, 2)", "c != 2", ")", "not"];

/** Texts nested around and past the nesting ceiling: runs of openers, a few conditions, closers (too few, or too many). */
const deepTexts: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...OPENERS), fc.integer({ min: 1, max: 160 })), { minLength: 1, maxLength: 3 }),
    fc.array(fc.constantFrom(...MIDDLES), { maxLength: 4 }),
    fc.integer({ min: 0, max: 200 }),
  )
  .map(([runs, middle, closers]) => runs.map(([piece, count]) => piece.repeat(count)).join("") + middle.join("") + ")".repeat(closers));

/** Filters built by hand around and past the ceiling: a random filter wrapped in `not`s, `and`s and `or`s. */
const deepFilters: fc.Arbitrary<FilterNode> = fc
  .tuple(filterArb, fc.array(fc.constantFrom("not", "and", "or"), { maxLength: 300 }), filterArb)
  .map(([inner, wrappers, side]) =>
    wrappers.reduce<FilterNode>((node, kind) => (kind === "not" ? { type: "not", operand: node } : { type: kind, operands: [node, side] }), inner),
  );

/** Every function that takes a filter (text or built), with every limit raised: FilterError or an answer. */
function readsCleanly(filter: FilterNode | string): void {
  const parsed = () => (typeof filter === "string" ? parse(filter, RAISED) : filter);
  onlyFilterErrors(() => validate(parsed(), RAISED));
  onlyFilterErrors(() => normalize(parsed()));
  onlyFilterErrors(() => format(parsed()));
  onlyFilterErrors(() => toPredicate(filter, RAISED)({ meta: { a: 1, b: 2 } }));
  onlyFilterErrors(() => toSearchParams(filter, RAISED));
  onlyFilterErrors(() => toQueryString(filter, RAISED));
  onlyFilterErrors(() => plan(filter, RAISED));
  onlyFilterErrors(() => toListParams(filter, RAISED));
  onlyFilterErrors(() => toBindingFilter(filter, RAISED));
  onlyFilterErrors(() => toSql(filter, { ...RAISED, dialect: "sqlite" }));
  onlyFilterErrors(() => toSql(filter, { ...RAISED, dialect: "postgres" }));
}

/** Records built to trip a predicate: throwing getters, proxies, cycles, odd prototypes. */
export const hostileImages: fc.Arbitrary<ImageRecord> = fc.oneof(
  imageArb,
  fc.constantFrom<ImageRecord>(
    { meta: new Proxy({}, { get: () => { throw new Error("trap"); }, has: () => { throw new Error("trap"); } }) },
    { meta: Object.defineProperty({}, "status", { get: () => { throw new Error("getter"); }, enumerable: true }) },
    { meta: Object.create({ status: "active", priority: 5 }) as object },
    { meta: Object.freeze({ status: "active", region: Object.freeze({ name: "eu-west" }) }) },
    { meta: [{ status: "active" }] },
    { meta: new Map([["status", "active"]]) },
    { meta: { status: new String("active") } },
    { meta: { priority: -0, ratings: NaN, big: 1e308 * 10 } },
    { creator: new String("u") as unknown as string },
  ),
);

/** The campaign: name → property. */
export const campaign = {
  "parse throws only FilterError, and what it returns formats to text that reparses to it": fc.property(filterTexts, (text) => {
    let filter;
    try {
      filter = parse(text);
    } catch (error) {
      if (error instanceof FilterError) return;
      throw error;
    }
    const again = parse(format(filter), { limits: { maxInputLength: 1e6 } });
    if (!isDeepStrictEqual(stripSpans(again), stripSpans(filter))) throw new Error(`format does not reparse to the same filter: ${JSON.stringify(text)}`);
  }),
  "check never throws and every issue lies inside the text": fc.property(filterTexts, (text) => {
    for (const issue of check(text).issues) {
      if (!(issue.start >= 0 && issue.start <= issue.end && issue.end <= text.length)) {
        throw new Error(`issue ${issue.code} at ${issue.start}-${issue.end} outside ${text.length} characters`);
      }
    }
  }),
  "toSearchParams and toQueryString throw only FilterError": fc.property(filterTexts, (text) => {
    onlyFilterErrors(() => toSearchParams(text));
    onlyFilterErrors(() => toQueryString(text));
  }),
  "suggest and tokenize never throw, and tokenize covers every character": fc.property(filterTexts, fc.nat(), (text, cursor) => {
    suggest(text, cursor % (text.length + 1));
    const tokens = tokenize(text);
    let at = 0;
    for (const token of tokens) {
      if (token.start !== at || token.end <= token.start) throw new Error(`gap or overlap at ${at}`);
      at = token.end;
    }
    if (at !== text.length) throw new Error("tokens do not reach the end");
  }),
  "fromSearchParams throws only FilterError, and what it reads compiles back": fc.property(queryStrings, (query) => {
    let filter;
    try {
      filter = fromSearchParams(query);
    } catch (error) {
      if (error instanceof FilterError) return;
      throw error;
    }
    toQueryString(filter); // anything read from a query string can be written back
  }),
  "with every limit raised, deep text gets only FilterError, and check, suggest and tokenize never throw": fc.property(deepTexts, (text) => {
    check(text, RAISED);
    suggest(text, text.length, RAISED);
    tokenize(text, RAISED);
    readsCleanly(text);
  }),
  "deep filters built by hand get only FilterError from every function": fc.property(deepFilters, (filter) => readsCleanly(filter)),
  "predicates never throw on hostile records": fc.property(filterArb, hostileImages, (filter, image) => {
    const result = toPredicate(filter)(image);
    if (typeof result !== "boolean") throw new Error("not a boolean");
  }),
  "inherited properties never match": fc.property(filterArb, imageArb, (filter, image) => {
    // The same metadata as own properties, and as the prototype of an empty object: only the first may match.
    const inherited = { ...image, meta: Object.create(image.meta !== null && typeof image.meta === "object" ? image.meta : null) as object };
    const predicate = toPredicate(filter);
    const emptyMeta = { ...image, meta: {} };
    if (predicate(inherited) !== predicate(emptyMeta)) throw new Error("an inherited property changed the result");
  }),
  "arrays are never walked into, even with properties of their own": fc.property(filterArb, imageArb, fc.nat(), (filter, image, pick) => {
    // An object of the record (its meta, or one of meta's objects) turned into an array with the same
    // properties must match as an empty object does: nothing under it can be reached.
    const meta = image.meta !== null && typeof image.meta === "object" && !Array.isArray(image.meta) ? (image.meta as Record<string, unknown>) : {};
    const objects = Object.keys(meta).filter((key) => meta[key] !== null && typeof meta[key] === "object" && !Array.isArray(meta[key]));
    const key = objects[pick % (objects.length + 1)]; // (undefined: meta itself)
    const replaced = (by: object) => (key === undefined ? { ...image, meta: by } : { ...image, meta: { ...meta, [key]: by } });
    const predicate = toPredicate(filter);
    // (Keys an array has of its own, `length` and indexes, cannot be given to it as they are.)
    const properties = Object.entries((key === undefined ? meta : meta[key]) as object).filter(([name]) => name !== "length" && !/^\d+$/.test(name));
    const asArray = Object.assign([], Object.fromEntries(properties));
    if (predicate(replaced(asArray)) !== predicate(replaced({}))) throw new Error("a property of an array changed the result");
  }),
} as const;

/**
 * Properties whose runs cost far more than the others' (deep text goes through Chevrotain's error
 * recovery at every level, ~30 ms a run): they get this fraction of the runs the others get.
 */
export const RUN_SHARE: Readonly<Partial<Record<keyof typeof campaign, number>>> = {
  "with every limit raised, deep text gets only FilterError, and check, suggest and tokenize never throw": 1 / 15,
  "deep filters built by hand get only FilterError from every function": 1 / 5,
};

/** The runs a property of the campaign gets when the others get `runs`. */
export function runsFor(name: string, runs: number): number {
  return Math.max(1, Math.round(runs * (RUN_SHARE[name as keyof typeof campaign] ?? 1)));
}
