/**
 * fast-check generators for filters and image records. Both draw from small shared pools of keys and
 * values, so that random filters often match random images, plus hostile extras: prototype names,
 * quotes, `|`, unicode, lone surrogates, empty names, wrong types.
 */
import fc from "fast-check";
import type { CompareOp, Field, FilterNode, Literal, Scalar } from "../../src/syntax/ast.js";
import type { ImageRecord } from "../../src/index.js";

/** Seeds for every property in the suite: deterministic runs. */
export const SEED = 20261122;

const commonKeys = ["status", "priority", "region", "name", "enabled", "ratings", "meta", "creator", "a", "b"];
const oddKeys = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "length",
  "0",
  "my key",
  "and",
  "IN",
  "true",
  "x-y",
  "_",
  "é",
  "😀",
  "a\"b",
  "a`b",
  "a\\b",
  "a|b",
  "",
  "a.b",
  "a[0]",
];

export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...commonKeys) },
  { weight: 2, arbitrary: fc.constantFrom(...oddKeys) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: "binary" }) },
);

const commonStrings = ["active", "pending", "deleted", "eu-west", "5", "true", "", "user123", "a|b", "A", "null"];

export const stringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...commonStrings) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: "binary" }) },
  { weight: 1, arbitrary: fc.constantFrom("\"'\\`", "a&b=c#d%e+f g", "\ud83d", "\u200f\u200b", "\n\t") },
);

export const numberArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -2, max: 6 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 1e21, 1e-7, 0.1, Number.MAX_SAFE_INTEGER + 2) },
);

export const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 4, arbitrary: stringArb },
  { weight: 4, arbitrary: numberArb },
  { weight: 1, arbitrary: fc.boolean() },
);

const literalArb: fc.Arbitrary<Literal> = scalarArb.map((value) => ({ value }));

export const fieldArb: fc.Arbitrary<Field> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Field>({ type: "creator" }) },
  {
    weight: 8,
    arbitrary: fc
      .array(keyArb, { minLength: 1, maxLength: 7 })
      .map((path): Field => ({ type: "meta", path })),
  },
);

const compareOpArb = fc.constantFrom<CompareOp>("eq", "ne", "lt", "lte", "gt", "gte");

export const conditionArb: fc.Arbitrary<FilterNode> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("compare" as const),
      op: compareOpArb,
      field: fieldArb,
      value: literalArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("in" as const),
      field: fieldArb,
      values: fc.array(literalArb, { minLength: 1, maxLength: 12 }),
      negated: fc.boolean(),
    }),
  },
);

/** Any filter of the whole language (without spans), nested a few levels. */
export const filterArb: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: conditionArb },
    { weight: 1, arbitrary: tie("node").map((operand): FilterNode => ({ type: "not", operand })) },
    {
      weight: 2,
      arbitrary: fc
        .array(tie("node"), { minLength: 2, maxLength: 4 })
        .map((operands): FilterNode => ({ type: "and", operands })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(tie("node"), { minLength: 2, maxLength: 4 })
        .map((operands): FilterNode => ({ type: "or", operands })),
    },
  ),
})).node;

/** A filter or the empty filter. */
export const rootFilterArb: fc.Arbitrary<FilterNode> = fc.oneof(
  { weight: 12, arbitrary: filterArb },
  { weight: 1, arbitrary: fc.constant<FilterNode>({ type: "all" }) },
);

/** Conditions the API can usually express (plain keys, common values), to make expressible filters common. */
const apiConditionArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({
    type: fc.constant("compare" as const),
    op: fc.constantFrom<CompareOp>("eq", "lt", "lte", "gt", "gte"),
    field: fc.array(fc.constantFrom(...commonKeys, "my key", "é"), { minLength: 1, maxLength: 3 }).map((path): Field => ({ type: "meta", path })),
    value: fc.oneof(fc.constantFrom(...commonStrings), stringArb, numberArb, fc.boolean()).map((value) => ({ value })),
  }),
  fc.record({
    type: fc.constant("in" as const),
    field: fc.array(fc.constantFrom(...commonKeys), { minLength: 1, maxLength: 2 }).map((path): Field => ({ type: "meta", path })),
    values: fc.oneof(
      fc.array(stringArb, { minLength: 1, maxLength: 4 }),
      fc.array(numberArb, { minLength: 1, maxLength: 4 }),
    ).map((values) => values.map((value) => ({ value }))),
    negated: fc.constant(false),
  }),
  fc.constantFrom(...commonStrings).map((value): FilterNode => ({ type: "compare", op: "eq", field: { type: "creator" }, value: { value } })),
  // An `or` of equalities on one path, which normalisation turns into one `in`.
  fc
    .tuple(fc.constantFrom(...commonKeys), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }))
    .map(([key, values]): FilterNode => ({
      type: "or",
      operands: values.map((value) => ({ type: "compare", op: "eq", field: { type: "meta", path: [key] }, value: { value } })),
    })),
);

/** Mostly API-expressible filters: an `and` of zero to six conditions. */
export const apiFilterArb: fc.Arbitrary<FilterNode> = fc
  .array(apiConditionArb, { minLength: 0, maxLength: 6 })
  .map((operands): FilterNode =>
    operands.length === 0 ? { type: "all" } : operands.length === 1 ? operands[0]! : { type: "and", operands },
  );

/** A JSON-like value for metadata leaves: scalars, nulls, arrays, nested objects. */
const metaValueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    { weight: 8, arbitrary: scalarArb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.dictionary(keyArb, tie("value"), { maxKeys: 4 }) },
  ),
})).value;

/** Image records: creator absent, null, empty or a string; `meta` usually an object, sometimes not. */
export const imageArb: fc.Arbitrary<ImageRecord> = fc.record(
  {
    creator: fc.oneof(fc.constant(undefined), fc.constant(null), fc.constantFrom("", "user123", "active", "5"), stringArb),
    meta: fc.oneof(
      { weight: 10, arbitrary: fc.dictionary(keyArb, metaValueArb, { maxKeys: 6 }) },
      { weight: 1, arbitrary: metaValueArb },
    ),
  },
  { requiredKeys: [] },
);
