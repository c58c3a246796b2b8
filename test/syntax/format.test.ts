/**
 * AST → canonical text (src/syntax/format.ts): strings double-quoted, numbers as they read back, names in
 * backticks when they are not plain, parentheses exactly where the tree needs them, and `parse(format(f))`
 * gives back `f` on thousands of seeded filters.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, normalize, parse, validate, type FilterNode } from "../../src/index.js";
import { rootFilterArb, SEED } from "../support/arbitraries.js";
import { codes } from "../support/codes.js";
import { stripSpans } from "../support/spans.js";

const params = { seed: SEED, numRuns: 3000 };

const meta = (...path: string[]) => ({ type: "meta" as const, path });
const equals = (path: string[], value: string | number | boolean): FilterNode => ({ type: "compare", op: "eq", field: meta(...path), value: { value } });

describe("canonical text", () => {
  it("one spelling for every way of writing a filter", () => {
    expect(format(parse("status:active && n IN (1) || !(x == 'y')"))).toBe('status = "active" and n in (1) or not x = "y"');
    expect(format({ type: "all" })).toBe("");
    expect(format({ type: "compare", op: "gte", field: meta("a"), value: { value: 1 } })).toBe("a >= 1");
    expect(format({ type: "in", field: meta("a"), values: [{ value: 1 }, { value: "x" }, { value: true }], negated: true })).toBe('a not in (1, "x", true)');
  });

  it.each<[string | number | boolean, string]>([
    ['a"b\\c\n\u0001é', '"a\\"b\\\\c\\n\\u0001é"'],
    ["", '""'],
    [-0, "-0"],
    [Infinity, "1e999"],
    [-Infinity, "-1e999"],
    [1e21, "1e+21"],
    [5e-324, "5e-324"],
    [false, "false"],
  ])("writes the value %j as %s, which reads back to it", (value, text) => {
    expect(format(equals(["x"], value))).toBe(`x = ${text}`);
    const back = parse(`x = ${text}`);
    expect(back.type === "compare" && back.value.value).toStrictEqual(value);
  });

  it.each<[string[], string]>([
    [["_a-b", "c_1"], "_a-b.c_1"],
    [["and"], "`and`"],
    [["IN"], "`IN`"],
    [["my key"], "`my key`"],
    [["0a"], "`0a`"],
    [[""], "``"],
    [["a`b\\c"], "`a\\`b\\\\c`"],
    [["a\u0001"], "`a\\u0001`"],
    [["é"], "`é`"],
    [["creator"], "meta.creator"],
    [["meta", "x"], "meta.meta.x"],
    [["meta"], "meta"],
  ])("writes the path %j as %s, which reads back to it", (path, text) => {
    expect(format(equals(path, 1))).toBe(`${text} = 1`);
    const back = parse(`${text} = 1`);
    expect(back.type === "compare" && back.field).toMatchObject({ type: "meta", path });
  });

  it("writes the creator as creator", () => {
    expect(format({ type: "compare", op: "eq", field: { type: "creator" }, value: { value: "u" } })).toBe('creator = "u"');
  });

  it("puts parentheses exactly where the tree needs them, and keeps its shape", () => {
    const [a, b, c] = [equals(["a"], 1), equals(["b"], 1), equals(["c"], 1)];
    const cases: [FilterNode, string][] = [
      [{ type: "and", operands: [a, { type: "or", operands: [b, c] }] }, "a = 1 and (b = 1 or c = 1)"],
      [{ type: "or", operands: [a, { type: "and", operands: [b, c] }] }, "a = 1 or b = 1 and c = 1"],
      // An operand of the same kind keeps its parentheses, so that the tree survives a round trip.
      [{ type: "and", operands: [a, { type: "and", operands: [b, c] }] }, "a = 1 and (b = 1 and c = 1)"],
      [{ type: "not", operand: { type: "and", operands: [b, c] } }, "not (b = 1 and c = 1)"],
      [{ type: "not", operand: { type: "not", operand: b } }, "not not b = 1"],
    ];
    for (const [filter, text] of cases) {
      expect(format(filter)).toBe(text);
      expect(stripSpans(parse(text))).toEqual(filter);
    }
  });

  it("a NaN in a filter built by hand has no text: format refuses it, validate reports it, normalize keeps working", () => {
    const nan = { type: "compare", op: "eq", field: meta("a"), value: { value: NaN, span: { start: 4, end: 7 } } } as const;
    const inList = { type: "in", field: meta("b"), values: [{ value: 1 }, { value: NaN }], negated: false } as const;
    for (const filter of [nan, inList, { type: "not", operand: { type: "and", operands: [inList, nan] } } as const]) {
      expect(codes(() => format(filter))).toEqual(["non-finite-number"]);
    }
    expect(() => format(nan)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ start: 4, end: 7 })] }));
    expect(validate(nan)).toMatchObject([{ code: "non-finite-number", message: expect.stringContaining("NaN") }]);
    expect(normalize({ type: "or", operands: [nan, nan] })).toMatchObject({ type: "compare" });
  });
});

describe("format and parse", () => {
  it("parse(format(f)) equals f, spans aside", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        expect(stripSpans(parse(format(filter), { limits: { maxInputLength: 1e6 } }))).toEqual(filter);
      }),
      params,
    );
  });

  it("format is stable: format(parse(format(f))) equals format(f)", () => {
    fc.assert(
      fc.property(rootFilterArb, (filter) => {
        const text = format(filter);
        expect(format(parse(text, { limits: { maxInputLength: 1e6 } }))).toBe(text);
      }),
      params,
    );
  });
});
