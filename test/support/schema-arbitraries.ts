/**
 * Field schemas and half-typed filters for the search-box properties: a random schema, a filter whose
 * every condition fits it (known fields, their types, their values), written out and cut anywhere.
 */
import fc from "fast-check";
import type { CompareOp, FilterNode, Scalar, ScalarType } from "../../src/syntax/ast.js";
import { format, type FieldSpec } from "../../src/index.js";

const keyPool = ["status", "priority", "region.name", "region.code", "enabled", "my key", "in", "android", "meta.x", "creator", "a.b.c"];

const specArb: fc.Arbitrary<FieldSpec> = fc.oneof(
  fc.record({ type: fc.constant<ScalarType>("string"), values: fc.uniqueArray(fc.oneof(fc.constantFrom("active", "eu-west", "a\"b", "x y", ""), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant<ScalarType>("number"), values: fc.uniqueArray(fc.oneof(fc.integer({ min: -9, max: 99 }), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 4, comparator: Object.is }) }),
  fc.constant<FieldSpec>({ type: "boolean", values: [true, false] }),
);

const schemaArb: fc.Arbitrary<Record<string, FieldSpec>> = fc
  .uniqueArray(fc.constantFrom(...keyPool), { minLength: 1, maxLength: 5 })
  .chain((keys) => fc.tuple(...keys.map(() => specArb)).map((specs) => Object.fromEntries(keys.map((key, i) => [key, specs[i]!]))));

/** A filter whose every condition fits the schema: known fields, their types, their values. */
function filterFor(schema: Record<string, FieldSpec>): fc.Arbitrary<FilterNode> {
  const condition = fc.constantFrom(...Object.keys(schema)).chain((key): fc.Arbitrary<FilterNode> => {
    const spec = schema[key]!;
    const field = { type: "meta" as const, path: key.split(".") };
    const value = fc.constantFrom(...spec.values!).map((v: Scalar) => ({ value: v }));
    const ops: CompareOp[] = spec.type === "number" ? ["eq", "ne", "lt", "lte", "gt", "gte"] : ["eq", "ne"];
    const compare = fc.record({ type: fc.constant("compare" as const), op: fc.constantFrom(...ops), field: fc.constant(field), value });
    if (spec.type === "boolean") return compare;
    const list = fc.record({ type: fc.constant("in" as const), field: fc.constant(field), values: fc.array(value, { minLength: 1, maxLength: 3 }), negated: fc.boolean() });
    return fc.oneof(compare, list);
  });
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      { weight: 4, arbitrary: condition },
      { weight: 1, arbitrary: tie("node").map((operand): FilterNode => ({ type: "not", operand })) },
      { weight: 2, arbitrary: fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((operands): FilterNode => ({ type: "and", operands })) },
      { weight: 1, arbitrary: fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((operands): FilterNode => ({ type: "or", operands })) },
    ),
  })).node;
}

/** A schema, a filter that fits it written as text, and a place to cut the text. */
export const caseArb = schemaArb.chain((schema) =>
  filterFor(schema).chain((filter) => {
    const text = format(filter);
    return fc.nat({ max: text.length }).map((cut) => ({ schema, text, cut }));
  }),
);

