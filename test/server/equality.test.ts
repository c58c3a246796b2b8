/**
 * The equality indexes under random changes: images added and removed (so slots are taken back and given
 * again, and bit sets grow and are dropped), asked for candidates after every few changes. The
 * candidates a walk tests must include every image that has all the values, in list order; with few
 * images every list is dense enough to narrow the walk, and then they are exactly those images.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EqualityIndexes, type Candidates, type Equality } from "../../src/server/equality.js";

interface Record {
  readonly id: string;
  readonly uploaded: number;
  readonly meta: { s?: string; t?: number; r?: { n?: string } | readonly string[] };
}

const SEED = 20261122;

const metaArb = fc.record(
  {
    // "z" is rare: its list is sparse once there are many images, and is not used to narrow walks.
    s: fc.oneof({ weight: 20, arbitrary: fc.constantFrom("a", "b", "c") }, { weight: 1, arbitrary: fc.constant("z") }),
    t: fc.constantFrom(1, 2),
    r: fc.oneof(fc.record({ n: fc.constantFrom("x", "y") }, { requiredKeys: [] }), fc.constant(["x"])),
  },
  { requiredKeys: [] },
);

const equalityArb: fc.Arbitrary<Equality> = fc.oneof(
  fc.record({ path: fc.constant(["s"]), value: fc.constantFrom<string | number>("a", "b", "z", 1) }),
  fc.record({ path: fc.constant(["t"]), value: fc.constantFrom<number | string>(1, 2, "1") }),
  fc.record({ path: fc.constant(["r", "n"]), value: fc.constantFrom("x", "y") }),
);

type Step = { type: "add"; uploaded: number; meta: Record["meta"] } | { type: "remove"; which: number } | { type: "ask"; conditions: Equality[] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant("add" as const), uploaded: fc.integer({ min: 0, max: 50 }), meta: metaArb }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("remove" as const), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("ask" as const), conditions: fc.array(equalityArb, { minLength: 1, maxLength: 3 }) }) },
);

/** The value at a path of own properties of objects, as the index reads it (arrays included). */
function valueAt(meta: unknown, path: readonly string[]): unknown {
  let value = meta;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as { [key: string]: unknown })[key];
  }
  return value;
}

function admitted(candidates: Candidates<Record> | undefined): string[] {
  if (!candidates) throw new Error("no candidates for a non-empty list of conditions");
  return candidates.images.filter((_, i) => candidates.admits(i)).map((image) => image.id);
}

/** Runs the steps against the indexes and a plain list; checks every answer. `exact` while few images. */
function run(steps: readonly Step[], exact: boolean): number {
  const indexes = new EqualityIndexes<Record>();
  let live: Record[] = [];
  let asked = 0;
  steps.forEach((step, n) => {
    if (step.type === "add") {
      const image = { id: `i${n}`, uploaded: step.uploaded, meta: step.meta };
      live.push(image);
      live.sort((a, b) => a.uploaded - b.uploaded || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      indexes.add(image);
    } else if (step.type === "remove") {
      if (live.length === 0) return;
      const image = live[step.which % live.length]!;
      live = live.filter((other) => other !== image);
      indexes.remove(image);
    } else {
      asked++;
      const got = admitted(indexes.candidates(step.conditions, () => live));
      const expected = live.filter((image) => step.conditions.every(({ path, value }) => valueAt(image.meta, path) === value)).map((image) => image.id);
      if (exact) expect(got).toEqual(expected);
      else {
        // Every match is a candidate, and candidates come in list order.
        expect(got.filter((id) => expected.includes(id))).toEqual(expected);
        const order = live.map((image) => image.id);
        expect([...got].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(got);
      }
    }
  });
  return asked;
}

describe("equality indexes under changes", () => {
  it("narrow a walk to exactly the images with every value, while there are few images", () => {
    let asked = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 40, maxLength: 160 }), (steps) => {
        // At most 60 images at once, so every slot is below 64 and every list is dense.
        const bounded: Step[] = [];
        let count = 0;
        for (const step of steps) {
          if (step.type === "add" && count >= 60) continue;
          if (step.type === "add") count++;
          if (step.type === "remove" && count > 0) count--;
          bounded.push(step);
        }
        asked += run(bounded, true);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(asked).toBeGreaterThan(1000);
  });

  it("never leave out a match, with many images added and removed", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 200, maxLength: 600 }), (steps) => {
        run(steps, false);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("do not narrow by a sparse list, and still offer every match", () => {
    const indexes = new EqualityIndexes<Record>();
    const all: Record[] = Array.from({ length: 400 }, (_, i) => ({ id: `i${String(i).padStart(3, "0")}`, uploaded: i, meta: { s: i === 7 ? "z" : "a", t: i < 3 || i === 150 ? 2 : 1 } }));
    // s = z (1 image) is walked; t = 2 (4 of 400 images) is too sparse to hold as bits: i007 is offered.
    expect(admitted(indexes.candidates([{ path: ["s"], value: "z" }, { path: ["t"], value: 2 }], () => all))).toEqual(["i007"]);
    // t = 1 (396 images) is dense: it narrows the walk over s = z.
    expect(admitted(indexes.candidates([{ path: ["s"], value: "z" }, { path: ["t"], value: 1 }], () => all))).toEqual(["i007"]);
    expect(admitted(indexes.candidates([{ path: ["t"], value: 2 }, { path: ["s"], value: "a" }], () => all))).toEqual(["i000", "i001", "i002", "i150"]);
    // A value no image has: nothing to walk.
    expect(admitted(indexes.candidates([{ path: ["t"], value: 3 }, { path: ["s"], value: "a" }], () => all))).toEqual([]);
  });
});
