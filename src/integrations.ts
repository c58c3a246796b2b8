/**
 * `imgmeta/integrations`: the filter language meets Cloudflare's clients — every image a filter selects
 * through the official SDK or `fetch` (`listImages`), the SDK's list params (`toListParams`), and the
 * Workers Images binding's filter (`toBindingFilter`).
 * @module
 */
export { toListParams, type ListParams } from "./targets/sdk.js";
export {
  toBindingFilter,
  type BindingFilter,
  type BindingFilterValue,
  type BindingOperators,
} from "./targets/binding.js";
export {
  listImages,
  ImagesApiError,
  type FetchSource,
  type Image,
  type ImagesSdkClient,
  type ListImagesOptions,
} from "./integrations/list-images.js";
