/**
 * The one definition of what a filter matches (the README's semantics table, row by row), and records
 * that try to make it match by accident or throw.
 */
import { describe, expect, it } from "vitest";
import { toPredicate, type ImageRecord } from "../../src/index.js";
import { conformance } from "../conformance/runner.js";

function matches(filter: string, image: ImageRecord): boolean {
  return toPredicate(filter)(image);
}

describe("semantics", () => {
  it.each<[string, ImageRecord, boolean]>([
    // = is typed, exact and case-sensitive equality.
    ['status = "active"', { meta: { status: "active" } }, true],
    ['status = "active"', { meta: { status: "Active" } }, false],
    ['status = "active"', { meta: { status: ["active"] } }, false],
    ["n = 5", { meta: { n: 5 } }, true],
    ["n = 5", { meta: { n: "5" } }, false],
    ['n = "5"', { meta: { n: 5 } }, false],
    ["n = 5", { meta: { n: 5.0 } }, true],
    ["n = 0", { meta: { n: -0 } }, true],
    ["b = true", { meta: { b: true } }, true],
    ["b = true", { meta: { b: "true" } }, false],
    ['b = "true"', { meta: { b: true } }, false],
    ["b = false", { meta: {} }, false],
    ['s = ""', { meta: { s: "" } }, true],
    ['s = ""', { meta: {} }, false],
    ['s = "null"', { meta: { s: null } }, false],
    // Ranges take numbers and match stored numbers only.
    ["n > 4", { meta: { n: 5 } }, true],
    ["n > 4", { meta: { n: "5" } }, false],
    ["n >= 5", { meta: { n: 5 } }, true],
    ["n < 5", { meta: { n: 5 } }, false],
    ["n <= 5", { meta: { n: 5 } }, true],
    ["n > 4", { meta: { n: null } }, false],
    ["n < 1", { meta: { n: true } }, false],
    ["n < 1", { meta: { n: [] } }, false],
    ["n > -1", { meta: {} }, false],
    ['n > "a"', { meta: { n: "b" } }, false],
    ['n > "5"', { meta: { n: 6 } }, false],
    ["n > true", { meta: { n: 2 } }, false],
    ['n <= "5"', { meta: { n: "4" } }, false],
    // in is any-of =.
    ["n in (4, 5)", { meta: { n: 5 } }, true],
    ["n in (4, 5)", { meta: { n: "5" } }, false],
    ['s in (a, "5", 6)', { meta: { s: "5" } }, true],
    ["s in (a, b, c, d, e, f, g, h)", { meta: { s: "h" } }, true],
    ["s in (a, b, c, d, e, f, g, h)", { meta: { s: "z" } }, false],
    // Negations are logical: a missing field matches != and not in.
    ['status != "x"', { meta: {} }, true],
    ['status != "x"', { meta: { status: "x" } }, false],
    ['status != "x"', {}, true],
    ["n not in (1, 2)", { meta: { n: 3 } }, true],
    ["n not in (1, 2)", { meta: { n: 2 } }, false],
    ["not n > 3", { meta: { n: "9" } }, true],
    // Paths walk own properties of plain objects, never into arrays.
    ['region.name = "eu-west"', { meta: { region: { name: "eu-west" } } }, true],
    ['region.name = "eu-west"', { meta: { region: [{ name: "eu-west" }] } }, false],
    ['region.name = "eu-west"', { meta: { region: "eu-west" } }, false],
    ['region.name = "eu-west"', { meta: { "region.name": "eu-west" } }, false],
    ["tags.`0` = a", { meta: { tags: ["a"] } }, false],
    ["tags.length = 1", { meta: { tags: ["a"] } }, false],
    ["`0` = a", { meta: ["a"] }, false],
    ["length = 1", { meta: ["a"] }, false],
    // Not even into an array given properties of its own (no JSON makes one, but the rule is the rule):
    // `meta` itself, and an object on the way, in each shape the predicate compiles.
    ["a = 1", { meta: Object.assign([1, 2], { a: 1 }) }, false],
    ["a >= 1", { meta: Object.assign([1, 2], { a: 1 }) }, false],
    ["a in (1, 2)", { meta: Object.assign([1, 2], { a: 1 }) }, false],
    ["a != 1", { meta: Object.assign([1, 2], { a: 1 }) }, true],
    ['region.name = "eu"', { meta: Object.assign([], { region: { name: "eu" } }) }, false],
    ['region.name in ("eu", "us")', { meta: Object.assign([], { region: { name: "eu" } }) }, false],
    ['region.name = "eu"', { meta: { region: Object.assign([], { name: "eu" }) } }, false],
    ['region.name in ("eu", "us")', { meta: { region: Object.assign([], { name: "eu" }) } }, false],
    ["a.b.c = 1", { meta: Object.assign([], { a: { b: { c: 1 } } }) }, false],
    ["a.b.c = 1", { meta: { a: Object.assign([], { b: { c: 1 } }) } }, false],
    ['creator = "u"', { creator: Object.assign(["u"], { length: 1 }) as unknown as string }, false],
    ["a.b.c.d.e.f.g = 1", { meta: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } }, true],
    ["s.length = 3", { meta: { s: "abc" } }, false],
    ["x = 1", { meta: "x" }, false],
    ["x = 1", { meta: null }, false],
    ["x = 1", {}, false],
    // The prototype chain is never consulted.
    ["constructor = x", { meta: {} }, false],
    ['toString != "x"', { meta: {} }, true],
    ["__proto__.x = 1", { meta: {} }, false],
    ["hasOwnProperty = x", { meta: {} }, false],
    // creator is the image's creator; "" means none.
    ['creator = "u"', { creator: "u" }, true],
    ['creator = "u"', { creator: "U" }, false],
    ['creator = "u"', { meta: { creator: "u" } }, false],
    ['meta.creator = "u"', { meta: { creator: "u" } }, true],
    ['creator = ""', {}, true],
    ['creator = ""', { creator: null }, true],
    ['creator = ""', { creator: "" }, true],
    ['creator = ""', { creator: "u" }, false],
    ['creator != ""', { creator: "u" }, true],
    ["creator in (a, \"\")", { creator: null }, true],
    ["creator > 1", { creator: "2" }, false],
    // Boolean structure.
    ["a = 1 and b = 2", { meta: { a: 1, b: 2 } }, true],
    ["a = 1 and b = 2", { meta: { a: 1 } }, false],
    ["a = 1 or b = 2", { meta: { b: 2 } }, true],
    ["a = 1 and b = 2 and c = 3", { meta: { a: 1, b: 2, c: 3 } }, true],
    ["a = 1 or b = 2 or c = 3", { meta: { c: 3 } }, true],
    ["not (a = 1 or b = 2)", { meta: {} }, true],
    ["", {}, true],
  ])("%s on %j → %s", (filter, image, expected) => {
    expect(matches(filter, image)).toBe(expected);
  });
});

describe("hostile records", () => {
  it("own keys named like Object.prototype members match only when really present", () => {
    const meta = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "toString": 5, "hasOwnProperty": true}') as unknown;
    expect(matches("__proto__.x = 1", { meta })).toBe(true);
    expect(matches('constructor = "c"', { meta })).toBe(true);
    expect(matches("toString = 5", { meta })).toBe(true);
    expect(matches("hasOwnProperty = true", { meta })).toBe(true);
    expect(matches("prototype = 1", { meta })).toBe(false);
  });

  it("objects with a null prototype are read like any other", () => {
    const meta = Object.assign(Object.create(null) as object, { status: "active", region: Object.assign(Object.create(null) as object, { name: "eu" }) });
    expect(matches("status = active and region.name = eu", { meta })).toBe(true);
  });

  it("a getter that throws makes the record not match, and nothing is thrown", () => {
    const meta = {
      get status(): string {
        throw new Error("boom");
      },
    };
    expect(matches("status = active", { meta })).toBe(false);
    expect(matches("not status = active", { meta })).toBe(false);
    expect(matches("status != active", { meta })).toBe(false);
  });

  it("cyclic and frozen objects are fine", () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    expect(matches("self.self.self.n = 1", { meta: cyclic })).toBe(true);
    expect(matches("n = 1", { meta: Object.freeze({ n: 1 }) })).toBe(true);
  });

  it("odd numbers compare as numbers do", () => {
    expect(matches("n = 0", { meta: { n: -0 } })).toBe(true);
    expect(matches("n = -0", { meta: { n: 0 } })).toBe(true);
    expect(matches("n > 0", { meta: { n: NaN } })).toBe(false);
    expect(matches("n != 0", { meta: { n: NaN } })).toBe(true);
    expect(matches("n in (1, 2, 3, 4, 5, 6, 7, 8)", { meta: { n: NaN } })).toBe(false);
    expect(matches("n > 1e308", { meta: { n: Infinity } })).toBe(true);
    expect(matches("n = 9007199254740993", { meta: { n: 9007199254740992 } })).toBe(true); // doubles, as JSON reads them
  });

  it("a predicate built from a hand-made filter with NaN never matches it", () => {
    const predicate = toPredicate({ type: "compare", op: "eq", field: { type: "meta", path: ["n"] }, value: { value: NaN } });
    expect(predicate({ meta: { n: NaN } })).toBe(false);
  });

  it("non-object images and metadata do not throw", () => {
    const predicate = toPredicate("a = 1");
    for (const image of [null, undefined, 5, "x", [], { meta: 5 }, { meta: [1] }]) {
      expect(predicate(image as unknown as ImageRecord)).toBe(false);
    }
  });
});

// The conformance table (test/conformance/): the ids the predicate selects.
describe("the conformance table", () => conformance(["matches"]));
