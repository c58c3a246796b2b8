/**
 * What an image's own fields may hold (its id, creator and file name), as the API's rules say: one
 * definition for the upload routes, which answer 400, and for `addImages`, which throws a TypeError.
 * Each check returns what is wrong in plain words, or `undefined`.
 */

const MAX_ID_LENGTH = 1024;
const MAX_CREATOR_LENGTH = 1024;
/** The longest file name kept; the routes cut longer ones to it. */
const MAX_FILENAME_LENGTH = 255;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Characters as the API counts them: code points, not UTF-16 units. */
function length(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * An id that URLs can address: 1 to 1024 characters, no leading or trailing `/`, no `.` or `..`
 * segment, well-formed Unicode; a custom id (one the client chose) must not be a UUID, which the API
 * keeps for the ids it makes.
 */
export function idProblem(id: string, custom: boolean): string | undefined {
  if (id === "") return "id must not be empty";
  const long = tooLong("id", id, MAX_ID_LENGTH);
  if (long !== undefined) return long;
  if (id.startsWith("/") || id.endsWith("/")) return "id must not start or end with a /";
  if (custom && isUuid(id)) return "CustomID must not be UUID";
  // A URL cannot address such a segment: clients (the SDK too) and URL parsers resolve it away.
  if (id.split("/").some((segment) => segment === "." || segment === "..")) return 'id must not have "." or ".." as a path segment';
  // No UTF-8 form, so no URL: `encodeURIComponent` throws. Ids decoded from HTTP never hold one.
  // A lone surrogate has no UTF-8 form: no URL could carry the id.
  if (!id.isWellFormed()) return "id must be well-formed Unicode (it holds a lone surrogate)";
  return undefined;
}

/** A creator of at most 1024 characters. */
export function creatorProblem(creator: string): string | undefined {
  return tooLong("creator", creator, MAX_CREATOR_LENGTH);
}

/** Whether an id has the shape of the ids the API makes (a UUID, any case). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** An RFC 3339 date-time with its offset (Z or ±hh:mm): without one, `Date.parse` would read local time. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The time an RFC 3339 date-time stands for (ms since the epoch), or NaN when `text` is not one. */
export function parseDateTime(text: string): number {
  return DATE_TIME.test(text) ? Date.parse(text) : NaN;
}

/** A stored file name of at most 255 characters. */
export function filenameProblem(filename: string): string | undefined {
  return tooLong("filename", filename, MAX_FILENAME_LENGTH);
}

function tooLong(field: string, text: string, max: number): string | undefined {
  return length(text) > max ? `${field} must be at most ${max} characters` : undefined;
}

/** An uploaded file's name as stored: its first 255 characters, never half of a surrogate pair. */
export function keptFilename(name: string): string {
  if (name.length <= MAX_FILENAME_LENGTH) return name;
  let kept = "";
  let count = 0;
  for (const character of name) {
    if (++count > MAX_FILENAME_LENGTH) break;
    kept += character;
  }
  return kept;
}

/** The API serves an image with a custom id only publicly. */
export const CUSTOM_ID_SIGNED_URLS = "an image with a custom id cannot require signed URLs";
