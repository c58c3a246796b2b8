/**
 * Predicate pushdown: split any filter into the part the API can evaluate (query parameters, within every
 * limit) and a residual filter to apply locally. What the API selects AND what the residual selects is
 * exactly what the whole filter selects; a property test proves it.
 */
import type { Filter, FilterNode } from "../syntax/ast.js";
import { FilterError } from "../syntax/issues.js";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { normalize } from "../semantics/normalize.js";
import { conditionParam } from "../semantics/parameters.js";
import { pushdown } from "../semantics/pushdown.js";
import { validateNormal } from "../semantics/validate.js";

/** Options for `plan`. */
export interface PlanOptions extends LimitOptions {
  /**
   * When false, a filter the API cannot evaluate whole is refused: `plan` throws the validation issues
   * instead of returning a residual. Default true.
   */
  readonly allowResidual?: boolean;
  /**
   * Push at most one condition per parameter key, for clients that take the parameters as an object
   * (the official SDK's `meta`); the others stay in the residual. Default false.
   */
  readonly uniqueKeys?: boolean;
}

/** The outcome of `plan`. */
export interface Plan {
  /** The parameters to send to `GET /accounts/{id}/images/v2` (filters only). */
  readonly params: URLSearchParams;
  /** The filter part the API cannot evaluate, to apply to what it returns; null when there is none. */
  readonly residual: FilterNode | null;
  /** True when the API evaluates the whole filter (`residual` is null). */
  readonly exact: boolean;
  /** The conditions sent, as one filter (`{ type: "all" }` when none). */
  readonly pushed: FilterNode;
}

/**
 * Splits a filter into pushed parameters and a local residual. Conditions that narrow the result most go
 * first: equalities, then lists (shortest first), then ranges; conditions beyond the API's limits, and
 * everything it cannot express (`or` across fields, negations, lists with `|`...), stay in the residual.
 * @throws FilterError (without text) when `allowResidual` is false and a residual is needed.
 */
export function planOf(filter: Filter, options?: PlanOptions): Plan {
  const limits = resolveLimits(options);
  const normal = normalize(filter);
  const { pushed: pushedNodes, local } = pushdown(normal, limits, options);
  const rest = local.map((part) => part.node);
  const residual = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : ({ type: "and", operands: rest } as const);

  if (residual && options?.allowResidual === false) {
    const issues = validateNormal(normal, limits);
    // What the API could take but this plan could not send: a second condition on a key already used.
    if (issues.length === 0) issues.push(...local.flatMap((part) => part.reasons));
    throw new FilterError(issues);
  }
  const pushed: FilterNode =
    pushedNodes.length === 0 ? { type: "all" } : pushedNodes.length === 1 ? pushedNodes[0]! : { type: "and", operands: [...pushedNodes] };
  return { params: new URLSearchParams(pushedNodes.map(conditionParam)), residual, exact: residual === null, pushed };
}
