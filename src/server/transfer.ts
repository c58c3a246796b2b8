/**
 * Export and import of a whole store: records and bytes, as JSON Lines (one JSON value per line, UTF-8).
 * Web-standard: streams in both directions, so neither side holds the whole text at once.
 *
 * Format version 1 (what this module writes; every later version of imgmeta reads it):
 * - line 1, the header: `{"format":"imgmeta-store","version":1,"exported":"<RFC 3339>","images":<count>}`;
 * - then one line per image or draft (`images` of them), in no particular order:
 *   `{"id","customId","creator","meta","requireSignedURLs","uploaded","draft","uploadExpires",["uploadToken",]"filename","format","bytes"}`,
 *   times as RFC 3339 date-times (`uploadExpires` null but for drafts), `bytes` the image in base64
 *   (null for a draft), `format` one of png, jpeg, gif, webp, svg, heic (null for a draft), and
 *   `uploadToken` present for a direct upload (the secret part of its upload URL, so that a draft's URL
 *   still works after an import).
 * An import checks every line (the header's count included, so that a file cut short is refused) before
 * it replaces anything, and names the line, the id and the field of the first bad one.
 */
import { fromBase64, toBase64 } from "./base64.js";
import { parseDateTime } from "./fields.js";
import { FORMATS } from "./formats.js";
import type { Metadata } from "./metadata.js";
import { RecordError } from "./record-error.js";
import { recordProblem, type StoredImage } from "./store.js";
import { TOKEN_PATTERN } from "./tokens.js";

/** The `format` of the header line. */
export const EXPORT_FORMAT = "imgmeta-store";
/** The version this imgmeta writes; it reads every version up to it. */
export const EXPORT_VERSION = 1;
/** The longest line an import reads: a 10 MB image in base64 and its record, with room to spare. */
export const MAX_IMPORT_LINE = 16 * 1024 * 1024;

/** What an import is read from: JSON Lines text, its UTF-8 bytes, or a stream of them (a request body). */
export type ImportSource = string | Uint8Array | ReadableStream<Uint8Array>;

const SOURCE = "import";

/**
 * The store's export: `images` (a snapshot: records are immutable), each with the bytes `bytesOf` reads
 * for it, one line at a time as the stream is read.
 */
export function exportStream(
  images: readonly StoredImage[],
  bytesOf: (image: StoredImage) => Promise<Uint8Array | null>,
  exported: number,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = -1;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next === -1) {
        controller.enqueue(encoder.encode(`${JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exported: new Date(exported).toISOString(), images: images.length })}\n`));
      } else if (next < images.length) {
        const image = images[next]!;
        controller.enqueue(encoder.encode(`${JSON.stringify(exportedImage(image, await bytesOf(image)))}\n`));
      } else {
        controller.close();
      }
      next++;
    },
  });
}

function exportedImage(image: StoredImage, bytes: Uint8Array | null): Record<string, unknown> {
  return {
    id: image.id,
    customId: image.customId,
    creator: image.creator,
    meta: image.meta,
    requireSignedURLs: image.requireSignedURLs,
    uploaded: new Date(image.uploaded).toISOString(),
    draft: image.draft,
    uploadExpires: image.uploadExpires === null ? null : new Date(image.uploadExpires).toISOString(),
    ...(image.uploadToken !== undefined ? { uploadToken: image.uploadToken } : {}),
    filename: image.filename,
    format: image.format,
    bytes: bytes === null ? null : toBase64(bytes),
  };
}

/**
 * The images of an export, every line checked.
 * @throws RecordError naming the line (from 1, the header being line 1), the id and the field of the
 *   first bad line; or the header's problem (not an export, a newer version, a count that does not match).
 */
export async function readExport(source: ImportSource): Promise<StoredImage[]> {
  const images: StoredImage[] = [];
  const seen = new Map<string, number>();
  let header: { images: number } | undefined;
  let line = 0;
  for await (const text of lines(source)) {
    line++;
    if (line === 1) {
      header = readHeader(text);
      continue;
    }
    if (text === "") {
      // Only a last line may be empty (the file's final newline has been taken already).
      throw new RecordError({ source: SOURCE, entry: line, entryName: "line", problem: "is empty" });
    }
    const image = readImage(text, line);
    const earlier = seen.get(image.id);
    if (earlier !== undefined) throw new RecordError({ source: SOURCE, entry: line, entryName: "line", id: image.id, field: "id", problem: `line ${earlier} has this id too` });
    seen.set(image.id, line);
    images.push(image);
  }
  if (!header) throw new RecordError({ source: SOURCE, problem: "is empty: an export starts with its header line" });
  if (images.length !== header.images) {
    throw new RecordError({ source: SOURCE, problem: `the header announces ${header.images} images but ${images.length} follow: the export is incomplete or was changed` });
  }
  return images;
}

function readHeader(text: string): { images: number } {
  const fail = (problem: string): never => {
    throw new RecordError({ source: SOURCE, entry: 1, entryName: "line", problem });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`is not JSON: an export starts with {"format":"${EXPORT_FORMAT}","version":${EXPORT_VERSION},…}`);
  }
  const header = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (header["format"] !== EXPORT_FORMAT) return fail(`is not the header of an imgmeta export (its format must be "${EXPORT_FORMAT}")`);
  const version = header["version"];
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) return fail("version must be a whole number from 1");
  if (version > EXPORT_VERSION) return fail(`is in format version ${version}, which a newer imgmeta wrote; this one reads versions 1 to ${EXPORT_VERSION}`);
  const count = header["images"];
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) return fail("images must be the number of image lines that follow");
  return { images: count };
}

/** Version 1's keys, and what each holds. */
const IMAGE_KEYS = ["id", "customId", "creator", "meta", "requireSignedURLs", "uploaded", "draft", "uploadExpires", "uploadToken", "filename", "format", "bytes"];

function readImage(text: string, line: number): StoredImage {
  let value: unknown;
  const fail = (field: string | undefined, problem: string, id?: string): never => {
    throw new RecordError({ source: SOURCE, entry: line, entryName: "line", id, field, problem });
  };
  try {
    value = JSON.parse(text);
  } catch {
    return fail(undefined, "is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(undefined, "is not an object");
  const fields = value as Record<string, unknown>;
  const id = typeof fields["id"] === "string" ? fields["id"] : undefined;
  for (const key of Object.keys(fields)) if (!IMAGE_KEYS.includes(key)) fail(key, "is not a field of an exported image", id);
  for (const key of IMAGE_KEYS) if (key !== "uploadToken" && !(key in fields)) fail(key, `${key} is missing`, id);
  const time = (field: "uploaded" | "uploadExpires"): number | null => {
    const given = fields[field];
    if (given === null && field === "uploadExpires") return null;
    const parsed = typeof given === "string" ? parseDateTime(given) : NaN;
    return Number.isNaN(parsed) ? fail(field, `${field} must be an RFC 3339 date-time`, id) : parsed;
  };
  const { uploadToken, format, bytes } = fields;
  if (uploadToken !== undefined && !(typeof uploadToken === "string" && TOKEN_PATTERN.test(uploadToken))) {
    fail("uploadToken", "uploadToken must be 22 base64url characters", id);
  }
  if (format !== null && !(typeof format === "string" && Object.hasOwn(FORMATS, format))) fail("format", `format must be null or one of ${Object.keys(FORMATS).join(", ")}`, id);
  let data: Uint8Array<ArrayBuffer> | null = null;
  if (bytes !== null) data = typeof bytes === "string" ? (fromBase64(bytes) ?? fail("bytes", "bytes must be base64 (RFC 4648, with padding)", id)) : fail("bytes", "bytes must be base64 text or null", id);
  if ((data === null) !== (format === null)) fail("bytes", "bytes and format are both null (a draft) or neither", id);
  const image = {
    id: fields["id"],
    customId: fields["customId"],
    creator: fields["creator"],
    meta: fields["meta"] as Metadata,
    requireSignedURLs: fields["requireSignedURLs"],
    uploaded: time("uploaded"),
    draft: fields["draft"],
    uploadExpires: time("uploadExpires"),
    ...(uploadToken !== undefined ? { uploadToken } : {}),
    filename: fields["filename"],
    format,
    bytes: data,
  } as StoredImage;
  const problem = recordProblem(image);
  if (problem) fail(problem.field, problem.problem, id);
  return image;
}

/** The lines of `source` (without their `\n`; a last empty line, after the final newline, is not one). */
async function* lines(source: ImportSource): AsyncGenerator<string> {
  if (typeof source === "string" || source instanceof Uint8Array) {
    const text = typeof source === "string" ? source : decode(source);
    const all = text.split("\n");
    if (all.at(-1) === "") all.pop();
    for (const [index, line] of all.entries()) {
      if (line.length > MAX_IMPORT_LINE) throw tooLong(index + 1);
      yield line;
    }
    return;
  }
  const reader = source.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending = "";
  let number = 0;
  try {
    for (;;) {
      let text: string;
      try {
        const step = await reader.read();
        text = decoder.decode(step.value, { stream: !step.done });
        if (step.done) {
          pending += text;
          break;
        }
      } catch {
        throw new RecordError({ source: SOURCE, entry: number + 1, entryName: "line", problem: "could not be read (the body broke off, or is not UTF-8)" });
      }
      pending += text;
      let start = 0;
      for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n", start)) {
        number++;
        yield pending.slice(start, newline);
        start = newline + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_IMPORT_LINE) throw tooLong(number + 1);
    }
  } finally {
    reader.releaseLock();
  }
  if (pending !== "") yield pending;
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RecordError({ source: SOURCE, problem: "is not UTF-8 text" });
  }
}

function tooLong(line: number): RecordError {
  return new RecordError({ source: SOURCE, entry: line, entryName: "line", problem: `is longer than ${MAX_IMPORT_LINE} characters` });
}
