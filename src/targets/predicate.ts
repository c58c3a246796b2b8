/**
 * Filter → in-memory predicate over image records, for the whole language (`or`, `not`, `!=` included).
 * The filter is compiled once into closures with pre-split paths; no `eval`, no `new Function`.
 *
 * What it matches is `semantics/matching.ts`'s definition (`matches`), which a property test holds it to
 * on random filters and hostile records (test/targets/predicate.properties.test.ts); this module only
 * makes it fast. The predicate never throws.
 *
 * How it stays equal to `matches` while reading less carefully:
 * - Operands are evaluated in the order written, as `matches` evaluates them (and as the user, who knows
 *   the data, wrote them). The one freedom taken is on the filter's top-level `and`, where any false
 *   operand, or any read that throws, makes the record fail however it is reached: there, conditions on
 *   `creator` (one read of the image, no path) go first.
 * - A metadata condition reads its value, tests it, and only then asks whether each step was an own
 *   property of an object that is not an array (most values fail the test first, so the checks cost
 *   little): the order in which `conditionHolds` asks. It may read where `matches` does not (a property of
 *   an array, which it then rejects); when any read throws, `matches` itself gives the answer.
 *
 * Why it is shaped as it is (each measured in bench/RESULTS.md against the keyed-read floor: a
 * hand-written predicate with its property names known only at run time, the least a predicate made
 * without code generation can cost). Closures made from one function literal share V8's type feedback,
 * so a call site inside a literal sees every closure that any filter compiled in the process gave it:
 * - Conditions are not reordered by a static guess of their cost: on the held-out dataset, where Q3's
 *   first condition (a two-step path) is its selective one, putting it last made Q3 test 2.6 conditions
 *   a record where the floor, in the order written, tests 1.2 (1.5× the floor; in the order written, 1.1×).
 * - A one-step equality (the commonest condition) is one closure, its comparison inline (with a test
 *   called through a closure, Q1 cost 1.36× the floor with all queries compiled, not 1.24×); other
 *   tests are called through a closure of their own (fusing them too measured no faster).
 * - `and` and `or` have a closure literal per number of operands up to six, the most a filter the API
 *   can express holds (five metadata conditions and `creator`); a longer one chains by six, so that it
 *   never shares the call sites of a short one (chained by four, Q4's last two operands shared Q2's
 *   closure of two, and Q2 cost 1.44× the floor with all queries compiled, not 1.19×).
 * - Value tests are specialised by the literal's type (`typeof` first), so that each `===` compares
 *   values of one type.
 */
import { isNegated, isRange, type CompareNode, type Filter, type FilterNode, type InNode, type Scalar } from "../syntax/ast.js";
import { inRange, isNoCreator, matches, ownsPath, readPath, type ImageRecord } from "../semantics/matching.js";

export type { ImageRecord } from "../semantics/matching.js";

/** A compiled filter: true when the image matches. */
export type Predicate = (image: ImageRecord) => boolean;

type Match = (image: ImageRecord) => boolean;
/** The positive test of a condition on the value it read. */
type Test = (value: unknown) => boolean;
type Condition = CompareNode | InNode;
/** What a path step reads from: `meta` or an object in it, once known to be an object (perhaps an array). */
type Container = Record<string, unknown>;

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;

/** Compiles a filter into a predicate that never throws and matches what `matches` matches. */
export function predicateOf(filter: Filter): Predicate {
  const match = compile(filter, true);
  const entry = filter.type === "compare" || filter.type === "in" ? conditionEntry : filter.type === "and" ? andEntry : otherEntry;
  return entry(match, filter);
}

// The entry of a predicate: `match`, and when a read throws (a hostile getter or proxy), perhaps one that
// `matches` does not make, `matches` decides. Three copies, by the kind of the root, so that the call into
// `match` is not shared by every filter compiled in the process: a filter of one condition, the commonest,
// then has it to itself (with one entry for every kind, Q1 cost 1.35× the floor with all queries
// compiled in one process; with its own, 1.14×).
const conditionEntry = (match: Match, filter: Filter): Predicate => (image) => {
  try {
    return match(image);
  } catch {
    return matches(filter, image);
  }
};

const andEntry = (match: Match, filter: Filter): Predicate => (image) => {
  try {
    return match(image);
  } catch {
    return matches(filter, image);
  }
};

const otherEntry = (match: Match, filter: Filter): Predicate => (image) => {
  try {
    return match(image);
  } catch {
    return matches(filter, image);
  }
};

/**
 * `spine`: whether the node lies on the filter's top-level `and` (the root, or an operand of an `and`
 * on the spine), where the order of the operands cannot change the result.
 */
function compile(node: FilterNode, spine: boolean): Match {
  switch (node.type) {
    case "all":
      return () => true;
    case "not": {
      const inner = compile(node.operand, false);
      return (image) => !inner(image);
    }
    case "and": {
      const operands = operandsOf(node);
      const ordered = spine ? [...operands.filter(readsCreator), ...operands.filter((operand) => !readsCreator(operand))] : operands;
      return every(ordered.map((operand) => compile(operand, spine)));
    }
    case "or":
      return some(operandsOf(node).map((operand) => compile(operand, false)));
    case "compare":
    case "in":
      return condition(node);
  }
}

/** The operands of an `and` or `or`, nested ones of the same kind spliced in (the same reads, in the same order). */
function operandsOf(node: FilterNode & { type: "and" | "or" }): FilterNode[] {
  return node.operands.flatMap((operand) => (operand.type === node.type ? operandsOf(operand) : [operand]));
}

const readsCreator = (node: FilterNode): boolean => (node.type === "compare" || node.type === "in") && node.field.type === "creator";

// One literal per number of operands: a loop over an array of closures would call them all from one site.
function every(matches: readonly Match[]): Match {
  const [a, b, c, d, e, f] = matches as [Match, Match, Match, Match, Match, Match];
  switch (matches.length) {
    case 0:
      return () => true;
    case 1:
      return a;
    case 2:
      return (image) => a(image) && b(image);
    case 3:
      return (image) => a(image) && b(image) && c(image);
    case 4:
      return (image) => a(image) && b(image) && c(image) && d(image);
    case 5:
      return (image) => a(image) && b(image) && c(image) && d(image) && e(image);
    case 6:
      return (image) => a(image) && b(image) && c(image) && d(image) && e(image) && f(image);
    default: {
      const rest = every(matches.slice(6));
      return (image) => a(image) && b(image) && c(image) && d(image) && e(image) && f(image) && rest(image);
    }
  }
}

function some(matches: readonly Match[]): Match {
  const [a, b, c, d, e, f] = matches as [Match, Match, Match, Match, Match, Match];
  switch (matches.length) {
    case 0:
      return () => false;
    case 1:
      return a;
    case 2:
      return (image) => a(image) || b(image);
    case 3:
      return (image) => a(image) || b(image) || c(image);
    case 4:
      return (image) => a(image) || b(image) || c(image) || d(image);
    case 5:
      return (image) => a(image) || b(image) || c(image) || d(image) || e(image);
    case 6:
      return (image) => a(image) || b(image) || c(image) || d(image) || e(image) || f(image);
    default: {
      const rest = some(matches.slice(6));
      return (image) => a(image) || b(image) || c(image) || d(image) || e(image) || f(image) || rest(image);
    }
  }
}

/** A condition: the positive test on the field's value, negated for `!=` and `not in`. */
function condition(node: Condition): Match {
  const positive = node.field.type === "creator" ? creatorMatch(node) : metaMatch(node.field.path, node);
  return isNegated(node) ? (image) => !positive(image) : positive;
}

/**
 * A metadata condition (positive): `conditionHolds`'s `readPath`, test, `ownsPath`, with one and two
 * steps written out. `typeof … === "object"` lets arrays through to the read (an array's properties
 * are read, never counted): `!isArray` after the test, as `hasOwn`, costs only the records that pass.
 */
function metaMatch(path: readonly string[], node: Condition): Match {
  if (path.length === 1) {
    const key = path[0]!;
    if (node.type === "compare" && (node.op === "eq" || node.op === "ne")) {
      const literal = node.value.value;
      return (image) => {
        const meta = image.meta as Container;
        return typeof meta === "object" && meta !== null && meta[key] === literal && hasOwn(meta, key) && !isArray(meta);
      };
    }
    const test = valueTest(node);
    return (image) => {
      const meta = image.meta as Container;
      return typeof meta === "object" && meta !== null && test(meta[key]) && hasOwn(meta, key) && !isArray(meta);
    };
  }
  const test = valueTest(node);
  if (path.length === 2) {
    const [outer, inner] = path as [string, string];
    return (image) => {
      const meta = image.meta as Container;
      if (typeof meta !== "object" || meta === null) return false;
      const child = meta[outer] as Container;
      return typeof child === "object" && child !== null && test(child[inner]) && hasOwn(child, inner) && hasOwn(meta, outer) && !isArray(child) && !isArray(meta);
    };
  }
  return (image) => {
    const meta = image.meta;
    return test(readPath(meta, path)) && ownsPath(meta, path);
  };
}

/** The positive test of a condition (`!=` tests `=`, `not in` tests `in`); none holds for a missing value. */
function valueTest(node: Condition): Test {
  if (node.type === "in") return oneOf(node.values.map((literal) => literal.value));
  const literal = node.value.value;
  const op = node.op;
  if (op === "eq" || op === "ne") return equalTo(literal);
  // Ranges take numbers only: with any other bound they match nothing (no coercion of "5" or true).
  if (typeof literal !== "number") return () => false;
  return (value) => inRange(value, op, literal);
}

/** Typed equality (`equalsValue`), the type checked first so that `===` compares values of one type. */
function equalTo(literal: Scalar): Test {
  if (typeof literal === "string") return (value) => typeof value === "string" && value === literal;
  if (typeof literal === "number") return (value) => typeof value === "number" && value === literal;
  return (value) => value === literal;
}

/** Any of the literals by typed equality: a loop for short lists (of one type when they are), a `Set` beyond. */
function oneOf(literals: readonly Scalar[]): Test {
  // NaN equals nothing (not even a stored NaN), and `Set` would find it: it is left out.
  const list = literals.filter((literal) => literal === literal);
  if (list.length === 0) return () => false;
  if (list.length === 1) return equalTo(list[0]!);
  if (list.length > 8) {
    const set = new Set<unknown>(list);
    return (value) => set.has(value);
  }
  if (list.every((literal) => typeof literal === "string")) {
    return (value) => {
      if (typeof value !== "string") return false;
      for (let i = 0; i < list.length; i++) if (value === list[i]) return true;
      return false;
    };
  }
  if (list.every((literal) => typeof literal === "number")) {
    return (value) => {
      if (typeof value !== "number") return false;
      for (let i = 0; i < list.length; i++) if (value === list[i]) return true;
      return false;
    };
  }
  return (value) => {
    for (let i = 0; i < list.length; i++) if (value === list[i]) return true;
    return false;
  };
}

/** A condition on `creator` (positive): ranges never match (it is a string); equality treats "" as "no creator". */
function creatorMatch(node: Condition): Match {
  if (isRange(node)) {
    // `matches` reads the creator before it finds that a range matches nothing (a getter may throw): so does this.
    return (image) => {
      void image.creator;
      return false;
    };
  }
  const wanted = node.type === "in" ? node.values.map((literal) => literal.value) : [node.value.value];
  const test = oneOf(wanted);
  if (!wanted.includes("")) return (image) => test(image.creator);
  return (image) => {
    const creator = image.creator;
    return isNoCreator(creator) || test(creator);
  };
}
