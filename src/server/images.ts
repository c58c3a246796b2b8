/**
 * Images as the API shows them, and the URLs the emulator hands out: variants (delivery) and
 * direct-upload URLs, both pointing back at the emulator's own origin.
 */
import type { StoredImage } from "./store.js";

/** The variants every image is delivered in (each serves the original bytes). */
export const VARIANTS = ["public", "thumbnail"] as const;

/** Path prefix of image delivery: `/imagedelivery/<account hash>/<id>/<variant>` (like imagedelivery.net). */
export const DELIVERY_PREFIX = "/imagedelivery";
/**
 * Path prefix of direct-upload URLs: `/upload/<account hash>/<token>/<id>` (like upload.imagedelivery.net,
 * plus a random token: a custom id alone would make the URL guessable).
 */
export const UPLOAD_PREFIX = "/upload";

/** An image as `GET images/v1/:id` and the lists return it. */
export interface ApiImage {
  readonly id: string;
  readonly filename?: string;
  readonly creator: string | null;
  readonly meta: Record<string, unknown>;
  readonly requireSignedURLs: boolean;
  readonly uploaded: string;
  readonly variants: readonly string[];
  readonly draft?: true;
}

/**
 * A short stable hash standing for an account in URLs (the real API's "account hash"), FNV-1a over
 * the account id.
 */
export function accountHash(accountId: string): string {
  let hash = 0x811c9dc5;
  let hash2 = 0x01000193;
  for (let i = 0; i < accountId.length; i++) {
    const code = accountId.charCodeAt(i);
    hash = Math.imul(hash ^ code, 0x01000193) >>> 0;
    hash2 = Math.imul(hash2 ^ code, 0x811c9dc5) >>> 0;
  }
  return hash.toString(36).padStart(7, "0") + hash2.toString(36).padStart(7, "0");
}

/**
 * An id as URL path segments, like the real delivery URLs: the subpaths of a custom id stay paths
 * (`folder/a.png`), each segment percent-encoded (`%` as `%25`).
 */
export function idPath(id: string): string {
  return id.split("/").map(encodeURIComponent).join("/");
}

/**
 * The id in the segments of a path (the inverse of {@link idPath}; `%2F` is accepted for `/` too), or
 * `undefined` when they are not valid percent-encoding.
 */
export function idFromSegments(segments: readonly string[]): string | undefined {
  try {
    return segments.map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

/** Where an image is delivered in one variant. */
export function deliveryUrl(origin: string, hash: string, id: string, variant: string): string {
  return `${origin}${DELIVERY_PREFIX}/${hash}/${idPath(id)}/${variant}`;
}

/** The one-time URL a draft's image is uploaded to; `token` is the draft's unguessable upload token. */
export function uploadUrl(origin: string, hash: string, token: string, id: string): string {
  return `${origin}${UPLOAD_PREFIX}/${hash}/${token}/${idPath(id)}`;
}

/** The fields of an image as the API shows them, before its `variants` (and `draft`), in the API's order. */
export function imageFields(image: StoredImage): Omit<ApiImage, "variants" | "draft"> {
  return {
    id: image.id,
    ...(image.filename !== null ? { filename: image.filename } : {}),
    creator: image.creator,
    meta: image.meta,
    requireSignedURLs: image.requireSignedURLs,
    uploaded: new Date(image.uploaded).toISOString(),
  };
}

/** The API's view of a stored image. */
export function toApiImage(image: StoredImage, origin: string, hash: string): ApiImage {
  return {
    ...imageFields(image),
    variants: VARIANTS.map((variant) => deliveryUrl(origin, hash, image.id, variant)),
    ...(image.draft ? { draft: true as const } : {}),
  };
}
