/**
 * Predicate pushdown, the decision: which conditions of a filter the API is sent, and which are applied
 * locally to what it returns. One definition, used by `plan` (which turns it into parameters and a
 * residual) and by `check(text, { target: "plan" })` (which tells the user what will be applied locally,
 * and why), so that what the box says and what the search does cannot drift apart.
 *
 * The filter's normal form is a list of conjuncts. A conjunct is pushable when the API can evaluate it on
 * its own; the pushable ones are then taken by narrowness (equalities, then lists with fewer values first,
 * then ranges; ties keep the written order) within the budget: one creator, `maxFilters` metadata filters,
 * and with `uniqueKeys` one condition per parameter key.
 */
import type { ConditionNode, FilterNode } from "../syntax/ast.js";
import { issueAt, type Issue } from "../syntax/issues.js";
import type { Limits } from "./limits.js";
import { conditionParam } from "./parameters.js";
import { conjuncts, validateNormal } from "./validate.js";

/** Options of {@link pushdown}. */
export interface PushdownOptions {
  /**
   * Push at most one condition per parameter key, for clients that take the parameters as an object
   * (the official SDK's `meta`). Default false.
   */
  readonly uniqueKeys?: boolean;
}

/** A conjunct kept local, and why the API is not sent it. */
export interface LocalConjunct {
  readonly node: FilterNode;
  /**
   * Why (at least one issue, errors as `validate` would report them for the API): what the API cannot
   * express in the conjunct, or the budget it fell outside of (`too-many-filters`, `duplicate-creator`,
   * `duplicate-param`).
   */
  readonly reasons: readonly Issue[];
}

/** The split of a filter's normal form. Both lists keep the written order. */
export interface Pushdown {
  /** The conditions sent to the API, each a parameter (`conditionParam`). */
  readonly pushed: readonly ConditionNode[];
  /** The conjuncts applied locally. */
  readonly local: readonly LocalConjunct[];
}

/** Splits a filter in normal form into what the API is sent and what stays local (see the module). */
export function pushdown(normal: FilterNode, limits: Limits, options?: PushdownOptions): Pushdown {
  const all = conjuncts(normal);
  // What the API cannot express in each conjunct on its own (count limits aside).
  const unexpressible = new Map<FilterNode, Issue[]>();
  for (const node of all) {
    const issues = validateNormal(node, { ...limits, maxFilters: Infinity });
    if (issues.length > 0) unexpressible.set(node, issues);
  }
  const pushable = all.filter((node) => !unexpressible.has(node)) as ConditionNode[];

  const chosen = new Set<FilterNode>();
  const budget = new Map<FilterNode, Issue>();
  const keys = new Set<string>();
  let metadata = 0;
  for (const node of [...pushable].sort(byNarrowness)) {
    const [key] = conditionParam(node);
    const isCreator = key === "creator";
    // One creator at most (the API takes one); as many metadata filters as the limit allows.
    if (isCreator && keys.has(key)) {
      budget.set(node, issueAt("duplicate-creator", "the API takes one creator condition; this is a second one", node.span));
    } else if (!isCreator && metadata >= limits.maxFilters) {
      const message = `the API accepts at most ${limits.maxFilters} metadata filters, and the ${limits.maxFilters} sent narrow the search more`;
      budget.set(node, issueAt("too-many-filters", message, node.span));
    } else if (options?.uniqueKeys && keys.has(key)) {
      budget.set(node, issueAt("duplicate-param", "another condition already uses this parameter key, which can be sent once", node.span));
    } else {
      if (!isCreator) metadata++;
      keys.add(key);
      chosen.add(node);
    }
  }
  return {
    pushed: pushable.filter((node) => chosen.has(node)),
    local: all.filter((node) => !chosen.has(node)).map((node) => ({ node, reasons: unexpressible.get(node) ?? [budget.get(node)!] })),
  };
}

/** Equalities narrow most, then lists (fewer values first), then ranges; ties keep the written order. */
function rank(node: ConditionNode): number {
  if (node.type === "compare") return node.op === "eq" ? 0 : 100;
  return 1 + node.values.length;
}

function byNarrowness(a: ConditionNode, b: ConditionNode): number {
  return rank(a) - rank(b);
}
