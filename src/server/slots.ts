/**
 * Small integer names for records ("slots") and sets of them as bits. The equality indexes use them to
 * intersect candidate lists without reading the records: a walk over one list asks the others' bit sets
 * whether a candidate is in them, and only the candidates in all of them are read and tested. Reading
 * a record is a cache miss on a large store; a bit of a set that fits in the CPU's cache is not.
 */

/** Gives each record a slot on first request; a released slot is given again to a later record. */
export class SlotAllocator<T extends object> {
  readonly #slots = new Map<T, number>();
  readonly #free: number[] = [];
  #next = 0;

  /** One more than the highest slot ever given: the size a bit set needs to hold any slot. */
  get capacity(): number {
    return this.#next;
  }

  /** The record's slot, given now if it has none. */
  slotOf(record: T): number {
    let slot = this.#slots.get(record);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#next++;
      this.#slots.set(record, slot);
    }
    return slot;
  }

  /** Takes the record's slot back, for a later record (the caller has removed it from every set). */
  release(record: T): void {
    const slot = this.#slots.get(record);
    if (slot === undefined) return;
    this.#slots.delete(record);
    this.#free.push(slot);
  }
}

/** A set of slots, one bit each; grows as larger slots are added. */
export class SlotSet {
  #words: Uint32Array;

  /** A set of `slots`, sized for slots below `capacity` (larger ones still fit: it grows). */
  constructor(slots: Iterable<number>, capacity: number) {
    this.#words = new Uint32Array(Math.max(1, Math.ceil(capacity / 32)));
    for (const slot of slots) this.add(slot);
  }

  has(slot: number): boolean {
    const word = slot >>> 5;
    return word < this.#words.length && (this.#words[word]! & (1 << (slot & 31))) !== 0;
  }

  add(slot: number): void {
    const word = slot >>> 5;
    if (word >= this.#words.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.#words.length * 2));
      grown.set(this.#words);
      this.#words = grown;
    }
    this.#words[word]! |= 1 << (slot & 31);
  }

  delete(slot: number): void {
    const word = slot >>> 5;
    if (word < this.#words.length) this.#words[word]! &= ~(1 << (slot & 31));
  }
}
