/**
 * The normal form (src/semantics/normalize.ts): the meaning-preserving rewrites applied before validating
 * and compiling, each shown on an example, and proven on thousands of seeded filters never to change what
 * a filter selects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, normalize, parse, toPredicate, type FilterNode } from "../../src/index.js";
import { imageArb, rootFilterArb, SEED } from "../support/arbitraries.js";
import { stripSpans } from "../support/spans.js";

const params = { seed: SEED, numRuns: 3000 };

/** Two filters select the same images among these. */
function agreeOn(a: FilterNode, b: FilterNode, images: readonly Parameters<ReturnType<typeof toPredicate>>[0][]): void {
  const pa = toPredicate(a);
  const pb = toPredicate(b);
  for (const image of images) expect(pb(image)).toBe(pa(image));
}

/** The normal form of a text, written back as text. */
const normal = (text: string): string => format(normalize(parse(text)));

describe("rewrites", () => {
  it.each([
    // An `or` of equalities (and `in`s) on one path with one type becomes one `in`, at the first one's place.
    ["a = 1 or a = 2 or a = 2", "a in (1, 2)"],
    ["a = 1 or (a = 2 or a in (3, 1))", "a in (1, 2, 3)"],
    ["a = 1 or b = 2 or a = 3", "a in (1, 3) or b = 2"],
    ["x.y = 1 or x.y = 2 or z = 1", "x.y in (1, 2) or z = 1"],
    // ...but not across types, nor for booleans (the API has no `in` for them), nor for the creator.
    ['a = 1 or a = "1"', 'a = 1 or a = "1"'],
    ["a = true or a = false", "a = true or a = false"],
    ['creator = a or creator = b', 'creator = "a" or creator = "b"'],
    // An `in` loses duplicates (-0 is 0); with one value left it is `=` (`not in` becomes `!=`).
    ["a in (1, 1, -0, 0)", "a in (1, 0)"],
    ["a in (4)", "a = 4"],
    ["a not in (2, 2)", "a != 2"],
    // A negation of a negation goes.
    ["not not a = 1", "a = 1"],
    ["not (a != 1)", "a = 1"],
    ["not (a not in (1, 2))", "a in (1, 2)"],
    // -0 is written 0.
    ["a = -0", "a = 0"],
    // Nested `and`s and `or`s are flattened, duplicates dropped.
    ["(a = 1 and b = 2) and (c = 3 and a = 1)", "a = 1 and b = 2 and c = 3"],
    ["a = 1 and (b = 2 or b = 3) and a = 1", "a = 1 and b in (2, 3)"],
    ["", ""],
  ])("%s → %s", (text, expected) => {
    expect(normal(text)).toBe(expected);
  });

  it("the match-all filter is absorbed by `and` and absorbs `or`", () => {
    const a: FilterNode = { type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: 1 } };
    expect(normalize({ type: "and", operands: [{ type: "all" }, a] })).toEqual(a);
    expect(normalize({ type: "and", operands: [{ type: "all" }, { type: "all" }] })).toEqual({ type: "all" });
    expect(normalize({ type: "or", operands: [{ type: "all" }, a] })).toEqual({ type: "all" });
  });

  it("keeps the spans of the nodes that survive, gives a merged `in` the span of what it merged, and a folded negation the span of the whole", () => {
    const text = "a = 1 or b = 2 or a = 3";
    const merged = normalize(parse(text));
    expect(merged.type === "or" && merged.operands.map((node) => text.slice(node.span!.start, node.span!.end))).toEqual([text, "b = 2"]);
    // A negation folded into what it negates: the result stands for the whole text, its "not"s included.
    expect(normalize(parse("not not a = 1")).span).toEqual({ start: 0, end: 13 });
    expect(normalize(parse("not a != 1"))).toMatchObject({ op: "eq", span: { start: 0, end: 10 } });
  });

  it("returns a condition already in normal form as it is, and never changes its input", () => {
    const condition = parse("a = 1");
    expect(normalize(condition)).toBe(condition);
    const written = parse("a = 1 or a = 2 and not not b in (3, 3)");
    const before = structuredClone(written);
    expect(format(normalize(written))).toBe("a = 1 or a = 2 and b = 3");
    expect(written).toEqual(before);
  });
});

describe("normalisation", () => {
  it("never changes meaning: f and normalize(f) select the same images", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.array(imageArb, { minLength: 1, maxLength: 8 }), (filter, images) => {
        agreeOn(filter, normalize(filter), images);
      }),
      params,
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        const once = normalize(filter);
        expect(stripSpans(normalize(once))).toEqual(stripSpans(once));
      }),
      params,
    );
  });
});