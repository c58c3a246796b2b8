/**
 * Image formats recognised by their bytes, never by a file name or a declared content type.
 */

/** A format the emulator accepts, with the content type it is served with. */
export interface ImageFormat {
  readonly name: "png" | "jpeg" | "gif" | "webp" | "svg" | "heic";
  readonly contentType: string;
}

const PNG: ImageFormat = { name: "png", contentType: "image/png" };
const JPEG: ImageFormat = { name: "jpeg", contentType: "image/jpeg" };
const GIF: ImageFormat = { name: "gif", contentType: "image/gif" };
const WEBP: ImageFormat = { name: "webp", contentType: "image/webp" };
const SVG: ImageFormat = { name: "svg", contentType: "image/svg+xml" };
const HEIC: ImageFormat = { name: "heic", contentType: "image/heic" };

/** The formats by name, to restore a stored image's format. */
export const FORMATS: Readonly<Record<ImageFormat["name"], ImageFormat>> = {
  png: PNG,
  jpeg: JPEG,
  gif: GIF,
  webp: WEBP,
  svg: SVG,
  heic: HEIC,
};

/** The names of the accepted formats, for error messages. */
export const FORMAT_NAMES = "PNG, JPEG, GIF, WebP, SVG or HEIC";

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]);

/** The format of these bytes, or `undefined` when they are not an image the API accepts. */
export function detectFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return GIF;
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return WEBP;
  if (startsWith(bytes, ascii("ftyp"), 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (HEIC_BRANDS.has(brand)) return HEIC;
  }
  return isSvg(bytes) ? SVG : undefined;
}

/**
 * SVG is text: after an optional BOM, XML declaration, comments and doctype, the root element must be
 * `<svg`. Only the first 4 KiB are looked at.
 */
function isSvg(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 4096));
  } catch {
    // A multi-byte character cut at 4 KiB is fine; anything else is not text.
    if (bytes.length <= 4096) return false;
    text = new TextDecoder("utf-8").decode(bytes.subarray(0, 4096));
  }
  const prolog = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>/]/i;
  return prolog.test(text);
}
