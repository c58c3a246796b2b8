/**
 * Generators for the SQL target's tests: hostile keys and values made of SQL's own syntax (quotes,
 * comments, placeholders, NUL), and filters and images built from them, so that the hostile filters
 * often match.
 */
import fc from "fast-check";
import type { CompareOp, Field, FilterNode, Literal, Scalar } from "../../src/syntax/ast.js";
import type { ImageRecord } from "../../src/index.js";

/** Strings that would change a query if they were ever spliced into its text. */
export const HOSTILE_STRINGS: readonly string[] = [
  "'",
  "''",
  '"',
  '""',
  "\\",
  "\\'",
  ";",
  "--",
  "/*",
  "*/",
  "$1",
  "$$",
  "?",
  "?1",
  ":name",
  "@p",
  "a\u0000b",
  "\u0000",
  "'; DROP TABLE images; --",
  '") OR 1=1 --',
  "' OR '1'='1",
  "$.status",
  '$."a"',
  "[0]",
  "a.b",
  "é\u200b😀",
  "\ud83d",
  "\n\r\t",
  "%_",
  "E'\\x00'",
];

export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom(...HOSTILE_STRINGS), { minLength: 2, maxLength: 3 }).map((parts) => parts.join("")),
  },
);

const hostileScalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 4, arbitrary: hostileStringArb },
  { weight: 1, arbitrary: fc.constantFrom(1, -0, 0.1) },
  { weight: 1, arbitrary: fc.boolean() },
);

/** Filter values also include what JSON cannot store (and so no image holds): infinities and NaN. */
const hostileLiteralArb: fc.Arbitrary<Literal> = fc
  .oneof({ weight: 8, arbitrary: hostileScalarArb }, { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity, NaN) })
  .map((value) => ({ value }));

const hostileFieldArb: fc.Arbitrary<Field> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Field>({ type: "creator" }) },
  { weight: 5, arbitrary: fc.array(hostileStringArb, { minLength: 1, maxLength: 3 }).map((path): Field => ({ type: "meta", path })) },
);

const hostileConditionArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({
    type: fc.constant("compare" as const),
    op: fc.constantFrom<CompareOp>("eq", "ne", "eq", "lt", "lte", "gt", "gte"),
    field: hostileFieldArb,
    value: hostileLiteralArb,
  }),
  fc.record({
    type: fc.constant("in" as const),
    field: hostileFieldArb,
    values: fc.array(hostileLiteralArb, { minLength: 1, maxLength: 4 }),
    negated: fc.boolean(),
  }),
);

/** Filters whose keys and values are hostile strings: conditions, a `not`, an `or`. */
export const hostileFilterArb: fc.Arbitrary<FilterNode> = fc.oneof(
  hostileConditionArb,
  hostileConditionArb.map((operand): FilterNode => ({ type: "not", operand })),
  fc.array(hostileConditionArb, { minLength: 2, maxLength: 3 }).map((operands): FilterNode => ({ type: "or", operands })),
);

const hostileMetaArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    { weight: 4, arbitrary: hostileScalarArb },
    { weight: 2, arbitrary: fc.dictionary(hostileStringArb, tie("value"), { maxKeys: 3 }) },
  ),
})).value;

/** Images whose creators, keys and values come from the same hostile pool. */
export const hostileImageArb: fc.Arbitrary<ImageRecord> = fc.record({
  creator: fc.oneof(fc.constant(null), hostileStringArb),
  meta: fc.dictionary(hostileStringArb, hostileMetaArb, { maxKeys: 4 }),
});

/** A condition's field and values, as read off a filter to build images that it nearly matches. */
interface Target {
  readonly field: Field;
  readonly values: readonly Scalar[];
}

function targetsOf(node: FilterNode): Target[] {
  switch (node.type) {
    case "all":
      return [];
    case "not":
      return targetsOf(node.operand);
    case "and":
    case "or":
      return node.operands.flatMap(targetsOf);
    case "compare":
      return [{ field: node.field, values: [node.value.value] }];
    case "in":
      return [{ field: node.field, values: node.values.map((literal) => literal.value) }];
  }
}

/** Values equal to `value`, next to it, or of another type that reads the same (`5` and `"5"`). */
function nearValueArb(value: Scalar): fc.Arbitrary<unknown> {
  const asNumber = Number(value);
  const twins: unknown[] = [String(value), null, [value], { value }];
  if (typeof value === "string" && value !== "" && !Number.isNaN(asNumber)) twins.push(asNumber);
  if (typeof value === "boolean") twins.push(value ? 1 : 0);
  const neighbours = Number.isFinite(asNumber) ? [asNumber, asNumber + 1, asNumber - 1, asNumber / 2] : [];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(value) },
    { weight: 2, arbitrary: fc.constantFrom(...twins) },
    { weight: neighbours.length > 0 ? 2 : 0, arbitrary: fc.constantFrom(...(neighbours.length > 0 ? neighbours : [0])) },
  );
}

/** Sets `path` in `root` to `value`, making plain objects on the way (own `__proto__` keys included). */
function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown, arrayAt: number): void {
  let node = root;
  path.forEach((key, depth) => {
    const last = depth === path.length - 1;
    const existing = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    const child: unknown = last ? value : typeof existing === "object" && existing !== null && !Array.isArray(existing) ? existing : {};
    // Optionally hide the rest of the path inside an array, which a path must not walk into.
    if (!last && depth === arrayAt) {
      const inner = {};
      Object.defineProperty(node, key, { value: [inner], enumerable: true, writable: true, configurable: true });
      node = inner;
      return;
    }
    Object.defineProperty(node, key, { value: child, enumerable: true, writable: true, configurable: true });
    if (!last) node = child as Record<string, unknown>;
  });
}

/** An image built to nearly match some of `targets`: their paths set to equal, neighbouring or twin values. */
function nearImageArb(targets: readonly Target[], fallback: fc.Arbitrary<ImageRecord>): fc.Arbitrary<ImageRecord> {
  if (targets.length === 0) return fallback;
  const placed = fc.array(
    fc.constantFrom(...targets).chain((target) =>
      fc.tuple(fc.constant(target), fc.constantFrom(...target.values).chain(nearValueArb), fc.integer({ min: -6, max: 6 })),
    ),
    { minLength: 1, maxLength: 6 },
  );
  return fc.tuple(fallback, placed).map(([base, placements]) => {
    const meta: Record<string, unknown> = {};
    let creator = base.creator;
    for (const [target, value, arrayAt] of placements) {
      if (target.field.type === "creator") creator = typeof value === "string" ? value : creator;
      else setPath(meta, target.field.path, value, arrayAt);
    }
    return creator === undefined ? { meta } : { creator, meta };
  });
}

/**
 * Filters and image sets made for each other: two images in three are built from the filters' own paths
 * and values (so that conditions match, nearly match, or meet a twin of another type), the rest are `images`.
 */
export function filtersWithImagesArb(
  filters: fc.Arbitrary<FilterNode>,
  images: fc.Arbitrary<ImageRecord>,
): fc.Arbitrary<[FilterNode[], ImageRecord[]]> {
  return fc.array(filters, { minLength: 1, maxLength: 6 }).chain((chosen) => {
    const near = nearImageArb(chosen.flatMap(targetsOf), images);
    return fc.tuple(fc.constant(chosen), fc.array(fc.oneof({ weight: 2, arbitrary: near }, { weight: 1, arbitrary: images }), { minLength: 2, maxLength: 12 }));
  });
}
