/**
 * Generators for the emulator's property tests: stored images built from the shared `imageArb`, with
 * few distinct upload times (so ties broken by id are common) and unique, oddly ordered ids.
 */
import fc from "fast-check";
import type { StoredImage } from "../../src/server/index.js";
import { imageArb } from "./arbitraries.js";

const ONE_PIXEL = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A stored image from an image record, an id and an upload time. */
export function storedImage(id: string, uploaded: number, record: { readonly creator?: string | null | undefined; readonly meta?: unknown }): StoredImage {
  const meta = record.meta;
  return {
    id,
    customId: true,
    creator: record.creator ?? null,
    // The API only stores objects as metadata; anything else becomes none.
    meta: typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {},
    requireSignedURLs: false,
    uploaded,
    draft: false,
    uploadExpires: null,
    filename: "p.png",
    format: "png",
    bytes: ONE_PIXEL,
  };
}

/** An id: short, from a mix of characters whose UTF-16 order is easy to get wrong (a `/` inside only, as the API allows). */
export const idArb: fc.Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 4, unit: fc.constantFrom("a", "b", "B", "0", "/", "-", "é", "😀", "\uffff") })
  .filter((id) => !id.startsWith("/") && !id.endsWith("/"));

/** A set of stored images with unique ids and upload times among a handful of instants. */
export const storedImagesArb: fc.Arbitrary<StoredImage[]> = fc
  .uniqueArray(fc.record({ id: idArb, uploaded: fc.integer({ min: 0, max: 6 }), record: imageArb }), {
    maxLength: 45,
    // Large sets, so that walks span several pages.
    size: "max",
    selector: (entry) => entry.id,
  })
  .map((entries) => entries.map(({ id, uploaded, record }) => storedImage(id, 1_700_000_000_000 + uploaded * 1000, record)));
