/**
 * The typed AST that every stage shares: the parser and `fromSearchParams` produce it, the validator
 * checks it, and the compilers (query params, predicate, text) consume it.
 *
 * Nodes are plain, immutable data. `span` is a half-open `[start, end)` range of UTF-16 offsets into the
 * text the node came from; nodes built by hand or by a rewrite may carry none.
 */

/** A half-open `[start, end)` range of UTF-16 code-unit offsets into the source text. */
export interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** A value written in a filter: a string, a number or a boolean. Types never coerce. */
export type Scalar = string | number | boolean;

/** The type names of {@link Scalar} values, as the API's typed operators spell them. */
export type ScalarType = "string" | "number" | "boolean";

/** A literal value with its place in the text. */
export interface Literal {
  /** The value; its JavaScript type is its filter type. */
  readonly value: Scalar;
  /** Where the literal was written. */
  readonly span?: Span;
}

/** A metadata path such as `region.name`: segments under the image's `meta` object. */
export interface MetaField {
  readonly type: "meta";
  /** The path segments, already unquoted (`` `my key`.x `` is `["my key", "x"]`). */
  readonly path: readonly string[];
  /** The span of each segment, parallel to `path`. */
  readonly segmentSpans?: readonly Span[];
  /** The whole path, including a leading `meta.` if one was written. */
  readonly span?: Span;
}

/** The image's creator (the API's `creator=` parameter), written as the bare path `creator`. */
export interface CreatorField {
  readonly type: "creator";
  readonly span?: Span;
}

/** What a condition tests: a metadata path or the creator. */
export type Field = MetaField | CreatorField;

/** Comparison operators, named as the API names them (`ne` has no API form: it is a negation). */
export type CompareOp = "eq" | "ne" | "lt" | "lte" | "gt" | "gte";

/** `field <op> value`: `status = "active"`, `rating >= 4`, `status != "x"`. */
export interface CompareNode {
  readonly type: "compare";
  readonly op: CompareOp;
  readonly field: Field;
  readonly value: Literal;
  readonly span?: Span;
}

/** `field in (v1, v2, ...)`, or with `negated`, `field not in (...)`. */
export interface InNode {
  readonly type: "in";
  readonly field: Field;
  /** The listed values, at least one. */
  readonly values: readonly Literal[];
  /** True for `not in`. */
  readonly negated: boolean;
  readonly span?: Span;
}

/** `a and b and ...`: matches when every operand matches. */
export interface AndNode {
  readonly type: "and";
  /** Two or more operands, in written order. */
  readonly operands: readonly FilterNode[];
  readonly span?: Span;
}

/** `a or b or ...`: matches when any operand matches. */
export interface OrNode {
  readonly type: "or";
  /** Two or more operands, in written order. */
  readonly operands: readonly FilterNode[];
  readonly span?: Span;
}

/** `not a`: logical negation. */
export interface NotNode {
  readonly type: "not";
  readonly operand: FilterNode;
  readonly span?: Span;
}

/** The empty filter: matches every image. Only ever the root. */
export interface MatchAllNode {
  readonly type: "all";
  readonly span?: Span;
}

/** A condition on one field. */
export type ConditionNode = CompareNode | InNode;

/** Any node of a filter. */
export type FilterNode = AndNode | OrNode | NotNode | CompareNode | InNode | MatchAllNode;

/** A parsed filter: the root node. */
export type Filter = FilterNode;

/** The type of a scalar value, as the API's typed operators name it. */
export function scalarType(value: Scalar): ScalarType {
  return typeof value as ScalarType;
}

/** Whether a condition is negated (`!=`, `not in`): it holds where its positive form (`=`, `in`) does not. */
export function isNegated(node: CompareNode | InNode): boolean {
  return node.type === "compare" ? node.op === "ne" : node.negated;
}

/** Whether a condition is a range (`<`, `<=`, `>`, `>=`), which matches numbers only. */
export function isRange(node: CompareNode | InNode): node is CompareNode & { readonly op: "lt" | "lte" | "gt" | "gte" } {
  return node.type === "compare" && node.op !== "eq" && node.op !== "ne";
}

/**
 * `node` with `span` set, or `node` as it is when there is no span (spans are optional).
 *
 * Not `{ ...node, span }`: in V8 (Node 20) a property added after a spread gives the copy a new hidden
 * class every time, made in the old generation, so each call left about 140 bytes there for a full GC
 * to collect. Three per filter read by `fromSearchParams` made the emulator's list route fill the old
 * generation under load (see `test/server/old-space.test.ts`). `Object.assign` copies the same own
 * properties, in the same order, onto a fresh object, and reuses the hidden class.
 */
export function withSpan<T extends object>(node: T, span: Span | undefined): T {
  return span ? Object.assign({}, node, { span }) : node;
}
