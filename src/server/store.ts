/**
 * The in-memory image store: a map by id, plus the completed images in list order (uploaded, then id)
 * for keyset pagination. Writes are serialised, and each one is made durable by the optional
 * {@link Journal} before it is applied and acknowledged; a journal that keeps image bytes elsewhere (the
 * data directory's blobs) hands back records that refer to them, so that the store holds no bytes then.
 * Web-standard: no Node APIs here.
 */
import { EqualityIndexes, type Equality } from "./equality.js";
import { ApiError } from "./errors.js";
import { creatorProblem, CUSTOM_ID_SIGNED_URLS, filenameProblem, idProblem } from "./fields.js";
import { detectFormat, FORMATS, type ImageFormat } from "./formats.js";
import { checkMetadata, type Metadata } from "./metadata.js";
import { comparePositions, insertSorted, lowerBound, removeSorted, type Position } from "./order.js";

export { comparePositions, type Position } from "./order.js";

/** One image as stored. Records are immutable: a change replaces the record. */
export interface StoredImage {
  readonly id: string;
  /** True when the id was chosen by the uploader (such images cannot require signed URLs). */
  readonly customId: boolean;
  readonly creator: string | null;
  readonly meta: Metadata;
  readonly requireSignedURLs: boolean;
  /** Upload time in milliseconds since the epoch (for a draft: when it was created). */
  readonly uploaded: number;
  /** True until something is uploaded to a direct-upload URL. */
  readonly draft: boolean;
  /** For a draft: when its upload URL expires (ms since the epoch). */
  readonly uploadExpires: number | null;
  /**
   * The secret part of a direct upload's URL (see `uploadUrl`), kept after completion so that a reused
   * URL is told apart (409) from a guessed one (404). Absent for images uploaded directly.
   */
  readonly uploadToken?: string;
  readonly filename: string | null;
  readonly format: ImageFormat["name"] | null;
  /**
   * The image: its bytes, or (with a data directory) where the journal keeps them, read when served
   * (see {@link ImageStore.bytesOf}); `null` for a draft.
   */
  readonly bytes: Uint8Array<ArrayBuffer> | StoredBlob | null;
}

/** Image bytes a {@link Journal} keeps (a data directory's `blobs/`), read when they are served. */
export interface StoredBlob {
  /** The SHA-256 of the bytes, in hex: what the journal finds them by, and checks them against. */
  readonly sha256: string;
  /** Their length. */
  readonly size: number;
}

/** Whether a record's bytes are kept by the journal rather than in memory. */
export function isStoredBlob(bytes: StoredImage["bytes"]): bytes is StoredBlob {
  return bytes !== null && !(bytes instanceof Uint8Array);
}

/** One change to the store, as a journal records it. */
export type Change = { readonly type: "put"; readonly image: StoredImage } | { readonly type: "delete"; readonly id: string };

/** Where changes are made durable before they are applied (e.g. a file with fsync, on Node). */
export interface Journal {
  /**
   * Resolves once the changes would survive a crash; rejects if they may not. It may resolve to the
   * changes as they are to be held: the same records, with bytes it keeps itself replaced by a
   * {@link StoredBlob} that it can {@link readBlob} (otherwise the changes are held as given).
   */
  append(changes: readonly Change[]): Promise<readonly Change[] | void>;
  /** The bytes of a blob this journal handed back; rejects when they cannot be read or no longer match. */
  readBlob?(blob: StoredBlob): Promise<Uint8Array<ArrayBuffer>>;
}

/** One page of a list walk. */
export interface Page {
  readonly images: readonly StoredImage[];
  /** True when more matching images follow the last one returned. */
  readonly more: boolean;
}

/** What a list walk needs. */
export interface PageQuery {
  readonly matches: (image: StoredImage) => boolean;
  readonly order: "asc" | "desc";
  /** The position of the last image of the previous page; absent for the first page. */
  readonly after?: Position | undefined;
  readonly limit: number;
  /**
   * Equality conditions every match satisfies (see `equalities`): the walk may then go over an index
   * of one of them instead of every image. `matches` still decides, so the result is the same.
   */
  readonly equalities?: readonly Equality[] | undefined;
}

/** The image store. */
export class ImageStore {
  readonly #byId = new Map<string, StoredImage>();
  /** Completed images in list order (ascending). */
  #listed: StoredImage[] = [];
  readonly #indexes = new EqualityIndexes<StoredImage>();
  readonly #journal: Journal | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** A store holding `images` (already durable: they are not journalled again). */
  constructor(images: Iterable<StoredImage> = [], journal?: Journal) {
    this.#journal = journal;
    for (const image of images) this.#byId.set(image.id, image);
    this.#listed = [...this.#byId.values()].filter((image) => !image.draft).sort(comparePositions);
  }

  /** The image (or draft) with this id. */
  get(id: string): StoredImage | undefined {
    return this.#byId.get(id);
  }

  /** Images and drafts. */
  get size(): number {
    return this.#byId.size;
  }

  /** Completed images (drafts excluded). */
  get listedCount(): number {
    return this.#listed.length;
  }

  /** Every image and draft, in no particular order. */
  all(): IterableIterator<StoredImage> {
    return this.#byId.values();
  }

  /**
   * Runs one write: `plan` looks at the current state and returns the changes and the answer (or
   * throws to refuse). Writes run one at a time, so what `plan` saw still holds when the changes are
   * journalled and applied; the answer is returned only once they are durable.
   */
  write<T>(plan: () => { changes: readonly Change[]; result: T }): Promise<T> {
    const run = async (): Promise<T> => {
      const { changes, result } = plan();
      if (changes.length > 0) {
        const held = (this.#journal && (await this.#journal.append(changes))) || changes;
        for (const change of held) this.#apply(change);
      }
      return result;
    };
    const done = this.#queue.then(run, run);
    this.#queue = done.catch(() => undefined);
    return done;
  }

  /**
   * The bytes of an image (`null` for a draft), read from the journal when it keeps them.
   * @throws when the journal cannot read them, or they no longer match their hash.
   */
  async bytesOf(image: StoredImage): Promise<Uint8Array<ArrayBuffer> | null> {
    const { bytes } = image;
    if (!isStoredBlob(bytes)) return bytes;
    if (!this.#journal?.readBlob) throw new Error(`image ${JSON.stringify(image.id)} refers to a blob, but this store's journal reads none`);
    return this.#journal.readBlob(bytes);
  }

  /** Resolves once every write queued so far has finished (so that a data file can be closed safely). */
  idle(): Promise<void> {
    return this.#queue.then(() => undefined);
  }

  /**
   * Adds images as they are (seeding, tests, benchmarks), made durable like any write.
   * @throws TypeError naming the image and the field when a record could not be listed or stored.
   */
  async bulkPut(images: readonly StoredImage[]): Promise<void> {
    images.forEach(checkStoredImage);
    await this.write(() => ({ changes: images.map((image) => ({ type: "put" as const, image })), result: undefined }));
  }

  /**
   * Replaces everything stored (drafts too) with `images`, in one write: a journal records it as one
   * change, so a crash keeps the old store or the new one, never part of each.
   * @throws TypeError naming the image and the field when a record could not be listed or stored.
   */
  async replaceAll(images: readonly StoredImage[]): Promise<void> {
    images.forEach(checkStoredImage);
    await this.write(() => ({
      changes: [
        ...[...this.#byId.keys()].map((id) => ({ type: "delete" as const, id })),
        ...images.map((image) => ({ type: "put" as const, image })),
      ],
      result: undefined,
    }));
  }

  #apply(change: Change): void {
    const id = change.type === "put" ? change.image.id : change.id;
    const previous = this.#byId.get(id);
    if (previous && !previous.draft) this.#unlist(previous);
    if (change.type === "delete") {
      this.#byId.delete(id);
      return;
    }
    this.#byId.set(id, change.image);
    if (!change.image.draft) this.#list(change.image);
  }

  #list(image: StoredImage): void {
    insertSorted(this.#listed, image);
    this.#indexes.add(image);
  }

  #unlist(image: StoredImage): void {
    removeSorted(this.#listed, image);
    this.#indexes.remove(image);
  }

  /**
   * One page of matching completed images, strictly after `after` in the walk's direction. Keyset
   * pagination: images added or deleted elsewhere never shift the walk.
   */
  page(query: PageQuery): Page {
    const { matches, order, after, limit } = query;
    const found = query.equalities && this.#indexes.candidates(query.equalities, () => this.#listed);
    const listed = found ? found.images : this.#listed;
    const images: StoredImage[] = [];
    if (order === "asc") {
      let i = after ? lowerBound(listed, after) : 0;
      if (after && i < listed.length && comparePositions(listed[i]!, after) === 0) i++;
      for (; i < listed.length; i++) {
        // `admits` first: it refuses most candidates of a narrowed walk without reading them.
        if (found && !found.admits(i)) continue;
        const image = listed[i]!;
        if (!matches(image)) continue;
        if (images.length === limit) return { images, more: true };
        images.push(image);
      }
    } else {
      for (let i = (after ? lowerBound(listed, after) : listed.length) - 1; i >= 0; i--) {
        if (found && !found.admits(i)) continue;
        const image = listed[i]!;
        if (!matches(image)) continue;
        if (images.length === limit) return { images, more: true };
        images.push(image);
      }
    }
    return { images, more: false };
  }

  /** Completed images in list order from `offset`, for the v1 list (page numbers). */
  slice(order: "asc" | "desc", matches: (image: StoredImage) => boolean, offset: number, limit: number): StoredImage[] {
    const out: StoredImage[] = [];
    let skipped = 0;
    const listed = this.#listed;
    const n = listed.length;
    for (let k = 0; k < n && out.length < limit; k++) {
      const image = listed[order === "asc" ? k : n - 1 - k]!;
      if (!matches(image)) continue;
      if (skipped < offset) skipped++;
      else out.push(image);
    }
    return out;
  }
}

/** What is wrong with a record, and in which of its fields (absent when it is not a record at all). */
export interface RecordProblem {
  readonly field?: string;
  readonly problem: string;
}

/**
 * What the routes check on the way in, checked for images added directly (they skip the routes): a
 * record the API could not have made is refused, so that what works against the emulator works against
 * the API. `undefined` when the record is fine.
 */
export function recordProblem(image: StoredImage): RecordProblem | undefined {
  if (typeof image !== "object" || image === null) return { problem: "is not an object" };
  for (const field of ["draft", "customId", "requireSignedURLs"] as const) {
    if (typeof image[field] !== "boolean") return { field, problem: "draft, customId and requireSignedURLs must be booleans" };
  }
  if (typeof image.id !== "string") return { field: "id", problem: "id must be a string" };
  const idIssue = idProblem(image.id, image.customId);
  if (idIssue !== undefined) return { field: "id", problem: idIssue };
  if (image.customId && image.requireSignedURLs) return { field: "requireSignedURLs", problem: CUSTOM_ID_SIGNED_URLS };
  for (const field of ["uploaded", "uploadExpires"] as const) {
    const time = field === "uploaded" ? image.uploaded : (image.uploadExpires ?? 0);
    if (typeof time !== "number" || !Number.isFinite(time) || Math.abs(time) > 8.64e15) return { field, problem: "times must be milliseconds a Date can hold" };
  }
  if (image.creator !== null && typeof image.creator !== "string") return { field: "creator", problem: "creator must be a string or null" };
  const creatorIssue = image.creator === null ? undefined : creatorProblem(image.creator);
  if (creatorIssue !== undefined) return { field: "creator", problem: creatorIssue };
  if (image.filename !== null && typeof image.filename !== "string") return { field: "filename", problem: "filename must be a string or null" };
  const filenameIssue = image.filename === null ? undefined : filenameProblem(image.filename);
  if (filenameIssue !== undefined) return { field: "filename", problem: filenameIssue };
  if (image.format !== null && !Object.hasOwn(FORMATS, image.format)) return { field: "format", problem: `format must be one of ${Object.keys(FORMATS).join(", ")}` };
  if (image.bytes !== null && !(image.bytes instanceof Uint8Array)) return { field: "bytes", problem: "bytes must be a Uint8Array, or null for a draft" };
  if (image.bytes !== null && detectFormat(image.bytes)?.name !== image.format) {
    return { field: "bytes", problem: `bytes must be an image of the format given (${String(image.format)}), recognised by its bytes as an upload is` };
  }
  try {
    checkMetadata(image.meta);
  } catch (error) {
    const message = error instanceof ApiError ? error.errors.map((item) => item.message).join("; ") : error instanceof Error ? error.message : String(error);
    return { field: "meta", problem: `meta: ${message}` };
  }
  return undefined;
}

/** {@link recordProblem} as a TypeError naming the image (for `addImages`). */
function checkStoredImage(image: StoredImage, index: number): void {
  const found = recordProblem(image);
  if (found) throw new TypeError(`image ${index} (${JSON.stringify(image?.id)}): ${found.problem}`);
}
