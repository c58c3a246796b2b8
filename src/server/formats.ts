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
  return startsWithSvgRoot(text);
}

/**
 * True when `text` is, case-insensitively, whitespace (a BOM is whitespace too), at most one
 * `<?xml ...?>`, any number of comments and doctypes with whitespace between them, then `<svg` followed
 * by whitespace, `>` or `/`. A comment runs from `<!--` to any later `-->`, not only the first one.
 *
 * A single forward pass, because a regular expression for this backtracks exponentially on repeated
 * comments: it marks the places where a prolog item can start, and once a comment has opened at one of
 * them, every later `-->` ends a comment.
 */
function startsWithSvgRoot(text: string): boolean {
  let at = skipSpace(text, 0);
  if (startsWithWord(text, at, "<?xml")) {
    const close = text.indexOf(">", at + "<?xml".length);
    // `[^>]*\?>`: the declaration ends at its first `>`, which must follow a `?` of its own.
    if (close < at + "<?xml?".length || text[close - 1] !== "?") return false;
    at = skipSpace(text, close + 1);
  }
  const itemStarts = new Set<number>([at]);
  let commentOpenedAt = Infinity;
  // The first `>` after the last doctype looked at, which later doctypes before it share (-1: none left).
  let doctypeClose = 0;
  for (let i = at; i < text.length; i++) {
    if (itemStarts.has(i)) {
      const after = text[i + "<svg".length];
      if (startsWithWord(text, i, "<svg") && after !== undefined && (after === ">" || after === "/" || isSpace(after))) return true;
      if (text.startsWith("<!--", i)) commentOpenedAt = Math.min(commentOpenedAt, i);
      if (startsWithWord(text, i, "<!doctype")) {
        const from = i + "<!doctype".length;
        if (doctypeClose >= 0 && doctypeClose < from) doctypeClose = text.indexOf(">", from);
        if (doctypeClose >= 0) itemStarts.add(skipSpace(text, doctypeClose + 1));
      }
    }
    if (i >= commentOpenedAt + "<!--".length && text.startsWith("-->", i)) itemStarts.add(skipSpace(text, i + "-->".length));
  }
  return false;
}

/** What `\s` matches in a JavaScript regular expression (BOM included). */
const SPACE = /\s/;

function isSpace(char: string): boolean {
  return SPACE.test(char);
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text[at]!)) at++;
  return at;
}

/**
 * `word` (written in lower case) at `at`, its ASCII letters in either case: as the `i` flag matches
 * them without `u`, where no other character folds to an ASCII letter.
 */
function startsWithWord(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++) {
    const code = text.charCodeAt(at + i);
    if ((code >= 0x41 && code <= 0x5a ? code + 0x20 : code) !== word.charCodeAt(i)) return false;
  }
  return true;
}
