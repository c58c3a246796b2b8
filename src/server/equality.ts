/**
 * Equality indexes for the list: `meta.<path> = value` conditions at the top of a filter (alone or
 * in an `and`) narrow a walk to the images whose value at that path is `value`, instead of every
 * image. With several such conditions the shortest list is walked, and the other lists, held as bit
 * sets of slots (see `slots.ts`), refuse the candidates missing from them without reading those images.
 * The index only proposes candidates: the filter's own predicate still decides each one, so a walk over
 * an index returns exactly what a full scan would, in the same order.
 *
 * Indexes are built on first use per path, kept up to date by every write, and capped in number.
 */
import { valueAt, type FilterNode, type Scalar } from "../index.js";
import { insertAt, insertSorted, removeSorted, type Position } from "./order.js";
import { SlotAllocator, SlotSet } from "./slots.js";

/** One `meta.<path> = value` condition that every match must satisfy. */
export interface Equality {
  readonly path: readonly string[];
  readonly value: Scalar;
}

/** The equality conditions every match of `filter` satisfies (those of a top-level `and`, or the root). */
export function equalities(filter: FilterNode): Equality[] {
  const conditions = filter.type === "and" ? filter.operands : [filter];
  const found: Equality[] = [];
  for (const node of conditions) {
    if (node.type === "compare" && node.op === "eq" && node.field.type === "meta") found.push({ path: node.field.path, value: node.value.value });
  }
  return found;
}

/** What an index holds: positions with metadata. */
export interface Indexed extends Position {
  readonly meta: unknown;
}

/** The images with one value at one path, in list order, with their slots; the same list as bits. */
interface Entry<T> {
  readonly images: T[];
  /** `slots[i]` is the slot of `images[i]`. */
  readonly slots: number[];
  /** The slots as a set, made when the list is used to narrow another (see `EqualityIndexes`). */
  members: SlotSet | undefined;
}

/**
 * A list is worth a bit set when it holds at least 1/DENSE of all slots: the set's bytes (slots / 8)
 * then stay within the list's own (8 bytes a slot). A set is dropped below half that.
 */
const DENSE = 64;

/** The images with each scalar value at one path, each list in list order. */
class PathIndex<T extends Indexed> {
  readonly #path: readonly string[];
  /** `Map` keys compare like `===` for scalars (metadata comes from JSON: never NaN). */
  readonly #entries = new Map<unknown, Entry<T>>();
  /** When this index was last used (see `EqualityIndexes`), for least-recently-used eviction. */
  lastUsed = 0;

  constructor(path: readonly string[], images: readonly T[], slots: SlotAllocator<T>) {
    this.#path = path;
    // `images` is in list order, so pushing keeps every list sorted.
    for (const image of images) {
      const key = this.#key(image);
      if (key === undefined) continue;
      const entry = this.#entryFor(key);
      entry.images.push(image);
      entry.slots.push(slots.slotOf(image));
    }
  }

  #key(image: T): Scalar | undefined {
    const value = valueAt(image.meta, this.#path);
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
  }

  #entryFor(key: Scalar): Entry<T> {
    let entry = this.#entries.get(key);
    if (!entry) this.#entries.set(key, (entry = { images: [], slots: [], members: undefined }));
    return entry;
  }

  add(image: T, slots: SlotAllocator<T>): void {
    const key = this.#key(image);
    if (key === undefined) return;
    const entry = this.#entryFor(key);
    const slot = slots.slotOf(image);
    insertAt(entry.slots, insertSorted(entry.images, image), slot);
    entry.members?.add(slot);
  }

  remove(image: T, slots: SlotAllocator<T>): void {
    const key = this.#key(image);
    if (key === undefined) return;
    const entry = this.#entries.get(key);
    if (!entry) return;
    const at = removeSorted(entry.images, image);
    if (at < 0) return;
    const [slot] = entry.slots.splice(at, 1);
    if (entry.images.length === 0) this.#entries.delete(key);
    else if (entry.members && entry.images.length * DENSE * 2 < slots.capacity) entry.members = undefined;
    else entry.members?.delete(slot!);
  }

  get(value: Scalar): Entry<T> | undefined {
    return this.#entries.get(value);
  }
}

/**
 * The candidates of a walk: `images` in list order, and whether the one at an index can match. A
 * candidate refused by `admits` fails an equality for certain; one it admits must still be tested.
 */
export class Candidates<T> {
  readonly images: readonly T[];
  readonly #slots: readonly number[];
  readonly #sets: readonly SlotSet[];

  constructor(images: readonly T[], slots: readonly number[] = [], sets: readonly SlotSet[] = []) {
    this.images = images;
    this.#slots = slots;
    this.#sets = sets;
  }

  /** False when the image at `i` is missing from another equality's list (so cannot match). */
  admits(i: number): boolean {
    const sets = this.#sets;
    if (sets.length === 0) return true;
    const slot = this.#slots[i]!;
    for (let k = 0; k < sets.length; k++) if (!sets[k]!.has(slot)) return false;
    return true;
  }
}

const EMPTY = new Candidates<never>([]);

/** How many paths may be indexed at once; further paths are scanned (keeps writes and memory bounded). */
export const MAX_INDEXED_PATHS = 16;

/** The equality indexes of one store. */
export class EqualityIndexes<T extends Indexed> {
  readonly #byPath = new Map<string, PathIndex<T>>();
  /** The slots of the images in any index (given as they enter one, taken back as they leave the store). */
  readonly #slots = new SlotAllocator<T>();
  /**
   * Counts uses, to stamp each index with its last one. Not a map re-ordered on every use (deleted and
   * set again): that made the map, long-lived, re-allocate its table on nearly every list request, and
   * V8 allocates the table of an old map in the old generation, where each discarded one waits for a
   * full GC (~120 bytes per list request).
   */
  #uses = 0;

  /**
   * The candidates for these conditions (a superset of the matches, in list order), or `undefined`
   * when none can be used: the shortest list, narrowed by the other lists that are dense enough to
   * hold as bits. Builds an index for a new path from `all` (in list order).
   */
  candidates(conditions: readonly Equality[], all: () => readonly T[]): Candidates<T> | undefined {
    if (conditions.length === 0) return undefined;
    const lists: Entry<T>[] = [];
    for (const { path, value } of conditions) {
      const name = JSON.stringify(path);
      let index = this.#byPath.get(name);
      if (!index) {
        // At the limit, the index used least recently makes room: paths queried once long ago
        // (a typo, an experiment) must not keep the slots from the paths in use.
        if (this.#byPath.size >= MAX_INDEXED_PATHS) this.#evictLeastRecentlyUsed();
        index = new PathIndex(path, all(), this.#slots);
        this.#byPath.set(name, index);
      }
      index.lastUsed = ++this.#uses;
      const entry = index.get(value);
      if (!entry) return EMPTY as Candidates<T>; // no image has this value: nothing can match
      lists.push(entry);
    }
    lists.sort((a, b) => a.images.length - b.images.length);
    const [walked, ...others] = lists as [Entry<T>, ...Entry<T>[]];
    const sets: SlotSet[] = [];
    const capacity = this.#slots.capacity;
    for (const entry of others) {
      if (entry === walked || entry.images.length * DENSE < capacity) continue;
      sets.push((entry.members ??= new SlotSet(entry.slots, capacity)));
    }
    return new Candidates(walked.images, walked.slots, sets);
  }

  #evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [name, index] of this.#byPath) {
      if (index.lastUsed < oldestUse) {
        oldest = name;
        oldestUse = index.lastUsed;
      }
    }
    if (oldest !== undefined) this.#byPath.delete(oldest);
  }

  /** Adds a newly listed image to every index built so far. */
  add(image: T): void {
    for (const index of this.#byPath.values()) index.add(image, this.#slots);
  }

  /** Removes an image (the very record that was added) from every index. */
  remove(image: T): void {
    for (const index of this.#byPath.values()) index.remove(image, this.#slots);
    this.#slots.release(image);
  }
}
