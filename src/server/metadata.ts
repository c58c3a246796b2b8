/**
 * Image metadata as the API takes it: a JSON object of at most 1024 bytes (UTF-8 of its JSON text).
 * Multipart bodies carry it as one JSON string field `metadata`; the official SDK instead expands an
 * object into bracket fields (`metadata[status]=active`, `metadata[a][b]=1`, `metadata[arr][]=1`),
 * which are reassembled here (every leaf then is a string: the SDK has already stringified it).
 */
import { ApiError, ErrorCode } from "./errors.js";

/** The API's limit on metadata, in bytes of JSON. */
export const MAX_METADATA_BYTES = 1024;

/** Metadata: a JSON object. */
export type Metadata = Record<string, unknown>;

const encoder = new TextEncoder();

function invalid(message: string): ApiError {
  return ApiError.of(400, ErrorCode.invalidMetadata, message);
}

/** Checks that a value is a JSON object within the size limit, and returns a clean copy of it. */
export function checkMetadata(value: unknown): Metadata {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("metadata must be a JSON object");
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // Nested past the stack (tens of thousands deep, so far over the limit), a string too long for any
    // string, a cycle, a BigInt, a throwing toJSON: only `addImages` can be handed such values (the
    // routes parse JSON), and they would be far over the limit or not JSON at all.
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(
      /call stack/i.test(reason)
        ? `metadata is nested too deeply (its JSON would be far over the ${MAX_METADATA_BYTES}-byte limit)`
        : `metadata must be plain JSON data that JSON.stringify can write (${reason})`,
    );
  }
  const size = encoder.encode(text).length;
  if (size > MAX_METADATA_BYTES) {
    throw invalid(`metadata is ${size} bytes of JSON; the limit is ${MAX_METADATA_BYTES} bytes`);
  }
  // A parse of its own JSON: a plain object with no getters, shared with nothing the caller holds.
  return JSON.parse(text) as Metadata;
}

/** Reads the `metadata` form field (a JSON string). */
export function parseMetadataField(text: string): Metadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid("metadata must be a JSON object (sent as a JSON string), and this is not valid JSON");
  }
  return checkMetadata(value);
}

const BRACKET_KEY = /^metadata((?:\[[^[\]]*\])+)$/;

/** True for form field names of the SDK's bracket form, `metadata[...]`. */
export function isBracketField(name: string): boolean {
  return name.startsWith("metadata[");
}

/**
 * Reassembles `metadata[a][b]=v` and `metadata[arr][]=v` fields into an object. Containers are built
 * without prototypes, so a key like `__proto__` is an ordinary key.
 */
export function assembleBracketFields(fields: readonly (readonly [string, string])[]): Metadata {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of fields) {
    const match = BRACKET_KEY.exec(name);
    if (!match) throw invalid(`${JSON.stringify(name)} is not a metadata field; write metadata[key] or metadata[a][b]`);
    const keys = match[1]!.slice(1, -1).split("][");
    let container: Record<string, unknown> | unknown[] = root;
    keys.forEach((key, index) => {
      const last = index === keys.length - 1;
      const nextIsList = !last && keys[index + 1] === "";
      if (Array.isArray(container)) {
        if (key !== "") throw invalid(`${JSON.stringify(name)} mixes a list and an object`);
        if (last) container.push(value);
        else {
          const child: Record<string, unknown> | unknown[] = nextIsList ? [] : (Object.create(null) as Record<string, unknown>);
          container.push(child);
          container = child;
        }
        return;
      }
      if (key === "") throw invalid(`${JSON.stringify(name)} appends to something that is not a list`);
      if (last) {
        if (Object.prototype.hasOwnProperty.call(container, key)) throw invalid(`${JSON.stringify(name)} is given twice`);
        container[key] = value;
        return;
      }
      const existing: unknown = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
      if (existing === undefined) {
        const child: Record<string, unknown> | unknown[] = nextIsList ? [] : (Object.create(null) as Record<string, unknown>);
        container[key] = child;
        container = child;
      } else if (typeof existing === "object" && existing !== null && Array.isArray(existing) === nextIsList) {
        container = existing as Record<string, unknown> | unknown[];
      } else {
        throw invalid(`${JSON.stringify(name)} conflicts with another metadata field`);
      }
    });
  }
  return checkMetadata(root);
}
