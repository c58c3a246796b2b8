/**
 * `imgmeta/integrations`: the filter language meets Cloudflare's clients — every image a filter selects
 * through the official SDK or `fetch` (`listImages`), the SDK's list params (`toListParams`), and the
 * Workers Images binding's filter (`toBindingFilter`).
 * @module
 */
import { refuseOptions, withFilter } from "./input.js";
import { parse } from "./parse.js";
import { imagesOf, type FetchSource, type Image, type ImagesSdkClient, type ListImagesOptions } from "./integrations/list-images.js";
import type { LimitOptions } from "./semantics/limits.js";
import { listOptionIssues } from "./semantics/parameters.js";
import type { Filter } from "./syntax/ast.js";
import { bindingFilterOf, type BindingFilter } from "./targets/binding.js";
import { listParamsOf, type ListParams } from "./targets/sdk.js";

export { type ListParams } from "./targets/sdk.js";
export { type BindingFilter, type BindingFilterValue, type BindingOperators } from "./targets/binding.js";
export {
  ImagesApiError,
  type FetchSource,
  type Image,
  type ImagesSdkClient,
  type ListImagesOptions,
} from "./integrations/list-images.js";

/**
 * The filter as the `meta`/`creator` params of the official SDK's `client.images.v2.list()`:
 * `client.images.v2.list({ account_id, ...toListParams(filter) })`.
 * @throws FilterError when the text does not parse, the filter is not well-formed or nested too deep, the
 *   API cannot express it, or two conditions need the same key (`duplicate-param`: the SDK's `meta`
 *   object cannot hold a key twice; use `toSearchParams` with your own request).
 */
export function toListParams(filterOrText: Filter | string, options?: LimitOptions): ListParams {
  return withFilter(filterOrText, options, (filter) => listParamsOf(filter, options), parse);
}

/**
 * The filter as the `filter` option of the Workers Images binding's `list()` (`env.IMAGES.hosted.list`):
 * `{ metadata: { "region.name": "eu-west", priority: { in: [4, 5] }, rating: { gte: 4, lt: 5 } } }`.
 * @throws FilterError when the text does not parse, the filter is not well-formed or nested too deep, or
 *   the binding cannot express it: negations, `or` across fields, `creator` (pass it as
 *   `list({ creator })`), conditions that can never all hold, and everything the REST API refuses too.
 */
export function toBindingFilter(filterOrText: Filter | string, options?: LimitOptions): BindingFilter {
  return withFilter(filterOrText, options, (filter) => bindingFilterOf(filter, options), parse);
}

/**
 * Yields exactly the images a filter selects, walking every page: the part the API can evaluate is sent
 * as query parameters (see `plan`), the residual applied locally. Nothing is read or sent until the
 * iteration starts.
 * @throws FilterError when `perPage`/`sortOrder` are out of the API's bounds, or the filter text does
 *   not parse, or the filter is not well-formed (`null` too: only an absent filter means every image) or
 *   nested too deep; ImagesApiError when the API answers with an error (after the retries), with
 *   something that is not a page of images, or with a continuation token it gave before (no endless
 *   walk); the error of `fetch` when no answer comes (after the retries); the signal's reason when aborted.
 */
export async function* listImages(source: ImagesSdkClient | FetchSource, options: ListImagesOptions): AsyncGenerator<Image, void, undefined> {
  refuseOptions(listOptionIssues(options));
  // Only an absent filter means every image: `null` (say, from JSON) is no filter, and is refused as one.
  yield* withFilter(options.filter === undefined ? "" : options.filter, undefined, (filter) => imagesOf(source, filter, options), parse);
}
