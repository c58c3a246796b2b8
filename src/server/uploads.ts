/**
 * The fields of the upload forms (`POST images/v1`, `POST images/v2/direct_upload`, the upload URL),
 * checked against the API's rules: custom ids, creator, metadata, expiry, signed URLs, the file.
 */
import { ApiError, ErrorCode } from "./errors.js";
import { creatorProblem, CUSTOM_ID_SIGNED_URLS, idProblem, keptFilename, parseDateTime } from "./fields.js";
import { detectFormat, FORMAT_NAMES, type ImageFormat } from "./formats.js";
import { assembleBracketFields, isBracketField, parseMetadataField, type Metadata } from "./metadata.js";

/** The API's limit on an uploaded file. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Room for the other form fields and the multipart framing around a file. */
export const MAX_FORM_BYTES = MAX_FILE_BYTES + 64 * 1024;
/** A form without a file (direct upload): its fields only. */
export const MAX_FIELDS_BYTES = 64 * 1024;
/** The earliest direct-upload expiry, in milliseconds from now. */
export const EXPIRY_MIN_MS = 2 * 60_000;
/** The latest direct-upload expiry, in milliseconds from now. */
export const EXPIRY_MAX_MS = 6 * 60 * 60_000;
/** The direct-upload expiry when none is given, in milliseconds from now. */
export const EXPIRY_DEFAULT_MS = 30 * 60_000;

function bad(message: string): ApiError {
  return ApiError.of(400, ErrorCode.badRequest, message);
}

/** A text field given at most once, or `undefined` when absent. */
function textField(form: FormData, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw bad(`${name} is given ${values.length} times`);
  const [value] = values;
  if (typeof value !== "string") throw bad(`${name} must be a text field, not a file`);
  return value;
}

/** A 400 for the problem a check of `fields.ts` found, if any. */
function refuse(problem: string | undefined): void {
  if (problem !== undefined) throw bad(problem);
}

function readBoolean(name: string, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === "true") return true;
  if (text === "false") return false;
  throw bad(`${name} must be true or false, not ${JSON.stringify(text)}`);
}

/** Checks a creator: at most 1024 characters; empty means none. */
export function checkCreator(text: string): string | null {
  refuse(creatorProblem(text));
  return text === "" ? null : text;
}

/** Metadata from the `metadata` JSON field or the SDK's `metadata[...]` bracket fields. */
function readMetadata(form: FormData): Metadata | undefined {
  const json = textField(form, "metadata");
  const brackets: [string, string][] = [];
  for (const [name, value] of form.entries()) {
    if (!isBracketField(name)) continue;
    if (typeof value !== "string") throw bad(`${name} must be a text field, not a file`);
    brackets.push([name, value]);
  }
  if (json !== undefined && brackets.length > 0) {
    throw bad("send metadata either as one JSON field or as metadata[...] fields, not both");
  }
  if (json !== undefined) return parseMetadataField(json);
  return brackets.length > 0 ? assembleBracketFields(brackets) : undefined;
}

/** What the image fields of an upload form say. */
export interface ImageFields {
  readonly id?: string;
  readonly creator?: string | null;
  readonly metadata?: Metadata;
  readonly requireSignedURLs?: boolean;
}

function readImageFields(form: FormData): ImageFields {
  const id = textField(form, "id");
  const creatorText = textField(form, "creator");
  const creator = creatorText === undefined ? undefined : checkCreator(creatorText);
  const metadata = readMetadata(form);
  const requireSignedURLs = readBoolean("requireSignedURLs", textField(form, "requireSignedURLs"));
  if (id !== undefined) refuse(idProblem(id, true));
  if (id !== undefined && requireSignedURLs === true) {
    throw bad(CUSTOM_ID_SIGNED_URLS);
  }
  return {
    ...(id !== undefined ? { id } : {}),
    ...(creator !== undefined ? { creator } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(requireSignedURLs !== undefined ? { requireSignedURLs } : {}),
  };
}

/** An uploaded file, checked: not empty, within 10 MB, a recognised image format. */
export interface UploadedFile {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly filename: string;
  readonly format: ImageFormat;
}

/** Reads and checks the `file` field. */
export async function readFile(form: FormData): Promise<UploadedFile> {
  const files = form.getAll("file");
  if (files.length === 0) throw bad("file is required (a multipart field named file)");
  if (files.length > 1) throw bad(`file is given ${files.length} times`);
  const file = files[0]!;
  if (typeof file === "string") throw bad("file must be a file part (with a filename), not a text field");
  if (file.size > MAX_FILE_BYTES) {
    throw ApiError.of(413, ErrorCode.tooLarge, `file is ${file.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (10 MB)`);
  }
  if (file.size === 0) throw bad("file is empty");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = detectFormat(bytes);
  if (!format) {
    throw ApiError.of(400, ErrorCode.unsupportedFormat, `file is not a supported image format (${FORMAT_NAMES}, recognised by its bytes)`);
  }
  return { bytes, filename: keptFilename(file.name) || "image", format };
}

/** The form of `POST images/v1`: image fields and a file (a `url` is refused: nothing outside can be fetched). */
export async function readUploadForm(form: FormData): Promise<ImageFields & { readonly file: UploadedFile }> {
  const fields = readImageFields(form);
  const url = textField(form, "url");
  if (url !== undefined && form.has("file")) throw bad("send either file or url, not both");
  if (url !== undefined) {
    throw ApiError.of(
      400,
      ErrorCode.urlUploadUnsupported,
      "uploads by url are not supported by the emulator (it fetches nothing from outside); send the bytes as file",
    );
  }
  return { ...fields, file: await readFile(form) };
}

/** The form of `POST images/v2/direct_upload`: image fields and an expiry (ms since the epoch). */
export function readDirectUploadForm(form: FormData, now: number): ImageFields & { readonly expires: number } {
  const fields = readImageFields(form);
  const expiry = textField(form, "expiry");
  let expires = now + EXPIRY_DEFAULT_MS;
  if (expiry !== undefined) {
    const time = parseDateTime(expiry);
    if (Number.isNaN(time)) throw bad(`expiry must be an RFC 3339 date-time, not ${JSON.stringify(expiry)}`);
    if (time < now + EXPIRY_MIN_MS || time > now + EXPIRY_MAX_MS) {
      throw bad("expiry is out of accepted bound. (it must be between now + 2 minutes and now + 6 hours)");
    }
    expires = time;
  }
  return { ...fields, expires };
}
