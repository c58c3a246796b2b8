/**
 * Type-level test against `@cloudflare/workers-types` (checked by `npm run typecheck`): what
 * `toBindingFilter` returns is the binding's `ImageListFilter`, usable as `list({ filter })`.
 */
import { toBindingFilter } from "../../../src/integrations.js";

export async function listEuWest(images: ImagesBinding): Promise<ImageList> {
  const filter: ImageListFilter = toBindingFilter('region.name = "eu-west" and rating >= 4');
  const options: ImageListOptions = { filter, limit: 50 };
  return images.hosted.list(options);
}
