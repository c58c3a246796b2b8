/**
 * Every target reads back: whatever `check` accepts, each target that accepts it produces output that its
 * reverse, `fromSearchParams`, reads back to the same filter (the same conditions of the normal form,
 * spans aside). The targets: `toQueryString`, `toSearchParams(...).toString()`, `toListParams` as the
 * official SDK puts it in its request URL, and `plan(...).params`.
 *
 * Path segments are drawn from all of Unicode: line terminators (`\n`, `\r`, U+2028, U+2029, which a
 * regular expression's `.` refuses), lone surrogates (which `check` must refuse: no URL can carry them),
 * characters that need backticks or percent-encoding, and names of the language's keywords.
 */
import Cloudflare from "cloudflare";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CompareOp, Field, FilterNode, Literal } from "../src/syntax/ast.js";
import { formatLiteral } from "../src/syntax/format.js";
import { check, FilterError, format, fromSearchParams, normalize, plan, toQueryString, toSearchParams } from "../src/index.js";
import { toListParams } from "../src/integrations.js";
import { hasLoneSurrogate } from "../src/syntax/unicode.js";
import { conjuncts } from "../src/semantics/validate.js";
import { filterArb, numberArb, SEED, stringArb } from "./support/arbitraries.js";
import { stripSpans } from "./support/spans.js";

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

const segmentArb: fc.Arbitrary<string> = fc.oneof(
  // Any code point, lone surrogates included.
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 4 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 2 }), fc.constantFrom("\n", "\r", "\u2028", "\u2029", "\r\n"), fc.string({ maxLength: 2 }))
      .map((parts) => parts.join("")),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "status", "a", "my key", "and", "IN", "true", "creator", "meta", "__proto__", "0", "-", "é", "😀",
      "`", "\\", "a`b", "\u200f", "\ufeff", "\u0000", "\u007f", "&", "=", "#", "%", "+", "%0A", "?", ":", "|",
      "\ud800", "\udfff",
    ),
  },
);

const pathArb = fc.array(segmentArb, { minLength: 1, maxLength: 5 }).map((path): Field => ({ type: "meta", path }));

/** Conditions of the shapes the API takes, on paths from all of Unicode. */
const conditionArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({
    type: fc.constant("compare" as const),
    op: fc.constant<CompareOp>("eq"),
    field: pathArb,
    value: fc.oneof(stringArb, numberArb, fc.boolean()).map((value): Literal => ({ value })),
  }),
  fc.record({
    type: fc.constant("compare" as const),
    op: fc.constantFrom<CompareOp>("lt", "lte", "gt", "gte"),
    field: pathArb,
    value: numberArb.map((value): Literal => ({ value })),
  }),
  fc.record({
    type: fc.constant("in" as const),
    field: pathArb,
    values: fc
      .oneof(fc.array(stringArb, { minLength: 1, maxLength: 4 }), fc.array(numberArb, { minLength: 1, maxLength: 4 }))
      .map((values) => values.map((value): Literal => ({ value }))),
    negated: fc.constant(false),
  }),
  stringArb.map((value): FilterNode => ({ type: "compare", op: "eq", field: { type: "creator" }, value: { value } })),
);

const andArb = fc
  .array(conditionArb, { minLength: 1, maxLength: 5 })
  .map((operands): FilterNode => (operands.length === 1 ? operands[0]! : { type: "and", operands }));

/** A backtick name with only `\` and the backtick escaped: line terminators stay as they are in the text. */
const rawName = (segment: string): string => "`" + segment.replace(/[\\`]/g, (c) => `\\${c}`) + "`";

/** Writes an `and` of conditions with every path segment in raw backticks (`format` escapes controls). */
function writeRaw(filter: FilterNode): string {
  if (filter.type === "and") return filter.operands.map(writeRaw).join(" and ");
  if (filter.type !== "compare" && filter.type !== "in") throw new Error(`not a condition: ${filter.type}`);
  const field = filter.field.type === "creator" ? "creator" : filter.field.path.map(rawName).join(".");
  if (filter.type === "in") return `${field} in (${filter.values.map(formatLiteral).join(", ")})`;
  const op = { eq: "=", ne: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=" }[filter.op];
  return `${field} ${op} ${formatLiteral(filter.value)}`;
}

/** Filter texts: API-shaped filters written by `format` or with raw backtick names, and any filter. */
const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: andArb.map(format) },
  { weight: 3, arbitrary: andArb.map(writeRaw) },
  { weight: 1, arbitrary: filterArb.map(format) },
);

/** The conditions of a filter's normal form, spans aside, in a canonical order (targets may reorder them). */
function meaning(filter: FilterNode): string[] {
  return conjuncts(normalize(filter))
    .map((node) => JSON.stringify(stripSpans(node)))
    .sort();
}

/** Every path segment of a filter, and every string it compares with. */
function strings(filter: FilterNode): { segments: string[]; values: string[] } {
  const segments: string[] = [];
  const values: string[] = [];
  const visit = (node: FilterNode): void => {
    if (node.type === "and" || node.type === "or") node.operands.forEach(visit);
    else if (node.type === "not") visit(node.operand);
    else if (node.type !== "all") {
      if (node.field.type === "meta") segments.push(...node.field.path);
      for (const literal of node.type === "in" ? node.values : [node.value]) if (typeof literal.value === "string") values.push(literal.value);
    }
  };
  visit(filter);
  return { segments, values };
}

/** The official SDK, only to build its request URLs (nothing is sent). */
const sdk = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", maxRetries: 0 });

/** Each target with its reverse: the filter read back, or `undefined` when the target refuses the filter. */
const ROUND_TRIPS: readonly (readonly [string, (text: string) => FilterNode | undefined])[] = [
  ["toQueryString → fromSearchParams", (text) => fromSearchParams(toQueryString(text))],
  ["toQueryString → URLSearchParams → fromSearchParams", (text) => fromSearchParams(new URLSearchParams(toQueryString(text)))],
  ["toSearchParams().toString() → fromSearchParams", (text) => fromSearchParams(toSearchParams(text).toString())],
  [
    "toListParams → the SDK's request URL → fromSearchParams",
    (text) => {
      let params;
      try {
        params = toListParams(text);
      } catch (error) {
        // The one refusal of its own: two conditions on one key, which the SDK's meta object cannot hold.
        if (error instanceof FilterError && error.issues.every((issue) => issue.code === "duplicate-param")) return undefined;
        throw error;
      }
      return fromSearchParams(sdk.buildURL("/accounts/acc/images/v2", { ...params }));
    },
  ],
  [
    "plan().params → fromSearchParams",
    (text) => {
      const { params, exact } = plan(text);
      expect(exact).toBe(true);
      return fromSearchParams(params);
    },
  ],
  ["plan().params.toString() → fromSearchParams", (text) => fromSearchParams(plan(text).params.toString())],
];

describe("whatever check accepts reads back through every target", () => {
  const runs = { seed: SEED, numRuns: 3000 };

  it.each(ROUND_TRIPS)("%s", (_name, roundTrip) => {
    let accepted = 0;
    let acceptedWithLineTerminator = 0;
    let readBack = 0;
    let loneSurrogates = 0;
    fc.assert(
      fc.property(textArb, (text) => {
        const result = check(text);
        const { segments, values } = result.filter ? strings(result.filter) : { segments: [], values: [] };
        if (hasLoneSurrogate(text) || [...segments, ...values].some(hasLoneSurrogate)) {
          loneSurrogates++;
          // No URL can carry half a surrogate pair: check must not accept it for any target.
          expect(result.ok).toBe(false);
        }
        if (!result.ok || result.issues.some((issue) => issue.severity === "error")) return;
        accepted++;
        if (segments.some((segment) => LINE_TERMINATOR.test(segment))) acceptedWithLineTerminator++;
        const back = roundTrip(text);
        if (back === undefined) return;
        readBack++;
        expect(meaning(back)).toEqual(meaning(result.filter!));
      }),
      runs,
    );
    // Not vacuous: many accepted filters, with line terminators in their paths, read back through this target.
    expect(accepted).toBeGreaterThan(1000);
    expect(acceptedWithLineTerminator).toBeGreaterThan(500);
    expect(readBack).toBeGreaterThan(1000);
    expect(loneSurrogates).toBeGreaterThan(100);
  });
});
