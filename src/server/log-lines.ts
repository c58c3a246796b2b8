/**
 * The lines of the data directory's log (`images.log`): how a change is written as one line, and how a
 * line is read back and checked against the lines before it.
 *
 * Every line is `<crc32 of the JSON, 8 hex digits> <JSON>\n`. The JSON is, by format:
 * - format 2 (written now): `{"v":2,"n":<line number>,"prev":"<checksum of the line before, "" on line 1>","record":<record>}`.
 *   The line number catches lines removed, repeated or moved; `prev` chains each line to the one
 *   before, so that a line from elsewhere (another log, or this one before a compaction) with the right
 *   number is caught too.
 * - format 1 (written before): the record alone. Still read; start-up rewrites such a log in format 2.
 * A log holds lines of one format. An older imgmeta refuses a format-2 line (it finds no record in it)
 * rather than appending format-1 lines after it.
 */
import { crc32 } from "node:zlib";
import { FORMATS } from "./formats.js";
import { TOKEN_PATTERN } from "./tokens.js";
import type { StoredImage } from "./store.js";

/** How a stored image is written in the log: everything but the bytes, which are in `blobs/`. */
export interface ImageRow extends Omit<StoredImage, "bytes"> {
  readonly blob: string | null;
}

/** One change: an image put (added or replaced), or deleted. */
export type ChangeRecord = { readonly t: "put"; readonly image: ImageRow } | { readonly t: "del"; readonly id: string };
/** What one line holds: a change, or several written at once (seeding), so that a crash keeps all or none. */
export type LogRecord = ChangeRecord | { readonly t: "batch"; readonly changes: readonly ChangeRecord[] };

/** The format lines are written in. */
export const LOG_FORMAT = 2;

/** Where a log stands after some lines: what the next line must follow. */
export interface Chain {
  /** How many lines there are. */
  readonly lines: number;
  /** The checksum of the last line ("" before the first). */
  readonly last: string;
  /** The format of the lines (undefined before the first). */
  readonly format: 1 | 2 | undefined;
}

/** A log with no line yet. */
export const EMPTY_CHAIN: Chain = { lines: 0, last: "", format: undefined };

/** A line read back: its record, and the chain with it. */
export interface ReadLine {
  readonly record: LogRecord;
  readonly chain: Chain;
}

/** Why a line cannot be read: the words that follow "line N" in the error. */
export interface LineProblem {
  readonly problem: string;
}

/** A SHA-256 in hex: a blob's name. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

function checksum(bytes: Uint8Array): string {
  return hex(crc32(bytes));
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, "0");
}

/** The line (with its newline) that writes `record` after `chain`, and the chain once it is written. */
export function formatLine(record: LogRecord, chain: Chain): { readonly text: string; readonly chain: Chain } {
  const n = chain.lines + 1;
  const json = JSON.stringify({ v: LOG_FORMAT, n, prev: chain.last, record });
  const sum = checksum(Buffer.from(json, "utf8"));
  return { text: `${sum} ${json}\n`, chain: { lines: n, last: sum, format: LOG_FORMAT } };
}

/** Reads one line (without its newline) that comes after `chain`. */
export function readLine(bytes: Buffer, chain: Chain): ReadLine | LineProblem {
  const corrupted = (why: string): LineProblem => ({ problem: `is corrupted (${why})` });
  if (bytes.length < 10 || bytes[8] !== 0x20) return corrupted("no checksum");
  const json = bytes.subarray(9);
  const sum = bytes.toString("latin1", 0, 8);
  if (sum !== checksum(json)) return corrupted("checksum mismatch");
  let value: unknown;
  try {
    value = JSON.parse(json.toString("utf8"));
  } catch {
    return corrupted("not JSON");
  }
  const framed = typeof value === "object" && value !== null && "v" in value ? (value as Record<string, unknown>) : undefined;
  const version = framed?.["v"];
  if (typeof version === "number" && Number.isSafeInteger(version) && version > LOG_FORMAT) {
    return { problem: `is in log format ${version}, which a newer imgmeta wrote; this one reads formats 1 and ${LOG_FORMAT}` };
  }
  const record = framed ? framed["record"] : value;
  if ((framed && (version !== LOG_FORMAT || !Number.isSafeInteger(framed["n"]) || typeof framed["prev"] !== "string")) || !isRecord(record)) {
    return corrupted("not a change record");
  }
  const format = framed ? LOG_FORMAT : 1;
  if (chain.format !== undefined && format !== chain.format) {
    return { problem: `is in log format ${format}, but line 1 is in format ${chain.format}: lines were mixed in from another log` };
  }
  const n = chain.lines + 1;
  if (framed && framed["n"] !== n) {
    return { problem: `is out of place: it was written as line ${String(framed["n"])}; lines of the log are missing, repeated or in the wrong order` };
  }
  if (framed && framed["prev"] !== chain.last) {
    return { problem: `does not follow line ${n - 1}: it was written after another line; lines were replaced, or mixed in from another log` };
  }
  return { record, chain: { lines: n, last: sum, format } };
}

/**
 * The complete line at the start of `tail`, the log's last bytes when they end without a newline, and
 * where it ends: a line whose checksum holds is a whole write, whatever follows it where its newline
 * should be. `undefined` when there is none (a write cut short), a problem when there is one that
 * does not fit after `chain`.
 */
export function completeLineAt(tail: Buffer, chain: Chain): (ReadLine & { readonly end: number }) | LineProblem | undefined {
  if (tail.length < 10 || tail[8] !== 0x20) return undefined;
  const expected = tail.toString("latin1", 0, 8);
  // A record's JSON ends with `}`: try each, the checksum carried from one to the next.
  let crc = 0;
  let from = 9;
  for (let at = tail.indexOf(0x7d, from); at >= 0; at = tail.indexOf(0x7d, at + 1)) {
    crc = crc32(tail.subarray(from, at + 1), crc);
    from = at + 1;
    if (hex(crc) !== expected) continue;
    const read = readLine(tail.subarray(0, at + 1), chain);
    return "problem" in read ? read : { ...read, end: at + 1 };
  }
  return undefined;
}

/** A time a `Date` can hold (ms since the epoch). */
function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= 8.64e15;
}

function isRecord(value: unknown): value is LogRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record["t"] === "batch") {
    const changes = record["changes"];
    return Array.isArray(changes) && changes.length > 0 && changes.every((change) => isChange(change));
  }
  return isChange(record);
}

function isChange(value: unknown): value is ChangeRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record["t"] === "del") return typeof record["id"] === "string";
  if (record["t"] !== "put") return false;
  const image = record["image"] as Record<string, unknown> | null;
  return (
    typeof image === "object" &&
    image !== null &&
    typeof image["id"] === "string" &&
    typeof image["customId"] === "boolean" &&
    (image["creator"] === null || typeof image["creator"] === "string") &&
    typeof image["meta"] === "object" &&
    image["meta"] !== null &&
    typeof image["requireSignedURLs"] === "boolean" &&
    isTime(image["uploaded"]) &&
    typeof image["draft"] === "boolean" &&
    (image["uploadExpires"] === null || isTime(image["uploadExpires"])) &&
    (image["uploadToken"] === undefined || (typeof image["uploadToken"] === "string" && TOKEN_PATTERN.test(image["uploadToken"]))) &&
    (image["filename"] === null || typeof image["filename"] === "string") &&
    (image["format"] === null || (typeof image["format"] === "string" && Object.hasOwn(FORMATS, image["format"]))) &&
    (image["blob"] === null || (typeof image["blob"] === "string" && SHA256_HEX.test(image["blob"])))
  );
}
