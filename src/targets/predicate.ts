/**
 * Filter → in-memory predicate over image records, for the whole language (`or`, `not`, `!=` included).
 * The filter is compiled once into closures with pre-split paths; no `eval`, no `new Function`.
 *
 * What it matches is `semantics/matching.ts`'s definition, which a property test holds it to; this module
 * only makes it fast. The predicate never throws: a record whose access throws (a hostile getter) simply
 * does not match.
 */
import type { CompareNode, Filter, FilterNode, InNode, Scalar } from "../syntax/ast.js";
import { isNoCreator, valueAt, type ImageRecord } from "../semantics/matching.js";

export type { ImageRecord } from "../semantics/matching.js";

/** A compiled filter: true when the image matches. */
export type Predicate = (image: ImageRecord) => boolean;

type Match = (image: ImageRecord) => boolean;
type Test = (value: unknown) => boolean;

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;

/** Compiles a filter into a predicate that never throws. */
export function predicateOf(filter: Filter): Predicate {
  const match = compile(filter);
  return (image) => {
    try {
      return match(image);
    } catch {
      return false;
    }
  };
}

function compile(node: FilterNode): Match {
  switch (node.type) {
    case "all":
      return () => true;
    case "not": {
      const inner = compile(node.operand);
      return (image) => !inner(image);
    }
    case "and":
      // Cheap conditions first: `and` has no order to keep, and most records fail a cheap test early.
      return allOf([...node.operands].sort((a, b) => cost(a) - cost(b)).map(compile));
    case "or":
      return anyOf(node.operands.map(compile));
    case "compare":
    case "in":
      return condition(node);
  }
}

/** A rough static cost of evaluating a node: direct reads and single comparisons are cheapest. */
function cost(node: FilterNode): number {
  switch (node.type) {
    case "compare":
    case "in": {
      const depth = node.field.type === "creator" ? 0 : node.field.path.length;
      const values = node.type === "in" ? node.values.length : 1;
      const range = node.type === "compare" && node.op !== "eq" && node.op !== "ne" ? 1 : 0;
      return depth * 2 + Math.min(values, 8) + range;
    }
    case "all":
      return 0;
    case "not":
      return 1 + cost(node.operand);
    case "and":
    case "or":
      return node.operands.reduce((sum, operand) => sum + cost(operand), 4);
  }
}

// Fixed arities get their own closures: a loop over an array of closures calls them all from one site.
function allOf(matches: readonly Match[]): Match {
  const [a, b, c, d] = matches as [Match, Match, Match?, Match?];
  switch (matches.length) {
    case 2:
      return (image) => a(image) && b(image);
    case 3:
      return (image) => a(image) && b(image) && c!(image);
    case 4:
      return (image) => a(image) && b(image) && c!(image) && d!(image);
    default:
      return (image) => {
        for (const match of matches) if (!match(image)) return false;
        return true;
      };
  }
}

function anyOf(matches: readonly Match[]): Match {
  const [a, b, c, d] = matches as [Match, Match, Match?, Match?];
  switch (matches.length) {
    case 2:
      return (image) => a(image) || b(image);
    case 3:
      return (image) => a(image) || b(image) || c!(image);
    case 4:
      return (image) => a(image) || b(image) || c!(image) || d!(image);
    default:
      return (image) => {
        for (const match of matches) if (match(image)) return true;
        return false;
      };
  }
}

/** A condition: the positive test on the field's value, negated for `!=` and `not in`. */
function condition(node: CompareNode | InNode): Match {
  const negated = node.type === "compare" ? node.op === "ne" : node.negated;
  const positive = node.field.type === "creator" ? creatorMatch(node) : metaMatch(node.field.path, node);
  return negated ? (image) => !positive(image) : positive;
}

/** The positive value test of a condition (`!=` tests `=`, `not in` tests `in`). */
function valueTest(node: CompareNode | InNode): Test {
  if (node.type === "in") return anyValue(node.values.map((literal) => literal.value));
  const expected = node.value.value;
  if (node.op === "eq" || node.op === "ne") return (value) => value === expected;
  // Ranges take numbers only: with any other bound they match nothing (no coercion of "5" or true).
  if (typeof expected !== "number") return () => false;
  switch (node.op) {
    case "lt":
      return (value) => typeof value === "number" && value < expected;
    case "lte":
      return (value) => typeof value === "number" && value <= expected;
    case "gt":
      return (value) => typeof value === "number" && value > expected;
    case "gte":
      return (value) => typeof value === "number" && value >= expected;
  }
}

/** Any-of `===`: unrolled for short lists, a `Set` beyond. */
function anyValue(values: readonly Scalar[]): Test {
  const [a, b, c, d] = values;
  switch (values.length) {
    case 1:
      return (value) => value === a;
    case 2:
      return (value) => value === a || value === b;
    case 3:
      return (value) => value === a || value === b || value === c;
    case 4:
      return (value) => value === a || value === b || value === c || value === d;
    default: {
      // `Set` compares like `===` except for NaN, which a stored value can never equal here.
      const set = new Set<unknown>(values.filter((v) => v === v));
      return (value) => set.has(value);
    }
  }
}

/** Ranges on `creator` never match (it is a string); equality treats "" as "no creator". */
function creatorMatch(node: CompareNode | InNode): Match {
  if (node.type === "compare" && node.op !== "eq" && node.op !== "ne") return () => false;
  const wanted = node.type === "in" ? node.values.map((l) => l.value) : [node.value.value];
  if (!wanted.includes("")) {
    if (wanted.length === 1) {
      const only = wanted[0];
      return (image) => image.creator === only;
    }
    const test = anyValue(wanted);
    return (image) => test(image.creator);
  }
  const test = anyValue(wanted);
  return (image) => {
    const creator = image.creator;
    return isNoCreator(creator) || test(creator);
  };
}

/** Keys an array has of its own (indexes, `length`): they need the array check on every read. */
function isArrayKey(key: string): boolean {
  return key === "length" || /^(?:0|[1-9][0-9]*)$/.test(key);
}

/**
 * A metadata condition. The common shapes (one or two segments that are not array keys) are fused into
 * one closure that reads `o[key]` directly and checks own-ness, and that no object on the way is an
 * array, only once the value test has passed: an inherited value, or a property added to an array, must
 * not match, and most records fail the test first, so the checks cost little.
 */
function metaMatch(path: readonly string[], node: CompareNode | InNode): Match {
  const test = valueTest(node);
  const equal = node.type === "compare" && (node.op === "eq" || node.op === "ne") ? node.value.value : undefined;
  if (path.length === 1 && !isArrayKey(path[0]!)) {
    const key = path[0]!;
    if (equal !== undefined) {
      return (image) => {
        const meta = image.meta as Record<string, unknown> | null | undefined;
        return typeof meta === "object" && meta !== null && meta[key] === equal && hasOwn(meta, key) && !isArray(meta);
      };
    }
    return (image) => {
      const meta = image.meta as Record<string, unknown> | null | undefined;
      return typeof meta === "object" && meta !== null && test(meta[key]) && hasOwn(meta, key) && !isArray(meta);
    };
  }
  if (path.length === 2 && !isArrayKey(path[0]!) && !isArrayKey(path[1]!)) {
    const [outer, inner] = path as [string, string];
    if (equal !== undefined) {
      return (image) => {
        const meta = image.meta as Record<string, unknown> | null | undefined;
        if (typeof meta !== "object" || meta === null) return false;
        const child = meta[outer] as Record<string, unknown> | null | undefined;
        return typeof child === "object" && child !== null && child[inner] === equal && hasOwn(child, inner) && hasOwn(meta, outer) && !isArray(child) && !isArray(meta);
      };
    }
    return (image) => {
      const meta = image.meta as Record<string, unknown> | null | undefined;
      if (typeof meta !== "object" || meta === null) return false;
      const child = meta[outer] as Record<string, unknown> | null | undefined;
      return typeof child === "object" && child !== null && test(child[inner]) && hasOwn(child, inner) && hasOwn(meta, outer) && !isArray(child) && !isArray(meta);
    };
  }
  return (image) => {
    const value = valueAt(image.meta, path);
    return value !== undefined && test(value);
  };
}
