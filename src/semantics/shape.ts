/**
 * The door for filters that were not parsed. A filter built by hand (or deserialised, or from untyped
 * JavaScript) can break the declared types, nest as deep as it likes, or even contain itself, and every
 * function walks a filter recursively and trusts its shape. Each public function that takes a filter
 * checks it here first, in one loop over an explicit stack (no recursion):
 * - every node has the shape `ast.ts` declares (a known `type`, `op`, field, literal values that are
 *   strings, numbers or booleans, at least one operand), or the filter is refused with
 *   `invalid-filter`, naming the place of the bad node (`filter.operands[1].value`);
 * - it nests no deeper than {@link NESTING_CEILING} (counted as its text would nest), or it is refused
 *   with the `nesting-too-deep` issue that text that deep gets from the parser;
 * - it has at most {@link MAX_FILTER_NODES} nodes counted as a walk meets them, so a node shared by many
 *   parents (which JSON cannot write, and a walk would visit once per path) cannot make it hang.
 * A filter that passes is returned as it is: nothing is copied.
 */
import type { Filter, FilterNode } from "../syntax/ast.js";
import { NESTING_CEILING } from "../syntax/guards.js";
import { FilterError, issueAt, type Issue } from "../syntax/issues.js";

/** The most nodes a filter given as an object may have (a filter read from 10,000 characters has fewer than 5,000). */
export const MAX_FILTER_NODES = 100_000;

const COMPARE_OPS: ReadonlySet<unknown> = new Set(["eq", "ne", "lt", "lte", "gt", "gte"]);

/** A node still to look at: the value, where it is, and how deep its text would nest. */
interface Pending {
  readonly value: unknown;
  readonly place: string;
  readonly depth: number;
  readonly parent: FilterNode | undefined;
}

/**
 * `filter` as it is, once checked.
 * @throws FilterError (`invalid-filter` or `nesting-too-deep`) when it is not a well-formed filter.
 */
export function checkedFilter(filter: unknown): Filter {
  const issue = filterShapeIssue(filter);
  if (issue) throw new FilterError([issue]);
  return filter as Filter;
}

/** What is wrong with the shape of `filter` (see the module's comment), or undefined when nothing is. */
export function filterShapeIssue(filter: unknown): Issue | undefined {
  const pending: Pending[] = [{ value: filter, place: "filter", depth: 0, parent: undefined }];
  let visited = 0;
  while (pending.length > 0) {
    const { value, place, depth: parentDepth, parent } = pending.pop()!;
    if (++visited > MAX_FILTER_NODES) {
      return invalid(`filter has more than ${MAX_FILTER_NODES} nodes (or a node reached by many paths), more than any function reads`, undefined);
    }
    const problem = nodeProblem(value);
    if (problem) return invalid(`${place}${problem}`, spanOf(value));
    const node = value as FilterNode;
    const depth = parentDepth + (addsLevel(node, parent) ? 1 : 0);
    if (depth > NESTING_CEILING) return nestingIssue(node);
    if (node.type === "not") pending.push({ value: node.operand, place: `${place}.operand`, depth, parent: node });
    else if (node.type === "and" || node.type === "or") {
      for (let i = node.operands.length - 1; i >= 0; i--) pending.push({ value: node.operands[i], place: `${place}.operands[${i}]`, depth, parent: node });
    }
  }
  return undefined;
}

/**
 * The first node nested deeper than `max` (counted as {@link filterShapeIssue} counts), or undefined.
 * For a filter already known to be well-formed: the parser's guard and this measure agree.
 */
export function tooDeepNode(filter: Filter, max: number = NESTING_CEILING): FilterNode | undefined {
  const nodes: FilterNode[] = [filter];
  const depths: number[] = [addsLevel(filter, undefined) ? 1 : 0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return node;
    const children = node.type === "not" ? [node.operand] : node.type === "and" || node.type === "or" ? node.operands : [];
    for (const child of children) {
      nodes.push(child);
      depths.push(depth + (addsLevel(child, node) ? 1 : 0));
    }
  }
  return undefined;
}

/** The issue of a filter nested deeper than {@link NESTING_CEILING}, at the first node too deep. */
export function nestingIssue(node: FilterNode): Issue {
  return issueAt(
    "nesting-too-deep",
    `this filter nests "and", "or" and "not" more than ${NESTING_CEILING} deep here (as its text would nest parentheses and "not"s), deeper than any function reads`,
    node.span,
  );
}

/**
 * Whether `node`, under `parent` (none at the root), is a level of the text: a `not`, an `and`/`or` in
 * parentheses, or an `in` (its list's parentheses count, as the parser counts them).
 */
function addsLevel(node: FilterNode, parent: FilterNode | undefined): boolean {
  if (node.type === "not" || node.type === "in") return true;
  if (node.type !== "and" && node.type !== "or") return false;
  return parent !== undefined && !(parent.type === "or" && node.type === "and");
}

function invalid(message: string, span: unknown): Issue {
  return issueAt("invalid-filter", `not a filter: ${message}`, isSpan(span) ? span : undefined);
}

/** What is wrong with one node itself (its children are looked at in turn), as text after its place. */
function nodeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return ` is ${describe(value)}, not a node`;
  if (value.span !== undefined && !isSpan(value.span)) return ".span is not { start, end } offsets";
  switch (value.type) {
    case "all":
      return undefined;
    case "not":
      return undefined;
    case "and":
    case "or":
      return Array.isArray(value.operands) && value.operands.length > 0 ? undefined : `.operands is not a list of at least one node`;
    case "compare":
      if (!COMPARE_OPS.has(value.op)) return `.op is ${describe(value.op)}, not one of eq, ne, lt, lte, gt, gte`;
      return fieldProblem(value.field) ?? literalProblem(value.value, ".value");
    case "in": {
      if (typeof value.negated !== "boolean") return ".negated is not true or false";
      const fieldIssue = fieldProblem(value.field);
      if (fieldIssue) return fieldIssue;
      // An empty list is well-formed (it matches nothing), though no text can write one: `validate` says so.
      if (!Array.isArray(value.values)) return ".values is not a list of literals";
      for (let i = 0; i < value.values.length; i++) {
        const problem = literalProblem(value.values[i], `.values[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `.type is ${describe(value.type)}, not one of all, and, or, not, compare, in`;
  }
}

function fieldProblem(field: unknown): string | undefined {
  if (!isObject(field)) return `.field is ${describe(field)}, not a field`;
  if (field.span !== undefined && !isSpan(field.span)) return ".field.span is not { start, end } offsets";
  if (field.type === "creator") return undefined;
  if (field.type !== "meta") return `.field.type is ${describe(field.type)}, not "meta" or "creator"`;
  if (!Array.isArray(field.path) || !field.path.every((segment) => typeof segment === "string")) return ".field.path is not a list of names";
  if (field.segmentSpans !== undefined && !(Array.isArray(field.segmentSpans) && field.segmentSpans.every(isSpan))) {
    return ".field.segmentSpans is not a list of { start, end } offsets";
  }
  return undefined;
}

function literalProblem(literal: unknown, place: string): string | undefined {
  if (!isObject(literal)) return `${place} is ${describe(literal)}, not a literal { value }`;
  if (literal.span !== undefined && !isSpan(literal.span)) return `${place}.span is not { start, end } offsets`;
  const value = literal.value;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? undefined
    : `${place}.value is ${describe(value)}, not a string, a number or a boolean`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSpan(value: unknown): value is { start: number; end: number } {
  return isObject(value) && Number.isInteger(value.start) && Number.isInteger(value.end) && (value.start as number) >= 0 && (value.end as number) >= (value.start as number);
}

function spanOf(value: unknown): unknown {
  return isObject(value) ? value.span : undefined;
}

/** A value in a message: strings quoted and cut short, other things by their kind. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  if (value === undefined) return "missing";
  return typeof value === "bigint" || typeof value === "symbol" ? `a ${typeof value}` : String(value);
}
