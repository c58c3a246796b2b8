/**
 * Type-level test, checked by `npm run typecheck`: `toListParams` spreads into the official SDK's
 * `client.images.v2.list()` with no cast, where a literal `meta` with real keys does not compile.
 */
import type Cloudflare from "cloudflare";
import { toListParams } from "../../src/integrations.js";

export function listActive(client: Cloudflare): unknown {
  return client.images.v2.list({ account_id: "acc", ...toListParams('status = "active" and priority in (4, 5)') });
}

export function literalMetaIsRefused(client: Cloudflare): unknown {
  // The SDK's `Meta` type only knows the placeholder key '<field>[<operator>]': that is why toListParams exists.
  // @ts-expect-error Object literal may only specify known properties
  return client.images.v2.list({ account_id: "acc", meta: { "status[eq]": "active" } });
}
