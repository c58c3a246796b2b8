/**
 * The nesting guard for filters that were not parsed: a hand-built (or deserialised) filter can nest as
 * deep as it likes, or even be cyclic, and every function that walks it recurses. Each function that
 * takes a filter measures it first, without recursion, and refuses one nested deeper than
 * {@link NESTING_CEILING} with the `nesting-too-deep` issue that text that deep gets from the parser.
 */
import type { Filter, FilterNode } from "../syntax/ast.js";
import { FilterError, issueAt, type Issue } from "../syntax/issues.js";
import { NESTING_CEILING } from "./limits.js";

/**
 * The first node nested deeper than `max`, or undefined. Depth is counted as the filter's text nests
 * (see `format`): each `not` is a level, and so is each `and` or `or` that needs parentheses (under a
 * `not`, under another of its kind, or an `or` under an `and`) and each `in` list. A parsed filter is
 * never deeper than its text, so whatever the parser accepted passes. One loop over an explicit stack,
 * which stops at the first node too deep: a cyclic filter ends there too.
 */
export function tooDeepNode(filter: Filter, max: number = NESTING_CEILING): FilterNode | undefined {
  const nodes: FilterNode[] = [filter];
  const depths: number[] = [addsLevel(filter, undefined) ? 1 : 0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return node;
    // Tolerant of shapes the types forbid (no operand): the walkers report those, not this guard.
    const children = node.type === "not" ? [node.operand] : node.type === "and" || node.type === "or" ? node.operands : undefined;
    if (!Array.isArray(children)) continue;
    for (const child of children as unknown[]) {
      if (typeof child !== "object" || child === null) continue;
      nodes.push(child as FilterNode);
      depths.push(depth + (addsLevel(child as FilterNode, node) ? 1 : 0));
    }
  }
  return undefined;
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

/** The issue of a filter nested deeper than {@link NESTING_CEILING}, at the first node too deep. */
export function nestingIssue(node: FilterNode): Issue {
  return issueAt(
    "nesting-too-deep",
    `this filter nests "and", "or" and "not" more than ${NESTING_CEILING} deep here (as its text would nest parentheses and "not"s), deeper than any function reads`,
    node.span,
  );
}

/**
 * `filter` as it is, once measured.
 * @throws FilterError (`nesting-too-deep`) when it is nested deeper than {@link NESTING_CEILING}.
 */
export function checkNesting<T extends Filter>(filter: T): T {
  const deep = tooDeepNode(filter);
  if (deep) throw new FilterError([nestingIssue(deep)]);
  return filter;
}
