/**
 * A record of a seed or an import that cannot be stored. Nothing of the seed or import is then stored:
 * they are all-or-nothing.
 */

/** What {@link RecordError} names. */
export interface RecordErrorDetail {
  /** Where the records come from, e.g. `seed`, `images.json`, `import`. */
  readonly source: string;
  /** Which entry: its index in a seed (from 0), its line in an import (from 1); absent when the whole is at fault. */
  readonly entry?: number | undefined;
  /** What the entry is called: `entry` in a seed, `line` in an import. */
  readonly entryName?: string | undefined;
  /** The entry's id, when it has one. */
  readonly id?: string | undefined;
  /** The field at fault, when one is. */
  readonly field?: string | undefined;
  /** What is wrong, in plain words. */
  readonly problem: string;
}

/**
 * A bad record in a seed or an import, naming the entry (index and id) and the field:
 * `images.json: entry 3 (id "cat.png"), field "meta": meta: must be a JSON object`.
 */
export class RecordError extends Error {
  override readonly name = "RecordError";
  readonly source: string;
  readonly entry: number | undefined;
  readonly id: string | undefined;
  readonly field: string | undefined;
  readonly problem: string;

  constructor(detail: RecordErrorDetail) {
    const entry = detail.entry === undefined ? "" : ` ${detail.entryName ?? "entry"} ${detail.entry}`;
    const id = detail.id === undefined ? "" : ` (id ${JSON.stringify(detail.id)})`;
    const field = detail.field === undefined ? "" : `${entry || id ? "," : ""} field ${JSON.stringify(detail.field)}`;
    super(`${detail.source}:${entry}${id}${field}${entry || id || field ? ":" : ""} ${detail.problem}`);
    this.source = detail.source;
    this.entry = detail.entry;
    this.id = detail.id;
    this.field = detail.field;
    this.problem = detail.problem;
  }
}
