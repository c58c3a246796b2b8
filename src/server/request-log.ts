/**
 * What was asked of the emulator: one record per request answered (method, path with the filter
 * decoded, status, milliseconds), as `imgmeta serve` prints it and as the recent-requests admin route
 * returns it from a bounded ring. Web-standard: no Node APIs here.
 */

/** One request, as the emulator answered it. */
export interface RequestRecord {
  /** When it arrived, by the emulator's clock (ISO 8601). */
  readonly time: string;
  readonly method: string;
  /**
   * The path and query as sent, with the query's percent-encoding undone (`+` read as a space, as the
   * emulator reads it), so that a filter reads as written: `meta.status[eq]=active`. Control and
   * bidirectional-override characters are shown as `\uXXXX`, so that a record is one honest line.
   */
  readonly path: string;
  readonly status: number;
  /** From the request's arrival to its answer (status and headers), in milliseconds. */
  readonly ms: number;
  /** The route of the injected fault that answered or delayed the request, when one did. */
  readonly fault?: string;
}

/** What one answered request leaves behind, before it is shown (see {@link RecentRequests}). */
export interface Answered {
  /** Arrival, in ms since the epoch. */
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly ms: number;
  readonly fault: string | undefined;
}

/** How many requests {@link RecentRequests} keeps by default. */
export const DEFAULT_RECENT_REQUESTS = 100;

/** The most UTF-8 bytes of a request's method, fault and URL {@link RecentRequests} keeps; longer URLs are cut. */
export const MAX_KEPT_REQUEST_BYTES = 2048;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The last requests answered, oldest first, in a ring of fixed size: the oldest is overwritten, so memory
 * stays bounded however long the emulator runs. The ring is made once and written in place, numbers in a
 * `Float64Array` and the method, fault and URL as UTF-8 in a byte array, so that keeping a request
 * allocates nothing that outlives it: objects kept for a hundred requests would outlive the young
 * generation under load and leave garbage in the old one (see `test/server/old-space.test.ts`). A URL is
 * kept up to {@link MAX_KEPT_REQUEST_BYTES} bytes, then cut (shown ending with `…`); the records are made
 * when read.
 */
export class RecentRequests {
  readonly #size: number;
  /** Per entry: arrival, status, milliseconds, bytes of text, 1 when the text was cut. */
  readonly #numbers: Float64Array;
  /** Per entry: `<method> <fault or -> <url>` in UTF-8. */
  readonly #texts: Uint8Array;
  #next = 0;
  #count = 0;

  /** A ring of `size` entries (0 keeps none). */
  constructor(size = DEFAULT_RECENT_REQUESTS) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError("requestLogSize must be a whole number from 0");
    this.#size = size;
    this.#numbers = new Float64Array(size * 5);
    this.#texts = new Uint8Array(size * MAX_KEPT_REQUEST_BYTES);
  }

  add(entry: Answered): void {
    if (this.#size === 0) return;
    const slot = this.#next;
    const at = slot * MAX_KEPT_REQUEST_BYTES;
    const text = `${entry.method} ${entry.fault ?? "-"} ${entry.url}`;
    const { read, written } = encoder.encodeInto(text, this.#texts.subarray(at, at + MAX_KEPT_REQUEST_BYTES));
    const numbers = this.#numbers;
    numbers[slot * 5] = entry.at;
    numbers[slot * 5 + 1] = entry.status;
    numbers[slot * 5 + 2] = entry.ms;
    numbers[slot * 5 + 3] = written;
    numbers[slot * 5 + 4] = read < text.length ? 1 : 0;
    this.#next = (slot + 1) % this.#size;
    if (this.#count < this.#size) this.#count++;
  }

  /** The requests kept, oldest first. */
  list(): RequestRecord[] {
    const out: RequestRecord[] = [];
    for (let k = 0; k < this.#count; k++) {
      const slot = (this.#next - this.#count + k + this.#size) % this.#size;
      const [at = 0, status = 0, ms = 0, length = 0, cut = 0] = this.#numbers.subarray(slot * 5, slot * 5 + 5);
      const start = slot * MAX_KEPT_REQUEST_BYTES;
      const text = decoder.decode(this.#texts.subarray(start, start + length));
      const [method = "", fault = "-"] = text.split(" ", 2);
      const url = text.slice(method.length + fault.length + 2);
      out.push(toRecord({ at, method, url: cut ? `${url}…` : url, status, ms, fault: fault === "-" ? undefined : fault }));
    }
    return out;
  }

  clear(): void {
    this.#next = 0;
    this.#count = 0;
  }
}

/** An answered request as a record. */
export function toRecord(entry: Answered): RequestRecord {
  return {
    time: new Date(entry.at).toISOString(),
    method: entry.method,
    path: decodedPath(entry.url),
    status: entry.status,
    ms: Math.round(entry.ms * 100) / 100,
    ...(entry.fault !== undefined ? { fault: entry.fault } : {}),
  };
}

/** A record as one line of text: `GET /…/images/v2?meta.status[eq]=active 200 1.25 ms`. */
export function formatRequestLine(record: RequestRecord): string {
  return `${record.method} ${record.path} ${record.status} ${record.ms.toFixed(2)} ms${record.fault !== undefined ? ` (fault: ${record.fault})` : ""}`;
}

/** The path and query of `url`, each name and value of the query decoded (see {@link RequestRecord.path}). */
export function decodedPath(url: string): string {
  let pathname: string;
  let search: string;
  try {
    ({ pathname, search } = new URL(url));
  } catch {
    return printable(url);
  }
  if (search.length <= 1) return printable(pathname);
  const parts = search
    .slice(1)
    .split("&")
    .map((part) => {
      const equals = part.indexOf("=");
      return equals < 0 ? decodePart(part) : `${decodePart(part.slice(0, equals))}=${decodePart(part.slice(equals + 1))}`;
    });
  return printable(`${pathname}?${parts.join("&")}`);
}

/** One name or value of a query, decoded as `URLSearchParams` decodes it; as sent when it is not valid percent-encoding. */
function decodePart(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional embeddings, overrides and isolates. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with the characters that could break or disguise a log line written as `\uXXXX`. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
