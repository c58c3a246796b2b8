/**
 * Filter → the `meta`/`creator` params of the official `cloudflare` SDK's `client.images.v2.list()`.
 * The SDK sends `meta: { "status[eq:string]": "active" }` as `meta.status[eq:string]=active`.
 */
import type { Filter } from "../syntax/ast.js";
import { FilterError, issueAt } from "../syntax/issues.js";
import { resolveLimits, type LimitOptions } from "../semantics/limits.js";
import { conditionParam, paramConditions } from "../semantics/parameters.js";

/**
 * What `toListParams` returns: spread it into `client.images.v2.list({ account_id, ...params })`.
 * `meta` is a plain string record, which the SDK accepts without a cast (its own `Meta` type only knows
 * the placeholder key `'<field>[<operator>]'`, so an object literal with real keys would not compile).
 */
export interface ListParams {
  /** Filters keyed `<path>[<op>:<type>]`. */
  meta: Record<string, string>;
  /** The creator filter, when there is one (`""` means images with no creator). */
  creator?: string;
}

/**
 * The filter as SDK list params.
 * @throws FilterError (without text) when the API cannot express the filter, or when two conditions need
 *   the same key (the SDK's `meta` object cannot hold a key twice; use `toSearchParams` with your own
 *   request): `duplicate-param` at the second.
 */
export function listParamsOf(filter: Filter, options?: LimitOptions): ListParams {
  const meta: Record<string, string> = {};
  const params: ListParams = { meta };
  for (const node of paramConditions(filter, resolveLimits(options))) {
    const [key, value] = conditionParam(node);
    if (key === "creator") {
      params.creator = value;
      continue;
    }
    const metaKey = key.slice("meta.".length);
    if (Object.hasOwn(meta, metaKey)) {
      throw new FilterError([
        issueAt(
          "duplicate-param",
          `two filters need the key ${JSON.stringify(metaKey)}, which the SDK's meta object cannot hold twice; combine them, or send toSearchParams() yourself`,
          node.span,
        ),
      ]);
    }
    meta[metaKey] = value;
  }
  return params;
}
