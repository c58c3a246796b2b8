/**
 * The grammar (src/syntax/parser.ts): the language as users type it, every operator, spelling, path and
 * boolean structure, read into the tree it means, each node with its span. (Values: values.test.ts;
 * syntax errors and the guards: read.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { format, parse, type Filter } from "../../src/index.js";
import { stripSpans } from "../support/spans.js";

const meta = (...path: string[]) => ({ type: "meta" as const, path });
const creator = { type: "creator" as const };
const compare = (field: ReturnType<typeof meta> | typeof creator, op: string, value: unknown) => ({
  type: "compare",
  op,
  field,
  value: { value },
});

function tree(text: string): Filter {
  return stripSpans(parse(text));
}

describe("comparisons", () => {
  it.each([
    ["status = active", "eq"],
    ["status == active", "eq"],
    ["status:active", "eq"],
    ["status != active", "ne"],
    ["status < active", "lt"],
    ["status <= active", "lte"],
    ["status > active", "gt"],
    ["status >= active", "gte"],
  ])("%s", (text, op) => {
    expect(tree(text)).toEqual(compare(meta("status"), op, "active"));
  });

  it("in and not in", () => {
    expect(tree("priority in (4, 5)")).toEqual({
      type: "in",
      field: meta("priority"),
      values: [{ value: 4 }, { value: 5 }],
      negated: false,
    });
    expect(tree("priority NOT IN (4)")).toEqual({
      type: "in",
      field: meta("priority"),
      values: [{ value: 4 }],
      negated: true,
    });
  });
});


describe("paths", () => {
  it.each<[string, Filter["type"] extends string ? unknown : never]>([
    ["region.name = x", meta("region", "name")],
    ["meta.region.name = x", meta("region", "name")],
    ["meta.status = x", meta("status")],
    ["meta = x", meta("meta")],
    ["meta.meta.x = x", meta("meta", "x")],
    ["`meta`.x = x", meta("meta", "x")],
    ["creator = x", creator],
    ["meta.creator = x", meta("creator")],
    ["creator.x = x", meta("creator", "x")],
    ["`my key`.x = x", meta("my key", "x")],
    ["`in`.`and` = x", meta("in", "and")],
    ["`a\\`b` = x", meta("a`b")],
    ["`` = x", meta("")],
    ["_a-b.c_1 = x", meta("_a-b", "c_1")],
    ["__proto__ = x", meta("__proto__")],
  ])("%s", (text, field) => {
    const filter = parse(text);
    expect(filter.type === "compare" && stripSpans(filter.field)).toEqual(field);
  });
});

describe("boolean structure", () => {
  it("precedence: not > and > or", () => {
    expect(format(parse("a = 1 or b = 2 and not c = 3"))).toBe("a = 1 or b = 2 and not c = 3");
    const filter = tree("a = 1 or b = 2 and not c = 3");
    expect(filter).toEqual({
      type: "or",
      operands: [
        compare(meta("a"), "eq", 1),
        { type: "and", operands: [compare(meta("b"), "eq", 2), { type: "not", operand: compare(meta("c"), "eq", 3) }] },
      ],
    });
  });

  it("symbols and keywords in any case are the same", () => {
    expect(tree("a = 1 && b = 2 || !c = 3")).toEqual(tree("a = 1 AND b = 2 Or NoT c = 3"));
  });

  it("parentheses group, and chains stay flat", () => {
    expect(tree("(a = 1 or b = 2) and c = 3").type).toBe("and");
    expect(tree("a = 1 and b = 2 and c = 3")).toMatchObject({ type: "and", operands: [{}, {}, {}] });
    expect(tree("((a = 1))")).toEqual(compare(meta("a"), "eq", 1));
  });

  it("the empty filter matches everything", () => {
    expect(tree("")).toEqual({ type: "all" });
    expect(tree("  \n\t ")).toEqual({ type: "all" });
  });

  it("keywords are not swallowed by longer names", () => {
    expect(tree("android = 1 and orchid = notable")).toEqual({
      type: "and",
      operands: [compare(meta("android"), "eq", 1), compare(meta("orchid"), "eq", "notable")],
    });
  });
});

describe("spans", () => {
  it("every node knows where it was written", () => {
    const text = 'status = "active" and region.name in (a, b)';
    const filter = parse(text);
    if (filter.type !== "and") throw new Error("expected and");
    const first = filter.operands[0]!;
    const second = filter.operands[1]!;
    expect(filter.span).toEqual({ start: 0, end: text.length });
    expect(first.span).toEqual({ start: 0, end: 17 });
    expect(second.type === "in" && second.field.type === "meta" && second.field.segmentSpans).toEqual([
      { start: 22, end: 28 },
      { start: 29, end: 33 },
    ]);
    expect(second.type === "in" && second.values.map((v) => text.slice(v.span!.start, v.span!.end))).toEqual(["a", "b"]);
  });
});
