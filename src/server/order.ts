/**
 * List order, shared by the store and its indexes: by upload time, ties broken by id (UTF-16 code
 * unit order).
 */

/** A position in list order: the (uploaded, id) of an image. */
export interface Position {
  readonly uploaded: number;
  readonly id: string;
}

/** List order: by upload time, ties broken by id (UTF-16 code unit order). */
export function comparePositions(a: Position, b: Position): number {
  if (a.uploaded !== b.uploaded) return a.uploaded - b.uploaded;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Index of the first entry of an ascending list at or after `position` (binary search). */
export function lowerBound(list: readonly Position[], position: Position): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (comparePositions(list[mid]!, position) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Inserts into an ascending list, keeping it sorted; returns where it went (for a list kept beside it,
 * see {@link insertAt}). Appending, the common case, is found without a search.
 */
export function insertSorted<T extends Position>(list: T[], item: T): number {
  const last = list[list.length - 1];
  const at = !last || comparePositions(last, item) < 0 ? list.length : lowerBound(list, item);
  insertAt(list, at, item);
  return at;
}

/** Inserts `item` at index `at` (at the end by `push`, cheaper than `splice`). */
export function insertAt<T>(list: T[], at: number, item: T): void {
  if (at === list.length) list.push(item);
  else list.splice(at, 0, item);
}

/** Removes the entry with this position and id from an ascending list; returns where it was, or -1. */
export function removeSorted<T extends Position>(list: T[], item: Position): number {
  const at = lowerBound(list, item);
  if (list[at]?.id !== item.id) return -1;
  list.splice(at, 1);
  return at;
}
