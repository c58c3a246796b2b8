/**
 * What a filter matches: the one definition. The predicate compiles it into closures, the emulator's
 * equality indexes read values with {@link valueAt}, and the SQL and binding targets are proven to
 * select what {@link matches} selects (property tests in `test/targets/`).
 *
 * - A path walks **own properties of objects** from the image's `meta`: never the prototype chain
 *   (`__proto__`, `constructor`, `toString` are ordinary keys), never **into arrays** (`tags.0` and
 *   `tags.length` find nothing), and anything else on the way (a string, `null`) means the value is
 *   missing.
 * - **A missing value matches no comparison**: no `=`, `<`, `in`...
 * - `=` is **typed equality**: `"5"` is not `5`, `true` is not `"true"`; numbers compare as numbers
 *   (`-0` is `0`).
 * - `<`, `<=`, `>`, `>=` match **stored numbers only**, against a number bound (any other bound matches
 *   nothing).
 * - `in` is any of its values by `=`; `!=`, `not in` and `not` are logical negations (so a missing field
 *   matches `!= "x"`).
 * - The bare path **`creator`** is the image's creator: `creator = ""` matches an image with no creator
 *   (absent, `null` or empty); ranges on it match nothing.
 * - A record whose read throws (a hostile getter or proxy) **matches nothing**. A condition reads its
 *   value before it asks whether each step is an own property ({@link conditionHolds}), so a getter that
 *   throws counts even when inherited, as it always has for `toPredicate`.
 */
import { isNegated, isRange, type CompareNode, type Filter, type InNode, type Scalar } from "../syntax/ast.js";

/** What a filter reads of an image: its creator and its metadata (`meta`, as the API returns it). */
export interface ImageRecord {
  readonly creator?: string | null | undefined;
  readonly meta?: unknown;
}

const hasOwn = Object.hasOwn;

/** Whether a value is an object whose own properties a path may read: not `null`, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One step of a path: the own property `key` of an object that is not an array, else undefined. */
export function ownValue(container: unknown, key: string): unknown {
  return isRecord(container) && hasOwn(container, key) ? container[key] : undefined;
}

/**
 * The value a metadata path selects in an image's `meta` (own properties of objects only, never into
 * arrays), or undefined when it is missing. `valueAt({ region: { name: "eu" } }, ["region", "name"])` is
 * `"eu"`.
 */
export function valueAt(meta: unknown, path: readonly string[]): unknown {
  let value = meta;
  for (const key of path) {
    value = ownValue(value, key);
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * Reads a path, own or inherited, as a condition reads it before it asks about ownership: each step a
 * property of an object that is not an array (anything else on the way, a string, `null`, an array,
 * means the value is missing, and nothing under it is read).
 */
export function readPath(meta: unknown, path: readonly string[]): unknown {
  let value = meta;
  for (const key of path) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** Whether every step of a path is an own property of an object that is not an array. */
export function ownsPath(meta: unknown, path: readonly string[]): boolean {
  let value = meta;
  for (const key of path) {
    if (!isRecord(value) || !hasOwn(value, key)) return false;
    value = value[key];
  }
  return true;
}

/** Typed equality of a stored value and a literal (a missing value equals nothing). */
export function equalsValue(stored: unknown, literal: Scalar): boolean {
  return stored === literal;
}

/** Whether a stored value satisfies a range (`lt`, `lte`, `gt`, `gte`): numbers only, against a number. */
export function inRange(stored: unknown, op: "lt" | "lte" | "gt" | "gte", bound: Scalar): boolean {
  if (typeof stored !== "number" || typeof bound !== "number") return false;
  switch (op) {
    case "lt":
      return stored < bound;
    case "lte":
      return stored <= bound;
    case "gt":
      return stored > bound;
    case "gte":
      return stored >= bound;
  }
}

/** Whether a creator is "none" for `creator = ""`: absent, `null` or empty. */
export function isNoCreator(creator: unknown): boolean {
  return creator === undefined || creator === null || creator === "";
}

/**
 * The positive test of a condition on a value that was read (`!=` tests `=`, `not in` tests `in`): typed
 * equality, any of a list, or a range.
 */
export function satisfies(node: CompareNode | InNode, stored: unknown): boolean {
  if (node.type === "in") return node.values.some((literal) => equalsValue(stored, literal.value));
  return node.op === "eq" || node.op === "ne" ? equalsValue(stored, node.value.value) : inRange(stored, node.op, node.value.value);
}

/** Whether a condition holds for an image (its negation included). */
export function conditionHolds(node: CompareNode | InNode, image: ImageRecord): boolean {
  let positive: boolean;
  if (node.field.type === "creator") {
    const creator = image.creator;
    const values = node.type === "in" ? node.values.map((literal) => literal.value) : [node.value.value];
    positive = !isRange(node) && values.some((value) => (value === "" ? isNoCreator(creator) : equalsValue(creator, value)));
  } else {
    // The value is read, tested, and counts only if every step was an own property: for any record
    // without getters this is `satisfies(node, valueAt(...))`. The order matters only to a getter, which
    // a read runs even where the property turns out to be inherited (when it throws, the record matches
    // nothing), and it is the order in which the predicate asks, since most values fail the test first.
    const meta = image.meta;
    const path = node.field.path;
    const stored = readPath(meta, path);
    positive = stored !== undefined && satisfies(node, stored) && ownsPath(meta, path);
  }
  return isNegated(node) ? !positive : positive;
}

/**
 * The reference evaluator: whether `image` matches `filter`, written to be read, not to be fast (the
 * predicate is the fast form, and is proven to agree). `and` and `or` evaluate their operands from left
 * to right and stop at the first that decides; a read on the way that throws (a hostile getter) makes the
 * record match nothing.
 */
export function matches(filter: Filter, image: ImageRecord): boolean {
  try {
    return evaluate(filter, image);
  } catch {
    return false;
  }
}

function evaluate(node: Filter, image: ImageRecord): boolean {
  switch (node.type) {
    case "all":
      return true;
    case "not":
      return !evaluate(node.operand, image);
    case "and":
      return node.operands.every((operand) => evaluate(operand, image));
    case "or":
      return node.operands.some((operand) => evaluate(operand, image));
    case "compare":
    case "in":
      return conditionHolds(node, image);
  }
}
