/**
 * The emulator's data directory on Node: every acknowledged write survives `kill -9`. Loaded on demand
 * when `dataDir` is given, never on the web-standard path.
 *
 * Data directory layout:
 * - `images.log`: an append-only log, one write per line (see log-lines.ts), fsynced before the write
 *   is acknowledged. A last line cut short (the process died mid-append) is a write that was never
 *   acknowledged: it is dropped, with a warning. A last line that is whole but lost its `\n` is kept,
 *   and the `\n` restored, with a warning. Any other damage (a bad checksum, bad JSON, a line missing,
 *   repeated or out of place) is a startup error naming the file and line.
 * - `blobs/<sha256>`: image bytes, content-addressed (an image id never becomes a file name), each
 *   written to a temporary file, fsynced and renamed into place before the log line that refers to it.
 *   Every blob the log refers to is read and checked against its hash at start-up, one at a time; the
 *   store then holds only its hash and size, and the bytes are read (and checked again) when served.
 * - `lock`: the pid of the emulator using the directory (see lock.ts).
 * At start-up, a log that is mostly replaced or deleted images, or written in an older format, is
 * rewritten with the live ones only.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, truncate, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DataFileError } from "./data-file-error.js";
import type { Warn } from "./errors.js";
import { lockDataDir } from "./lock.js";
import { completeLineAt, EMPTY_CHAIN, formatLine, LOG_FORMAT, readLine, SHA256_HEX, type Chain, type ChangeRecord, type ImageRow, type LogRecord } from "./log-lines.js";
import { isStoredBlob, type Change, type Journal, type StoredBlob, type StoredImage } from "./store.js";

const LOG_FILE = "images.log";
const BLOB_DIR = "blobs";

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * `mkdir -p`, without the endless loop of Node's `mkdir(path, { recursive: true })` where a directory
 * exists but refuses new entries with ENOENT (`/proc/1`): Node then makes the parent, finds that it
 * exists, and tries the child again, forever. Here a child is tried again once.
 * @throws the error of the directory that cannot be made (EEXIST when `path` is there but is no directory).
 */
async function makeDirectory(path: string, parentMade = false): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await stat(path)).isDirectory()) return;
    const parent = dirname(path);
    if (code !== "ENOENT" || parentMade || parent === path) throw error;
    await makeDirectory(parent);
    await makeDirectory(path, true);
  }
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
export async function openFileJournal(dir: string, onWarning?: Warn): Promise<OpenedJournal> {
  const logPath = join(dir, LOG_FILE);
  const blobDir = join(dir, BLOB_DIR);
  try {
    await makeDirectory(blobDir);
  } catch (error) {
    throw new DataFileError(blobDir, `cannot be created (${(error as NodeJS.ErrnoException).code ?? "error"}); ${dir} must be a directory the emulator can write in`);
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
  onWarning: Warn | undefined,
  unlock: () => Promise<void>,
): Promise<OpenedJournal> {
  const replayed = await replayLog(logPath);
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
  // The size of each blob the live images refer to, once it is checked.
  const blobs = new Map<string, number>();
  for (const row of rows?.values() ?? []) {
    const { blob, ...rest } = row;
    let bytes: StoredBlob | null = null;
    if (blob !== null) {
      let size = blobs.get(blob);
      if (size === undefined) blobs.set(blob, (size = await checkBlob(join(blobDir, blob), blob)));
      bytes = { sha256: blob, size };
    }
    images.push({ ...rest, bytes });
  }
  // Nothing below refuses the data: only now is any file changed.
  if (replayed?.tail) await mendTail(logPath, replayed.tail, onWarning);
  await removeStrayBlobs(blobDir, new Set(blobs.keys()), replayed?.mentioned ?? new Set());
  // After the stray blobs are gone: a compacted log no longer mentions the blobs of deleted images.
  await rm(compactingPath(logPath), { force: true }); // a compaction a crash interrupted
  let chain = replayed?.chain ?? EMPTY_CHAIN;
  if (replayed && (chain.format !== LOG_FORMAT || needsCompaction(replayed))) chain = await compact(logPath, dir, replayed.rows);

  const handle = await open(logPath, "a");
  // The log's directory entry must be durable too, or a new log could vanish with its first write.
  await fsyncPath(dir);
  let logSize = (await handle.stat()).size;
  const known = new Set(blobs.keys());
  const journal: Journal = {
    async append(changes) {
      const records: ChangeRecord[] = [];
      const held: Change[] = [];
      for (const change of changes) {
        const { record, change: kept } = await toRecord(change, blobDir, known);
        records.push(record);
        held.push(kept);
      }
      // One line, whatever the number of changes: a crash mid-append keeps all of them or none.
      const line = formatLine(records.length === 1 ? records[0]! : { t: "batch", changes: records }, chain);
      const text = Buffer.from(line.text, "utf8");
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
      chain = line.chain;
      // The store holds where the bytes are, not the bytes.
      return held;
    },
    readBlob: (blob) => readBlob(join(blobDir, blob.sha256), blob),
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

/**
 * What the log holds: the live rows by id, every blob any record ever referred to, how many changes,
 * where the chain of lines stands, and what to mend at its end.
 */
interface Replayed {
  readonly rows: Map<string, ImageRow>;
  readonly mentioned: Set<string>;
  readonly changes: number;
  readonly chain: Chain;
  readonly tail: Tail | undefined;
}

/** The log's last bytes, when they end without a newline: cut them at `at`, and restore the newline if a whole line ends there. */
interface Tail {
  readonly at: number;
  readonly whole: boolean;
  /** The line they are (or begin). */
  readonly line: number;
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
 * Rewrites the log as one `put` line per live image, in the current format: written beside it,
 * fsynced, renamed over it, and the directory fsynced. A crash before the rename leaves the old log
 * whole (and a leftover file that the next start-up removes); after it, the new one.
 * @returns the chain the new log ends with.
 */
async function compact(logPath: string, dir: string, rows: ReadonlyMap<string, ImageRow>): Promise<Chain> {
  const temporary = compactingPath(logPath);
  const handle = await open(temporary, "w");
  let chain = EMPTY_CHAIN;
  try {
    let chunk = "";
    for (const image of rows.values()) {
      const line = formatLine({ t: "put", image }, chain);
      chunk += line.text;
      chain = line.chain;
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
  return chain;
}

/**
 * Replays the log (`undefined` when there is none, or it is empty), checking each line against the
 * ones before it. Changes no file: what its end needs is returned as `tail`.
 * @throws DataFileError naming the line when one cannot be read or does not follow the one before.
 */
async function replayLog(logPath: string): Promise<Replayed | undefined> {
  let data: Buffer;
  try {
    data = await readFile(logPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DataFileError(logPath, `cannot be read: ${(error as Error).message}`);
  }
  // An empty log is a lost one as far as the blobs are concerned (see openFileJournal).
  if (data.length === 0) return undefined;
  const rows = new Map<string, ImageRow>();
  const mentioned = new Set<string>();
  let chain = EMPTY_CHAIN;
  let changes = 0;
  let tail: Tail | undefined;
  const apply = (record: LogRecord): void => {
    for (const change of record.t === "batch" ? record.changes : [record]) {
      changes++;
      if (change.t === "put") {
        rows.set(change.image.id, change.image);
        if (change.image.blob !== null) mentioned.add(change.image.blob);
      } else {
        rows.delete(change.id);
      }
    }
  };
  const refuse = (line: number, problem: string): DataFileError =>
    new DataFileError(logPath, `line ${line} ${problem}; the data directory cannot be loaded`);
  for (let start = 0; start < data.length; ) {
    const end = data.indexOf(0x0a, start);
    const line = chain.lines + 1;
    if (end < 0) {
      // No newline: the last write was cut short by a crash, and so never acknowledged; unless the
      // line is whole (its checksum holds), and only its newline was lost.
      const whole = completeLineAt(data.subarray(start), chain);
      if (whole && "problem" in whole) throw refuse(line, whole.problem);
      if (whole) apply(whole.record);
      chain = whole?.chain ?? chain;
      tail = { at: whole ? start + whole.end : start, whole: whole !== undefined, line };
      break;
    }
    const read = readLine(data.subarray(start, end), chain);
    if ("problem" in read) throw refuse(line, read.problem);
    apply(read.record);
    chain = read.chain;
    start = end + 1;
  }
  return { rows, mentioned, changes, chain, tail };
}

/** Cuts the log's last bytes away, restoring the newline of a whole line they end with; says so. */
async function mendTail(logPath: string, tail: Tail, onWarning: Warn | undefined): Promise<void> {
  await truncate(logPath, tail.at);
  if (tail.whole) {
    await appendFile(logPath, "\n");
    await fsyncPath(logPath);
    onWarning?.(`${logPath}: line ${tail.line} is whole (its checksum holds) but its newline was missing or damaged; kept it and restored the newline`);
  } else {
    onWarning?.(`${logPath}: line ${tail.line} was cut short by a crash (an unacknowledged write); dropped it`);
  }
}

/**
 * Checks a blob at start-up without keeping it: read in pieces, hashed.
 * @returns its size.
 * @throws DataFileError naming it when it cannot be read or does not match its hash.
 */
async function checkBlob(path: string, hash: string): Promise<number> {
  const digest = createHash("sha256");
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      digest.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    throw new DataFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); the data directory cannot be loaded`);
  }
  if (digest.digest("hex") !== hash) throw new DataFileError(path, "is corrupted (its bytes do not match its hash); the data directory cannot be loaded");
  return size;
}

/**
 * A blob's bytes, when an image is served (or exported).
 * @throws DataFileError naming it when it cannot be read or no longer matches its hash (changed since start-up).
 */
async function readBlob(path: string, blob: StoredBlob): Promise<Uint8Array<ArrayBuffer>> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new DataFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (data.length !== blob.size || sha256(data) !== blob.sha256) throw new DataFileError(path, "is corrupted (its bytes no longer match its hash)");
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength) as Uint8Array<ArrayBuffer>;
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

/**
 * A change as a log record, with the bytes of a put written to their blob first, and the change as the
 * store is to hold it: its bytes replaced by where they are.
 */
async function toRecord(change: Change, blobDir: string, known: Set<string>): Promise<{ record: ChangeRecord; change: Change }> {
  if (change.type === "delete") return { record: { t: "del", id: change.id }, change };
  const { bytes, ...rest } = change.image;
  let stored: StoredBlob | null = null;
  if (isStoredBlob(bytes)) {
    // A record already held (a PATCH keeps the image's bytes): they are in a blob of this directory.
    if (!known.has(bytes.sha256)) throw new Error(`blob ${bytes.sha256} is not one of this data directory's`);
    stored = bytes;
  } else if (bytes !== null) {
    const hash = sha256(bytes);
    if (!known.has(hash)) {
      await writeBlob(blobDir, hash, bytes);
      known.add(hash);
    }
    stored = { sha256: hash, size: bytes.length };
  }
  return {
    record: { t: "put", image: { ...rest, blob: stored && stored.sha256 } },
    change: { type: "put", image: { ...change.image, bytes: stored } },
  };
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
