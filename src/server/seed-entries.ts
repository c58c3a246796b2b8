/**
 * Seed records given as the List V2 result shows images (`id`, `creator`, `meta`, `filename`,
 * `uploaded`, `requireSignedURLs`; `variants` is read and ignored), optionally with their bytes in
 * base64; a placeholder PNG where none are given. Each record is checked by the store's own rules, and
 * a bad one is a {@link RecordError} naming the entry and the field, before anything is stored.
 */
import { fromBase64 } from "./base64.js";
import { isUuid, parseDateTime } from "./fields.js";
import { detectFormat, FORMAT_NAMES } from "./formats.js";
import type { Metadata } from "./metadata.js";
import { placeholderPng } from "./placeholder.js";
import { RecordError } from "./record-error.js";
import { recordProblem, type StoredImage } from "./store.js";

/** One seeded image, as List images V2 shows it; only `id` is required. */
export interface SeedImage {
  readonly id: string;
  /** `null` or `""` (the default): no creator. */
  readonly creator?: string | null | undefined;
  /** Default `{}`. */
  readonly meta?: Metadata | undefined;
  /** Default `image.<format>` (`image.png` for a placeholder). */
  readonly filename?: string | undefined;
  /** An RFC 3339 date-time, e.g. `2026-01-02T03:04:05.678Z`; default: when the seed is loaded. */
  readonly uploaded?: string | undefined;
  /** Default false; an id that is not a UUID is a custom id, which cannot require signed URLs. */
  readonly requireSignedURLs?: boolean | undefined;
  /** Ignored: the emulator makes them (so that a List V2 result can be fed back as a seed). */
  readonly variants?: readonly string[] | undefined;
  /** The image's bytes, or base64 of them; default a placeholder PNG of a colour derived from the id. */
  readonly bytes?: Uint8Array | string | undefined;
}

const FIELDS = ["id", "creator", "meta", "filename", "uploaded", "requireSignedURLs", "variants", "bytes"];

/**
 * The images of a seed: an array of {@link SeedImage}, or an object holding one as `images` (a List V2
 * `result`) or as `result.images` (a whole List V2 answer).
 * @param source names the seed in errors (`seed`, or the file's path).
 * @param now the upload time of images that give none (ms since the epoch).
 * @throws RecordError naming the entry (index and id) and the field, for the first bad entry.
 */
export function seedRecords(seed: unknown, source: string, now: number): StoredImage[] {
  const entries = imagesOf(seed);
  if (entries === undefined) {
    throw new RecordError({ source, problem: "a seed is a JSON array of images as List images V2 shows them, or an object with such an array as images or result.images" });
  }
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const fail = (field: string | undefined, problem: string, id?: string): never => {
      throw new RecordError({ source, entry: index, id, field, problem });
    };
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail(undefined, "is not an object");
    const fields = entry as Record<string, unknown>;
    const id = typeof fields["id"] === "string" ? fields["id"] : undefined;
    for (const key of Object.keys(fields)) {
      if (!FIELDS.includes(key)) {
        fail(key, `is not a field of an image${key === "metadata" ? " (List V2 calls it meta)" : ""}; the fields are ${FIELDS.join(", ")}`, id);
      }
    }
    if (id === undefined) return fail("id", "id is required, and must be a string");
    const earlier = seen.get(id);
    if (earlier !== undefined) fail("id", `entry ${earlier} has this id too`, id);
    seen.set(id, index);

    const { creator = null, meta = {}, filename, uploaded, requireSignedURLs = false, variants, bytes } = fields;
    if (creator !== null && typeof creator !== "string") fail("creator", "creator must be a string or null", id);
    if (typeof requireSignedURLs !== "boolean") fail("requireSignedURLs", "requireSignedURLs must be true or false", id);
    if (filename !== undefined && typeof filename !== "string") fail("filename", "filename must be a string", id);
    if (variants !== undefined && !(Array.isArray(variants) && variants.every((variant) => typeof variant === "string"))) {
      fail("variants", "variants must be an array of strings (it is ignored: the emulator makes them)", id);
    }
    let time = now;
    if (uploaded !== undefined) {
      time = typeof uploaded === "string" ? parseDateTime(uploaded) : NaN;
      if (Number.isNaN(time)) fail("uploaded", `uploaded must be an RFC 3339 date-time such as "2026-01-02T03:04:05.678Z", not ${JSON.stringify(uploaded)}`, id);
    }
    let data: Uint8Array<ArrayBuffer> | undefined;
    if (bytes === undefined) data = placeholderPng(id);
    else if (typeof bytes === "string") data = fromBase64(bytes) ?? fail("bytes", "bytes must be base64 (RFC 4648, with padding)", id);
    else if (bytes instanceof Uint8Array) data = new Uint8Array(bytes);
    else fail("bytes", "bytes must be base64 text (or a Uint8Array)", id);
    const format = detectFormat(data!);
    if (!format) return fail("bytes", `bytes must be an image: ${FORMAT_NAMES}, recognised by its bytes as an upload is`, id);
    const image: StoredImage = {
      id,
      customId: !isUuid(id),
      creator: creator === "" ? null : (creator as string | null),
      meta: meta as Metadata,
      requireSignedURLs: requireSignedURLs as boolean,
      uploaded: time,
      draft: false,
      uploadExpires: null,
      filename: (filename as string | undefined) ?? `image.${format.name}`,
      format: format.name,
      bytes: data!,
    };
    const problem = recordProblem(image);
    if (problem) fail(problem.field, problem.problem, id);
    return image;
  });
}

function imagesOf(seed: unknown): readonly unknown[] | undefined {
  if (Array.isArray(seed)) return seed;
  if (typeof seed !== "object" || seed === null) return undefined;
  const { images, result } = seed as { images?: unknown; result?: unknown };
  if (Array.isArray(images)) return images;
  return typeof result === "object" && result !== null && Array.isArray((result as { images?: unknown }).images) ? (result as { images: unknown[] }).images : undefined;
}
