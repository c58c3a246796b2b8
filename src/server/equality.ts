/**
 * Equality indexes for the list: `meta.<path> = value` conditions at the top of a filter (alone or
 * in an `and`) narrow a walk to the images whose value at that path is `value`, instead of every
 * image. The index only proposes candidates: the filter's own predicate still decides each one, so a
 * walk over an index returns exactly what a full scan would, in the same order.
 *
 * Indexes are built on first use per path, kept up to date by every write, and capped in number.
 */
import type { FilterNode, Scalar } from "../ast.js";
import { insertSorted, removeSorted, type Position } from "./order.js";

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

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The value at a path of own properties. Deliberately at least as lenient as the predicate's reader
 * (which also refuses arrays on the way): an index must never leave out an image the predicate matches.
 */
function valueAt(meta: unknown, path: readonly string[]): unknown {
  let value = meta;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !hasOwn.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What an index holds: positions with metadata. */
export interface Indexed extends Position {
  readonly meta: unknown;
}

/** The images with each scalar value at one path, each list in list order. */
class PathIndex<T extends Indexed> {
  readonly #path: readonly string[];
  /** `Map` keys compare like `===` for scalars (metadata comes from JSON: never NaN). */
  readonly #lists = new Map<unknown, T[]>();
  /** When this index was last used (see `EqualityIndexes`), for least-recently-used eviction. */
  lastUsed = 0;

  constructor(path: readonly string[], images: readonly T[]) {
    this.#path = path;
    // `images` is in list order, so pushing keeps every list sorted.
    for (const image of images) {
      const key = this.#key(image);
      if (key !== undefined) this.#listFor(key).push(image);
    }
  }

  #key(image: T): Scalar | undefined {
    const value = valueAt(image.meta, this.#path);
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
  }

  #listFor(key: Scalar): T[] {
    let list = this.#lists.get(key);
    if (!list) this.#lists.set(key, (list = []));
    return list;
  }

  add(image: T): void {
    const key = this.#key(image);
    if (key !== undefined) insertSorted(this.#listFor(key), image);
  }

  remove(image: T): void {
    const key = this.#key(image);
    if (key === undefined) return;
    const list = this.#lists.get(key);
    if (!list) return;
    removeSorted(list, image);
    if (list.length === 0) this.#lists.delete(key);
  }

  get(value: Scalar): readonly T[] {
    return this.#lists.get(value) ?? [];
  }
}

/** How many paths may be indexed at once; further paths are scanned (keeps writes and memory bounded). */
export const MAX_INDEXED_PATHS = 16;

/** The equality indexes of one store. */
export class EqualityIndexes<T extends Indexed> {
  readonly #byPath = new Map<string, PathIndex<T>>();
  /**
   * Counts uses, to stamp each index with its last one. Not a map re-ordered on every use (deleted and
   * set again): that made the map, long-lived, re-allocate its table on nearly every list request, and
   * V8 allocates the table of an old map in the old generation, where each discarded one waits for a
   * full GC (~120 bytes per list request).
   */
  #uses = 0;

  /**
   * The shortest candidate list for these conditions (a superset of the matches, in list order), or
   * `undefined` when none can be used. Builds an index for a new path from `all` (in list order).
   */
  candidates(conditions: readonly Equality[], all: () => readonly T[]): readonly T[] | undefined {
    let best: readonly T[] | undefined;
    for (const { path, value } of conditions) {
      const name = JSON.stringify(path);
      let index = this.#byPath.get(name);
      if (!index) {
        // At the limit, the index used least recently makes room: paths queried once long ago
        // (a typo, an experiment) must not keep the slots from the paths in use.
        if (this.#byPath.size >= MAX_INDEXED_PATHS) this.#evictLeastRecentlyUsed();
        index = new PathIndex(path, all());
        this.#byPath.set(name, index);
      }
      index.lastUsed = ++this.#uses;
      const list = index.get(value);
      if (!best || list.length < best.length) best = list;
    }
    return best;
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
    for (const index of this.#byPath.values()) index.add(image);
  }

  /** Removes an image (the very record that was added) from every index. */
  remove(image: T): void {
    for (const index of this.#byPath.values()) index.remove(image);
  }
}
