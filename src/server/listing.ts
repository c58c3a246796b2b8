/**
 * List pages rendered straight to UTF-8 bytes. An image's JSON is the same on every page that shows it,
 * given the origin and account hash its delivery URLs carry, so each stored image's JSON is encoded
 * once (again only if the origin or hash changes) and a page is its images' bytes copied side by side:
 * no per-request image objects, no `JSON.stringify`, no page-sized string to join and then encode.
 */
import { DELIVERY_PREFIX, idPath, imageFields, VARIANTS } from "./images.js";
import type { StoredImage } from "./store.js";

/** An image's JSON as bytes, for delivery URLs under `base`. */
interface Rendered {
  readonly base: string;
  readonly bytes: Uint8Array;
}

/** Records are immutable (a change replaces the record), so a record's bytes never go stale. */
const cache = new WeakMap<StoredImage, Rendered>();

const encoder = new TextEncoder();

/**
 * Where images' bytes are kept: views into shared slabs, not one `ArrayBuffer` each (every buffer is
 * a native allocation that each full garbage collection visits). A slab lives while any view of it does,
 * as in Node's own pool for small `Buffer`s.
 */
const SLAB_BYTES = 64 * 1024;
let slab: Uint8Array<ArrayBuffer> = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function store(text: string): Uint8Array {
  // A UTF-8 byte per UTF-16 unit at least, three at most: too long for any slab, it gets its own buffer.
  if (text.length * 3 > SLAB_BYTES) return encoder.encode(text);
  let { read, written } = encoder.encodeInto(text, slab.subarray(slabUsed));
  if (read !== text.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
    ({ written } = encoder.encodeInto(text, slab));
  }
  const bytes = slab.subarray(slabUsed, slabUsed + written);
  slabUsed += written;
  return bytes;
}

/** The image's JSON as the API shows it; `base` is `"<origin>/imagedelivery/<hash>/`, escaped for JSON. */
function render(image: StoredImage, base: string): Rendered {
  const found = cache.get(image);
  if (found?.base === base) return found;
  // The same keys, in the same order, as `toApiImage`; the URLs' pieces are each escaped for JSON,
  // and escaping is per character, so they join.
  const fields = JSON.stringify(imageFields(image));
  const path = JSON.stringify(idPath(image.id)).slice(1, -1);
  const variants = VARIANTS.map((variant) => `${base}${path}/${variant}"`).join(",");
  const json = `${fields.slice(0, -1)},"variants":[${variants}]${image.draft ? ',"draft":true' : ""}}`;
  const rendered = { base, bytes: store(json) };
  cache.set(image, rendered);
  return rendered;
}

/**
 * `before`, then the JSON array of `images` as the API shows them (delivery URLs under `origin` and
 * `hash`), then `after`, as UTF-8 bytes.
 */
export function renderImages(images: readonly StoredImage[], origin: string, hash: string, before = "", after = ""): Uint8Array<ArrayBuffer> {
  const base = JSON.stringify(`${origin}${DELIVERY_PREFIX}/${hash}/`).slice(0, -1);
  const head = encoder.encode(`${before}[`);
  const tail = encoder.encode(`]${after}`);
  const parts: Uint8Array[] = [];
  let length = head.length + tail.length + Math.max(0, images.length - 1);
  for (const image of images) {
    const { bytes } = render(image, base);
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
