/**
 * List pages rendered straight to JSON text. An image's JSON is the same on every page that shows it
 * except for its delivery URLs (they carry the request's origin and account hash), so each stored
 * image's JSON is made once, in two pieces around those URLs, and a page is string concatenation:
 * no per-request image objects, no `JSON.stringify` of metadata.
 */
import { DELIVERY_PREFIX, idPath, imageFields, VARIANTS } from "./images.js";
import type { StoredImage } from "./store.js";

interface Pieces {
  /** `{"id":…,…,"uploaded":"…","variants":[` */
  readonly head: string;
  /** The id as URL path segments, escaped for inside a JSON string. */
  readonly path: string;
  /** `]}` (or `],"draft":true}`). */
  readonly tail: string;
}

/** Records are immutable (a change replaces the record), so a record's pieces never go stale. */
const cache = new WeakMap<StoredImage, Pieces>();

function pieces(image: StoredImage): Pieces {
  let found = cache.get(image);
  if (found) return found;
  // The same keys, in the same order, as `toApiImage`.
  const json = JSON.stringify(imageFields(image));
  found = {
    head: `${json.slice(0, -1)},"variants":[`,
    path: JSON.stringify(idPath(image.id)).slice(1, -1),
    tail: image.draft ? '],"draft":true}' : "]}",
  };
  cache.set(image, found);
  return found;
}

/** The JSON array of images as the API shows them, for delivery URLs under `origin` and `hash`. */
export function renderImages(images: readonly StoredImage[], origin: string, hash: string): string {
  // `"<origin>/imagedelivery/<hash>/` escaped once per page; escaping is per character, so pieces join.
  const base = JSON.stringify(`${origin}${DELIVERY_PREFIX}/${hash}/`).slice(0, -1);
  const suffixes = VARIANTS.map((variant) => `/${variant}"`);
  let out = "[";
  for (let i = 0; i < images.length; i++) {
    const { head, path, tail } = pieces(images[i]!);
    if (i > 0) out += ",";
    out += head;
    for (let v = 0; v < suffixes.length; v++) out += (v > 0 ? "," : "") + base + path + suffixes[v]!;
    out += tail;
  }
  return `${out}]`;
}
