/**
 * Filter → the `filter` option of the Workers Images binding's `list()` (`env.IMAGES.hosted.list`):
 * `{ metadata: { "region.name": "eu-west", priority: { in: [4, 5] }, rating: { gte: 4, lt: 5 } } }`.
 * Conditions on one path merge into one object; what the binding cannot express is refused with issues.
 */
import type { CompareNode, Filter, FilterNode, InNode, Scalar } from "../syntax/ast.js";
import { FilterError, hasErrors, issueAt, sortIssues, type Issue } from "../syntax/issues.js";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { normalize } from "../semantics/normalize.js";
import { conjuncts, validateNormal } from "../semantics/validate.js";

/** The operators of one path, as `@cloudflare/workers-types` declares `ImageMetadataFilterOperators`. */
export interface BindingOperators {
  eq?: string | number | boolean;
  in?: string[] | number[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** A path's condition: a bare value (equality) or operators. */
export type BindingFilterValue = string | number | boolean | BindingOperators;

/** The binding's `ImageListFilter`. */
export interface BindingFilter {
  metadata?: Record<string, BindingFilterValue>;
}

/** What one path collects before it is written out. */
interface PathConditions {
  readonly first: FilterNode;
  eq: Scalar[];
  lists: Scalar[][];
  ranges: { gt?: number; gte?: number; lt?: number; lte?: number };
}

/**
 * The filter as the binding's `filter` option.
 * @throws FilterError (without text) when the binding cannot express the filter: negations, `or` across
 *   fields, `creator` (pass it as `list({ creator })`), conditions that can never all hold, and everything
 *   the REST API refuses too but for the rules of its query-string form (see `validate`'s `"binding"`).
 */
export function bindingFilterOf(filter: Filter, options?: LimitOptions): BindingFilter {
  const normal = normalize(filter);
  const issues = validateNormal(normal, resolveLimits(options), "binding");
  if (hasErrors(issues)) throw new FilterError(issues);
  const byPath = new Map<string, PathConditions>();
  for (const node of conjuncts(normal)) collect(byPath, node as CompareNode | InNode);
  const metadata: Record<string, BindingFilterValue> = {};
  for (const [path, conditions] of byPath) {
    const value = write(path, conditions, issues);
    if (value !== undefined) Object.defineProperty(metadata, path, { value, enumerable: true, writable: true, configurable: true });
  }
  if (hasErrors(issues)) throw new FilterError(sortIssues(issues));
  return byPath.size === 0 ? {} : { metadata };
}

function collect(byPath: Map<string, PathConditions>, node: CompareNode | InNode): void {
  if (node.field.type !== "meta") return;
  const path = node.field.path.join(".");
  let conditions = byPath.get(path);
  if (!conditions) {
    conditions = { first: node, eq: [], lists: [], ranges: {} };
    byPath.set(path, conditions);
  }
  if (node.type === "in") {
    conditions.lists.push(node.values.map((literal) => literal.value));
    return;
  }
  const value = node.value.value;
  const ranges = conditions.ranges;
  switch (node.op) {
    case "eq":
      conditions.eq.push(value);
      return;
    // Two bounds of one kind: the stricter one is the one that matters.
    case "gt":
    case "gte":
      ranges[node.op] = Math.max(ranges[node.op] ?? -Infinity, value as number);
      return;
    case "lt":
    case "lte":
      ranges[node.op] = Math.min(ranges[node.op] ?? Infinity, value as number);
      return;
    case "ne":
      return;
  }
}

/** One path's merged condition, or an issue when its conditions can never all hold. */
function write(path: string, conditions: PathConditions, issues: Issue[]): BindingFilterValue | undefined {
  const { eq, lists, ranges } = conditions;
  // The values every equality and every list allows (undefined: no equality or list on this path).
  let allowed: Scalar[] | undefined = eq.length === 0 ? undefined : eq.every((value) => value === eq[0]) ? [eq[0]!] : [];
  for (const candidates of lists) {
    allowed = allowed === undefined ? [...candidates] : allowed.filter((value) => candidates.includes(value));
  }
  if (allowed !== undefined && allowed.length === 0) {
    issues.push(
      issueAt(
        "conflicting-conditions",
        `the conditions on ${path} can never all hold, so the filter matches nothing; the binding's filter cannot say that`,
        conditions.first.span,
      ),
    );
    return undefined;
  }
  const operators: BindingOperators = { ...ranges };
  if (allowed !== undefined) {
    if (allowed.length === 1 || eq.length > 0) operators.eq = allowed[0]!;
    else operators.in = allowed as string[] | number[];
  }
  const keys = Object.keys(operators);
  return keys.length === 1 && keys[0] === "eq" ? operators.eq! : operators;
}
