/**
 * List pages rendered straight to UTF-8 bytes. An image's JSON is the same on every page that shows it,
 * given the origin and account hash its delivery URLs carry, so each stored image's JSON is encoded
 * once for each (see `caches`) and a page is its images' bytes copied side by side:
 * no per-request image objects, no `JSON.stringify`, no page-sized string to join and then encode.
 */
import { DELIVERY_PREFIX, idPath, imageFields, VARIANTS } from "./images.js";
import type { StoredImage } from "./store.js";

/**
 * Each record's bytes, per delivery base (origin and account hash): a client that reaches the emulator
 * by two names, or lists two accounts, keeps a cache for each. Records are immutable (a change replaces
 * the record), so a record's bytes never go stale.
 */
const caches = new Map<string, WeakMap<StoredImage, Uint8Array>>();
/** Bases kept at once; a new one beyond makes the oldest go (first in, first out: no reordering per use). */
const MAX_BASES = 8;

const encoder = new TextEncoder();

function cacheFor(base: string): WeakMap<StoredImage, Uint8Array> {
  let cache = caches.get(base);
  if (!cache) {
    if (caches.size >= MAX_BASES) caches.delete(caches.keys().next().value!);
    caches.set(base, (cache = new WeakMap()));
  }
  return cache;
}

/** The image's JSON as the API shows it; `base` is `"<origin>/imagedelivery/<hash>/`, escaped for JSON. */
function render(image: StoredImage, base: string): Uint8Array {
  // The same keys, in the same order, as `toApiImage`; the URLs' pieces are each escaped for JSON,
  // and escaping is per character, so they join.
  const fields = JSON.stringify(imageFields(image));
  const path = JSON.stringify(idPath(image.id)).slice(1, -1);
  const variants = VARIANTS.map((variant) => `${base}${path}/${variant}"`).join(",");
  const json = `${fields.slice(0, -1)},"variants":[${variants}]${image.draft ? ',"draft":true' : ""}}`;
  // Each its own buffer, of its exact size: views into shared slabs would cost fewer native allocations
  // (a full GC over 100,000 rendered images: ~5 ms with 8 KB slabs, ~10 ms this way), but a slab lives while
  // any view of it does, so a few images kept from many dropped ones could hold 10-100x their bytes.
  return encoder.encode(json);
}

/**
 * `before`, then the JSON array of `images` as the API shows them (delivery URLs under `origin` and
 * `hash`), then `after`, as UTF-8 bytes.
 */
export function renderImages(images: readonly StoredImage[], origin: string, hash: string, before = "", after = ""): Uint8Array<ArrayBuffer> {
  const base = JSON.stringify(`${origin}${DELIVERY_PREFIX}/${hash}/`).slice(0, -1);
  const head = encoder.encode(`${before}[`);
  const tail = encoder.encode(`]${after}`);
  const cache = cacheFor(base);
  const parts: Uint8Array[] = [];
  let length = head.length + tail.length + Math.max(0, images.length - 1);
  for (const image of images) {
    let bytes = cache.get(image);
    if (!bytes) cache.set(image, (bytes = render(image, base)));
    parts.push(bytes);
    length += bytes.length;
  }
  const out = new Uint8Array(length);
  out.set(head);
  let at = head.length;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out[at++] = 0x2c; // ,
    out.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  out.set(tail, at);
  return out;
}
