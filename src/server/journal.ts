/**
 * The emulator's data directory on Node: every acknowledged write survives `kill -9`. Loaded on demand
 * when `dataDir` is given, never on the web-standard path.
 *
 * Data directory layout:
 * - `images.log`: an append-only log, one change per line: `<crc32 of the JSON, 8 hex> <JSON>\n`,
 *   fsynced before a write is acknowledged. A last line without its `\n` is a write that was never
 *   acknowledged (the process died mid-append): it is dropped, with a warning. Any other damage
 *   (a bad checksum, bad JSON, a gap) is a startup error naming the file and line.
 * - `blobs/<sha256>`: image bytes, content-addressed (an image id never becomes a file name), each
 *   written to a temporary file, fsynced and renamed into place before the log line that refers to it.
 * - `lock`: the pid of the emulator using the directory (see lock.ts).
 * At start-up, a log that is mostly replaced or deleted images is rewritten with the live ones only.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, truncate, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { DataFileError } from "./data-file-error.js";
import { FORMATS } from "./formats.js";
import { lockDataDir } from "./lock.js";
import { TOKEN_PATTERN } from "./tokens.js";
import type { Change, Journal, StoredImage } from "./store.js";

/** How a stored image is written in the log: everything but the bytes, which are in `blobs/`. */
interface ImageRow extends Omit<StoredImage, "bytes"> {
  readonly blob: string | null;
}

type ChangeRecord = { readonly t: "put"; readonly image: ImageRow } | { readonly t: "del"; readonly id: string };
/** One log line: a change, or several changes written at once (seeding), so that a crash keeps all or none. */
type LogRecord = ChangeRecord | { readonly t: "batch"; readonly changes: readonly ChangeRecord[] };

const LOG_FILE = "images.log";
const BLOB_DIR = "blobs";
const SHA256_HEX = /^[0-9a-f]{64}$/;

function checksum(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, "0");
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** An opened data directory: what it holds, and the journal that appends to it. */
export interface OpenedJournal {
  readonly images: StoredImage[];
  readonly journal: Journal;
  close(): Promise<void>;
}

/**
 * Opens (or creates) a data directory: locks it, replays the log into images, checks every blob they
 * refer to, and returns a journal appending to the log (`close` releases the lock).
 * @throws DataFileError naming the file when the data is corrupted or another emulator uses the directory.
 */
export async function openFileJournal(dir: string, onWarning?: (message: string) => void): Promise<OpenedJournal> {
  const logPath = join(dir, LOG_FILE);
  const blobDir = join(dir, BLOB_DIR);
  try {
    await mkdir(blobDir, { recursive: true });
  } catch (error) {
    throw new DataFileError(blobDir, `cannot be created (${(error as NodeJS.ErrnoException).code ?? "error"}); is ${dir} a directory?`);
  }

  const lock = await lockDataDir(dir);
  if (!("release" in lock)) throw new DataFileError(lock.file, lock.message);
  try {
    return await openLocked(dir, logPath, blobDir, onWarning, lock.release);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openLocked(
  dir: string,
  logPath: string,
  blobDir: string,
  onWarning: ((message: string) => void) | undefined,
  unlock: () => Promise<void>,
): Promise<OpenedJournal> {
  const replayed = await replayLog(logPath, onWarning);
  const rows = replayed?.rows;
  if (replayed === undefined) {
    // No log (or an empty one), yet image files: the log was lost, not never written. Refuse rather
    // than start without them.
    const stored = (await readdir(blobDir)).filter((name) => SHA256_HEX.test(name));
    if (stored.length > 0) {
      throw new DataFileError(logPath, `is missing or empty, but ${blobDir} holds ${stored.length} image files; restore the log, or empty the directory to start afresh`);
    }
  }
  const images: StoredImage[] = [];
  const blobs = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const row of rows?.values() ?? []) {
    const { blob, ...rest } = row;
    let bytes: Uint8Array<ArrayBuffer> | null = null;
    if (blob !== null) {
      bytes = blobs.get(blob) ?? (await readBlob(join(blobDir, blob), blob));
      blobs.set(blob, bytes);
    }
    images.push({ ...rest, bytes });
  }
  await removeStrayBlobs(blobDir, new Set(blobs.keys()), replayed?.mentioned ?? new Set());
  // After the stray blobs are gone: a compacted log no longer mentions the blobs of deleted images.
  await rm(compactingPath(logPath), { force: true }); // a compaction a crash interrupted
  if (replayed && needsCompaction(replayed)) await compact(logPath, dir, replayed.rows);

  const handle = await open(logPath, "a");
  // The log's directory entry must be durable too, or a new log could vanish with its first write.
  await fsyncPath(dir);
  let logSize = (await handle.stat()).size;
  const known = new Set(blobs.keys());
  const journal: Journal = {
    async append(changes) {
      const records: ChangeRecord[] = [];
      for (const change of changes) records.push(await toRecord(change, blobDir, known));
      // One line, whatever the number of changes: a crash mid-append keeps all of them or none.
      const text = Buffer.from(logLine(records.length === 1 ? records[0]! : { t: "batch", changes: records }), "utf8");
      try {
        await writeAll(handle, text);
        await handle.datasync();
      } catch (error) {
        // A failed append must not leave half a line for the next one to follow (that would read
        // as corruption at the next start): cut the log back to its last acknowledged end.
        await handle.truncate(logSize).catch(() => undefined);
        throw error;
      }
      logSize += text.length;
    },
  };
  return {
    images,
    journal,
    async close() {
      await handle.close();
      await unlock();
    },
  };
}

/** What the log holds: the live rows by id, every blob any record ever referred to, and how many changes. */
interface Replayed {
  readonly rows: Map<string, ImageRow>;
  readonly mentioned: Set<string>;
  readonly changes: number;
}

/** Changes the log may hold beyond one per live image before start-up rewrites it. */
const COMPACTION_SLACK = 100;

/** Whether most of the log is replaced or deleted images (and enough of it to be worth a rewrite). */
function needsCompaction({ rows, changes }: Replayed): boolean {
  const superseded = changes - rows.size;
  return superseded >= COMPACTION_SLACK && superseded > rows.size;
}

function compactingPath(logPath: string): string {
  return `${logPath}.compacting`;
}

/**
 * Rewrites the log as one `put` line per live image: written beside it, fsynced, renamed over it, and
 * the directory fsynced. A crash before the rename leaves the old log whole (and a leftover file that
 * the next start-up removes); after it, the new one.
 */
async function compact(logPath: string, dir: string, rows: ReadonlyMap<string, ImageRow>): Promise<void> {
  const temporary = compactingPath(logPath);
  const handle = await open(temporary, "w");
  try {
    let chunk = "";
    for (const image of rows.values()) {
      chunk += logLine({ t: "put", image });
      if (chunk.length >= 1 << 20) {
        await writeAll(handle, Buffer.from(chunk, "utf8"));
        chunk = "";
      }
    }
    await writeAll(handle, Buffer.from(chunk, "utf8"));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, logPath);
  await fsyncPath(dir);
}

/** Replays the log (`undefined` when there is none, or it holds no record); truncates a torn last line. */
async function replayLog(logPath: string, onWarning?: (message: string) => void): Promise<Replayed | undefined> {
  let data: Buffer;
  try {
    data = await readFile(logPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DataFileError(logPath, `cannot be read: ${(error as Error).message}`);
  }
  const rows = new Map<string, ImageRow>();
  const mentioned = new Set<string>();
  let start = 0;
  let line = 0;
  let changes = 0;
  while (start < data.length) {
    const end = data.indexOf(0x0a, start);
    line++;
    if (end < 0) {
      // The process died while appending this line, so its write was never acknowledged.
      await truncate(logPath, start);
      onWarning?.(`${logPath}: line ${line} was cut short by a crash (an unacknowledged write); dropped it`);
      break;
    }
    const record = parseLine(data.subarray(start, end), logPath, line);
    for (const change of record.t === "batch" ? record.changes : [record]) {
      changes++;
      if (change.t === "put") {
        rows.set(change.image.id, change.image);
        if (change.image.blob !== null) mentioned.add(change.image.blob);
      } else {
        rows.delete(change.id);
      }
    }
    start = end + 1;
  }
  // An empty log is a lost one as far as the blobs are concerned (see openFileJournal).
  return line === 0 ? undefined : { rows, mentioned, changes };
}

function parseLine(bytes: Buffer, logPath: string, line: number): LogRecord {
  const corrupted = (why: string): DataFileError =>
    new DataFileError(logPath, `line ${line} is corrupted (${why}); the data directory cannot be loaded`);
  if (bytes.length < 10 || bytes[8] !== 0x20) throw corrupted("no checksum");
  const json = bytes.subarray(9);
  if (bytes.subarray(0, 8).toString("latin1") !== checksum(json)) throw corrupted("checksum mismatch");
  let record: unknown;
  try {
    record = JSON.parse(json.toString("utf8"));
  } catch {
    throw corrupted("not JSON");
  }
  if (!isRecord(record)) throw corrupted("not a change record");
  return record;
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

async function readBlob(path: string, hash: string): Promise<Uint8Array<ArrayBuffer>> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new DataFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); the data directory cannot be loaded`);
  }
  if (sha256(data) !== hash) throw new DataFileError(path, "is corrupted (its bytes do not match its hash); the data directory cannot be loaded");
  return new Uint8Array(data);
}

/**
 * Removes temporary files left by a crash, and the blobs of images the log shows deleted or replaced.
 * A blob the log never mentions is kept: it may belong to a write whose log line was lost, and deleting
 * it would turn a damaged log into lost images.
 */
async function removeStrayBlobs(blobDir: string, live: ReadonlySet<string>, mentioned: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(blobDir)) {
    if (name.startsWith(".tmp-") || (mentioned.has(name) && !live.has(name))) await rm(join(blobDir, name), { force: true });
  }
}

/** Writes all of `bytes`: one write(2) may write less than asked (a full disk), so go on until all is written. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length; ) {
    written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
  }
}

function logLine(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(Buffer.from(json, "utf8"))} ${json}\n`;
}

async function toRecord(change: Change, blobDir: string, known: Set<string>): Promise<ChangeRecord> {
  if (change.type === "delete") return { t: "del", id: change.id };
  const { bytes, ...rest } = change.image;
  let blob: string | null = null;
  if (bytes !== null) {
    blob = sha256(bytes);
    if (!known.has(blob)) {
      await writeBlob(blobDir, blob, bytes);
      known.add(blob);
    }
  }
  return { t: "put", image: { ...rest, blob } };
}

/** Writes a blob atomically: temporary file, fsync, rename, fsync of the directory. */
async function writeBlob(blobDir: string, hash: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(blobDir, `.tmp-${randomBytes(8).toString("hex")}`);
  let handle: FileHandle | undefined = await open(temporary, "w");
  try {
    await writeAll(handle, bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, join(blobDir, hash));
    await fsyncPath(blobDir);
  } catch (error) {
    await handle?.close();
    await rm(temporary, { force: true });
    throw error;
  }
}
