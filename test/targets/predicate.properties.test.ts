/**
 * The compiled predicate means what the definition says: on random filters of the whole language and
 * random hostile records, `predicateOf` (closures made fast) answers what `matches` (the reference
 * evaluator of semantics/matching.ts, written to be read) answers, record by record.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FilterNode, Scalar } from "../../src/syntax/ast.js";
import { matches, type ImageRecord } from "../../src/semantics/matching.js";
import { predicateOf } from "../../src/targets/predicate.js";
import { imageArb, keyArb, rootFilterArb, scalarArb, SEED, stringArb } from "../support/arbitraries.js";

const RUNS = 3000;

function boom(): never {
  throw new Error("a hostile getter");
}

/** An own data property, whatever its name (`__proto__` included), as JSON.parse makes it. */
function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function defineThrowing(target: object, key: string): void {
  Object.defineProperty(target, key, { get: boom, enumerable: true, configurable: true });
}

/** How fast-check prints a hostile object (printing it as usual would run its getters). */
function describedAs<T extends object>(target: T, description: string): T {
  Object.defineProperty(target, fc.toStringMethod, { value: () => description });
  return target;
}

/**
 * An object of a hostile record: its kind, own and inherited properties, and getters that throw. A
 * "proxy" is an object whose reads work but which throws when asked whether a property is its own.
 */
interface ObjectPlan {
  readonly kind: "object" | "null-prototype" | "array" | "proxy";
  readonly own: Record<string, unknown>;
  readonly inherited: Record<string, unknown> | null;
  readonly throwing: readonly string[];
  readonly inheritedThrowing: readonly string[];
}

/** An array's own `length` cannot hold anything but a number: that key is left out of arrays. */
const fits = (target: object, key: string) => !(Array.isArray(target) && key === "length");

function build(plan: ObjectPlan): object {
  const base = plan.kind === "array" ? Array.prototype : plan.kind === "null-prototype" ? null : Object.prototype;
  const target: object = plan.kind === "array" ? ["a", 1] : {};
  let prototype: object | null = base;
  if (plan.inherited !== null || plan.inheritedThrowing.length > 0) {
    prototype = Object.create(base) as object;
    for (const [key, value] of Object.entries(plan.inherited ?? {})) defineOwn(prototype, key, value);
    for (const key of plan.inheritedThrowing) defineThrowing(prototype, key);
  }
  Object.setPrototypeOf(target, prototype);
  for (const [key, value] of Object.entries(plan.own)) if (fits(target, key)) defineOwn(target, key, value);
  for (const key of plan.throwing) if (fits(target, key)) defineThrowing(target, key);
  describedAs(target, `build(${fc.stringify(plan)})`);
  return plan.kind === "proxy" ? new Proxy(target, { getOwnPropertyDescriptor: boom }) : target;
}

/** Metadata values, hostile at every level: objects that inherit, have no prototype, are arrays with properties, throw. */
const hostileValueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; object: object }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    { weight: 6, arbitrary: scalarArb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 3 }) },
    { weight: 4, arbitrary: tie("object") },
  ),
  object: fc
    .record({
      kind: fc.constantFrom<ObjectPlan["kind"]>("object", "object", "object", "null-prototype", "array", "proxy"),
      own: fc.dictionary(keyArb, tie("value"), { maxKeys: 4 }),
      inherited: fc.option(fc.dictionary(keyArb, tie("value"), { maxKeys: 3 }), { freq: 3 }),
      throwing: fc.array(keyArb, { maxLength: 2 }),
      inheritedThrowing: fc.array(keyArb, { maxLength: 1 }),
    })
    .map(build),
})).value;

const THROWS = Symbol("a getter that throws");

/** An image record of `creator` and `meta`, either of which may be a getter that throws. */
function image(creator: unknown, meta: unknown): ImageRecord {
  const record = describedAs({}, fc.stringify({ creator: creator === THROWS ? "<throws>" : creator, meta: meta === THROWS ? "<throws>" : meta }));
  for (const [key, value] of [["creator", creator], ["meta", meta]] as const) {
    if (value === THROWS) defineThrowing(record, key);
    else if (value !== undefined) defineOwn(record, key, value);
  }
  return record;
}

/** Records of any shape: the suite's ordinary ones, and hostile ones. */
const hostileImageArb: fc.Arbitrary<ImageRecord> = fc.oneof(
  { weight: 1, arbitrary: imageArb },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.constant(undefined), fc.constant(null), fc.constantFrom("", "user123"), stringArb, fc.constant(THROWS)),
        fc.oneof({ weight: 8, arbitrary: hostileValueArb }, { weight: 1, arbitrary: fc.constant(THROWS) }),
      )
      .map(([creator, meta]) => image(creator, meta)),
  },
);

/** The paths a filter reads from `meta`, each with the literals it compares to. */
function conditionsOf(node: FilterNode): { path: readonly string[]; literals: Scalar[] }[] {
  switch (node.type) {
    case "all":
      return [];
    case "not":
      return conditionsOf(node.operand);
    case "and":
    case "or":
      return node.operands.flatMap(conditionsOf);
    case "compare":
    case "in":
      if (node.field.type === "creator") return [];
      return [{ path: node.field.path, literals: node.type === "in" ? node.values.map((literal) => literal.value) : [node.value.value] }];
  }
}

/** How a step of a planted path holds what lies under it. */
type Holding = "own" | "inherited" | "in an array" | "without a prototype" | "throws";
const holdingArb = fc.constantFrom<Holding>("own", "own", "own", "inherited", "in an array", "without a prototype", "throws");

/**
 * Plants `value` at `path` in `meta`, each step held as `holdings` says: an own property, an inherited
 * one, a property of an array or of an object without a prototype, or a getter that throws.
 */
function plant(meta: Record<string, unknown>, path: readonly string[], value: unknown, holdings: readonly Holding[]): void {
  let container: object = meta;
  path.forEach((key, index) => {
    const holding = holdings[index % holdings.length]!;
    const last = index === path.length - 1;
    if (holding === "throws") return void (fits(container, key) && defineThrowing(container, key));
    const existing = Object.getOwnPropertyDescriptor(container, key)?.value as unknown;
    const next: unknown = last ? value : typeof existing === "object" && existing !== null ? existing : holdings[(index + 1) % holdings.length] === "in an array" ? [] : holdings[(index + 1) % holdings.length] === "without a prototype" ? Object.create(null) : {};
    let holder = container;
    if (holding === "inherited") {
      holder = Object.create(Object.getPrototypeOf(container) as object | null) as object;
      Object.setPrototypeOf(container, holder);
    }
    if (fits(holder, key)) defineOwn(holder, key, next);
    if (!last) container = next as object;
  });
}

/**
 * Records made for a filter: its own paths planted with its own literals (or near misses), each step
 * held in a hostile way now and then (`meta` itself too: an array or an object without a prototype), and
 * its creator one of the creators it names.
 */
function plantedImagesArb(filter: FilterNode): fc.Arbitrary<ImageRecord[]> {
  const conditions = conditionsOf(filter);
  const plantArb = fc.record({
    which: fc.nat(),
    pick: fc.nat(),
    nearMiss: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: scalarArb }),
    holdings: fc.array(holdingArb, { minLength: 1, maxLength: 7 }),
  });
  const creatorArb = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constantFrom("", "user123", "5"), fc.constant(THROWS));
  const metaArb = fc.constantFrom<Holding>("own", "own", "own", "in an array", "without a prototype");
  return fc.array(
    fc.tuple(creatorArb, metaArb, fc.array(plantArb, { maxLength: 6 })).map(([creator, kind, plants]) => {
      const meta = (kind === "in an array" ? [] : kind === "without a prototype" ? Object.create(null) : {}) as Record<string, unknown>;
      for (const { which, pick, nearMiss, holdings } of conditions.length > 0 ? plants : []) {
        const { path, literals } = conditions[which % conditions.length]!;
        plant(meta, path, nearMiss ?? literals[pick % literals.length], holdings);
      }
      return image(creator, describedAs(meta, `planted ${fc.stringify(plants)} for ${fc.stringify(conditions)}`));
    }),
    { minLength: 1, maxLength: 6 },
  );
}

describe("predicateOf agrees with matches", () => {
  it("on random filters of the whole language and random hostile records", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.array(hostileImageArb, { minLength: 1, maxLength: 6 }), (filter, images) => {
        const predicate = predicateOf(filter);
        for (const record of images) expect(predicate(record)).toBe(matches(filter, record));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("on records made for the filter: its paths, its literals, held in hostile ways", () => {
    const cases = rootFilterArb.chain((filter) => fc.tuple(fc.constant(filter), plantedImagesArb(filter)));
    fc.assert(
      fc.property(cases, ([filter, images]) => {
        const predicate = predicateOf(filter);
        for (const record of images) expect(predicate(record)).toBe(matches(filter, record));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
