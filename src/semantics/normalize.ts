/**
 * Meaning-preserving rewrites that let more filters fit the API, applied before validating and compiling:
 * - nested `and`s and `or`s are flattened, duplicates dropped, the match-all filter absorbed;
 * - an `or` of equalities (and `in`s) on one path with one type (string or number) becomes one `in`;
 * - an `in` loses duplicate values, and a one-value `in` becomes `=` (`not in` becomes `!=`);
 * - a negation of a negation is removed (`not not a`, `not (a != 1)`, `not (a not in (...))`);
 * - `-0` is written `0` (they compare equal everywhere).
 * A property test proves the predicate of a filter and of its normal form agree on random images.
 */
import {
  scalarType,
  withSpan,
  type CompareNode,
  type FilterNode,
  type InNode,
  type Literal,
  type MetaField,
  type Span,
} from "../syntax/ast.js";
import { canonicalText, formatScalar } from "../syntax/format.js";

/** Returns the normal form of a filter. Spans of the original nodes are kept where a node survives. */
export function normalize(filter: FilterNode): FilterNode {
  switch (filter.type) {
    case "all":
      return filter;
    case "compare":
      // -0 compares as 0 everywhere: one spelling, so that duplicates are found.
      return Object.is(filter.value.value, -0) ? { ...filter, value: { ...filter.value, value: 0 } } : filter;
    case "in":
      return normalizeIn(filter);
    case "not":
      return normalizeNot(filter.operand, filter.span);
    case "and":
      return normalizeAnd(filter.operands.map(normalize), filter.span);
    case "or":
      return normalizeOr(filter.operands.map(normalize), filter.span);
  }
}

function normalizeIn(node: InNode): FilterNode {
  const values = uniqueLiterals(node.values);
  if (values.length === 1) {
    const compare: CompareNode = { type: "compare", op: node.negated ? "ne" : "eq", field: node.field, value: values[0]! };
    return withSpan(compare, node.span);
  }
  return values.every((value, i) => value === node.values[i]) && values.length === node.values.length ? node : { ...node, values };
}

function uniqueLiterals(values: readonly Literal[]): Literal[] {
  const seen = new Set<string>();
  const unique: Literal[] = [];
  for (const literal of values) {
    const key = formatScalar(literal.value === 0 ? 0 : literal.value); // -0 and 0 are one value
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(Object.is(literal.value, -0) ? { ...literal, value: 0 } : literal);
    }
  }
  return unique;
}

function normalizeNot(operand: FilterNode, span: Span | undefined): FilterNode {
  const inner = normalize(operand);
  // A negation folded into what it negates: the node that results stands for the whole, `not` included.
  if (inner.type === "not") return withSpan(inner.operand, span);
  if (inner.type === "compare" && inner.op === "ne") return withSpan({ ...inner, op: "eq" }, span);
  if (inner.type === "in" && inner.negated) return withSpan({ ...inner, negated: false }, span);
  return withSpan({ type: "not", operand: inner }, span);
}

function normalizeAnd(operands: readonly FilterNode[], span: Span | undefined): FilterNode {
  const flat = unique(operands.flatMap((node) => (node.type === "and" ? node.operands : node.type === "all" ? [] : [node])));
  if (flat.length === 0) return withSpan({ type: "all" }, span);
  if (flat.length === 1) return flat[0]!;
  return withSpan({ type: "and", operands: flat }, span);
}

function normalizeOr(operands: readonly FilterNode[], span: Span | undefined): FilterNode {
  if (operands.some((node) => node.type === "all")) return withSpan({ type: "all" }, span);
  const flat = mergeEqualities(operands.flatMap((node) => (node.type === "or" ? node.operands : [node])));
  const merged = unique(flat);
  if (merged.length === 1) return merged[0]!;
  return withSpan({ type: "or", operands: merged }, span);
}

/** Drops operands that are written the same as an earlier one (canonical text is structural equality). */
function unique(nodes: readonly FilterNode[]): FilterNode[] {
  const seen = new Set<string>();
  return nodes.filter((node) => {
    const key = canonicalText(node);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A positive equality or `in` on a metadata path whose values all have one mergeable type. */
interface Mergeable {
  readonly field: MetaField;
  readonly values: readonly Literal[];
  readonly key: string;
}

function asMergeable(node: FilterNode): Mergeable | undefined {
  let values: readonly Literal[];
  if (node.type === "compare" && node.op === "eq") values = [node.value];
  else if (node.type === "in" && !node.negated) values = node.values;
  else return undefined;
  if (node.field.type !== "meta") return undefined;
  // Booleans stay as they are: the API has no `in` for booleans.
  const type = scalarType(values[0]!.value);
  if (type === "boolean" || values.some((literal) => scalarType(literal.value) !== type)) return undefined;
  return { field: node.field, values, key: `${type}:${JSON.stringify(node.field.path)}` };
}

/** Merges the equalities of an `or` that share a path and a type into one `in`, at the first one's place. */
function mergeEqualities(operands: readonly FilterNode[]): FilterNode[] {
  const groups = new Map<string, { index: number; field: MetaField; values: Literal[]; spans: Span[]; count: number }>();
  const out: (FilterNode | undefined)[] = [];
  for (const node of operands) {
    const mergeable = asMergeable(node);
    if (!mergeable) {
      out.push(node);
      continue;
    }
    const group = groups.get(mergeable.key);
    if (group) {
      group.values.push(...mergeable.values);
      if (node.span) group.spans.push(node.span);
      group.count++;
      out.push(undefined);
    } else {
      groups.set(mergeable.key, {
        index: out.length,
        field: mergeable.field,
        values: [...mergeable.values],
        spans: node.span ? [node.span] : [],
        count: 1,
      });
      out.push(node);
    }
  }
  for (const group of groups.values()) {
    if (group.count === 1) continue;
    const span = group.spans.reduce<Span | undefined>(
      (all, one) => (all ? { start: Math.min(all.start, one.start), end: Math.max(all.end, one.end) } : one),
      undefined,
    );
    out[group.index] = normalizeIn(withSpan({ type: "in", field: group.field, values: group.values, negated: false }, span));
  }
  return out.filter((node): node is FilterNode => node !== undefined);
}
