/**
 * The door (src/semantics/shape.ts): a filter built by hand, deserialised or from untyped JavaScript that
 * is not a well-formed `Filter` gets a `FilterError` with the one issue `invalid-filter`, naming the place
 * of the bad node, from every public function that takes a filter (`validate` returns that issue) —
 * never a `TypeError`, and never an output that selects more than the filter says (the binding's filter
 * used to come out as `{ metadata: { a: {} } }` for an unknown operator or an object value, and
 * `{ metadata: {} }` for an undefined value: both match every image).
 */
import { describe, expect, it } from "vitest";
import { validate, type FilterNode } from "../../src/index.js";
import { listImages, toBindingFilter } from "../../src/integrations.js";
import { MAX_FILTER_NODES } from "../../src/semantics/shape.js";
import { FILTER_READERS, outcome } from "../support/nesting.js";

const leaf = { type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: 1 } };
const okSpan = { start: 3, end: 9 };

/** Something that is not a filter, and the place (with what is wrong there) the issue must name. */
const MALFORMED: readonly [string, unknown, string][] = [
  ["null", null, "filter is null, not a node"],
  ["undefined", undefined, "filter is missing, not a node"],
  ["a number", 5, "filter is 5, not a node"],
  ["a list", [leaf], "filter is a list, not a node"],
  ["a function", () => true, "filter is a function, not a node"],
  ["an unknown type", { type: "xor", operands: [leaf, leaf] }, 'filter.type is "xor", not one of all, and, or, not, compare, in'],
  ["no type", { op: "eq", field: leaf.field, value: leaf.value }, "filter.type is missing"],
  ["an unknown op", { ...leaf, op: "like" }, 'filter.op is "like", not one of eq, ne, lt, lte, gt, gte'],
  ["an op of another case", { ...leaf, op: "EQ" }, 'filter.op is "EQ"'],
  ["an object value", { ...leaf, value: { value: {} } }, "filter.value.value is an object, not a string, a number or a boolean"],
  ["a list value", { ...leaf, value: { value: [1] } }, "filter.value.value is a list"],
  ["null value", { ...leaf, value: { value: null } }, "filter.value.value is null"],
  ["an undefined value", { ...leaf, value: { value: undefined } }, "filter.value.value is missing"],
  ["a bigint value", { ...leaf, value: { value: 1n } }, "filter.value.value is a bigint"],
  ["a bare value, not a literal", { ...leaf, value: 1 }, "filter.value is 1, not a literal { value }"],
  ["no value", { type: "compare", op: "eq", field: leaf.field }, "filter.value is missing, not a literal { value }"],
  ["no operands", { type: "and" }, "filter.operands is not a list of at least one node"],
  ["empty operands", { type: "or", operands: [] }, "filter.operands is not a list of at least one node"],
  ["operands that are not a list", { type: "and", operands: { 0: leaf, length: 1 } }, "filter.operands is not a list"],
  ["a not without operand", { type: "not" }, "filter.operand is missing, not a node"],
  ["no field", { type: "compare", op: "eq", value: leaf.value }, "filter.field is missing, not a field"],
  ["a field of another type", { ...leaf, field: { type: "tag", path: ["a"] } }, 'filter.field.type is "tag", not "meta" or "creator"'],
  ["a path that is not a list", { ...leaf, field: { type: "meta", path: "a.b" } }, "filter.field.path is not a list of names"],
  ["a path of numbers", { ...leaf, field: { type: "meta", path: ["a", 0] } }, "filter.field.path is not a list of names"],
  ["an in without negated", { type: "in", field: leaf.field, values: [{ value: 1 }] }, "filter.negated is not true or false"],
  ["an in whose values are not a list", { type: "in", field: leaf.field, values: "1|2", negated: false }, "filter.values is not a list of literals"],
  ["an in with a bad value", { type: "in", field: leaf.field, values: [{ value: 1 }, { value: {} }], negated: false }, "filter.values[1].value is an object"],
  ["a span that ends before it starts", { ...leaf, span: { start: 5, end: 2 } }, "filter.span is not { start, end } offsets"],
  ["a negative span", { ...leaf, span: { start: -1, end: 2 } }, "filter.span is not { start, end } offsets"],
  ["a span of fractions", { ...leaf, span: { start: 0.5, end: 2 } }, "filter.span is not { start, end } offsets"],
  ["a span as text", { type: "all", span: "0-3" }, "filter.span is not { start, end } offsets"],
  ["a literal's bad span", { ...leaf, value: { value: 1, span: { start: 2 } } }, "filter.value.span is not { start, end } offsets"],
  ["a field's bad span", { ...leaf, field: { type: "meta", path: ["a"], span: null } }, "filter.field.span is not { start, end } offsets"],
  ["bad segment spans", { ...leaf, field: { type: "meta", path: ["a"], segmentSpans: [{ start: 1, end: 0 }] } }, "filter.field.segmentSpans is not a list of { start, end } offsets"],
  // Deeper in the tree: the place says where.
  ["a bad operand", { type: "and", operands: [leaf, { ...leaf, op: "like" }] }, 'filter.operands[1].op is "like"'],
  [
    "a bad node deep inside",
    { type: "not", operand: { type: "or", operands: [leaf, { type: "and", operands: [leaf, { ...leaf, field: { type: "meta", path: "x" } }] }] } },
    "filter.operand.operands[1].operands[1].field.path is not a list of names",
  ],
  ["a null operand", { type: "or", operands: [leaf, null] }, "filter.operands[1] is null, not a node"],
];

/**
 * A node that many parents share: `and(n, n)` forty times over has 2^40 paths to its leaf (JSON cannot
 * write it, and a walk would visit it once per path).
 */
function sharedNode(levels: number): FilterNode {
  let node = leaf as FilterNode;
  for (let i = 0; i < levels; i++) node = { type: "and", operands: [node, node] };
  return node;
}

describe("a malformed filter, from every public function that takes one", () => {
  it.each(MALFORMED)("%s: validate returns the one invalid-filter issue, naming the place", (_name, filter, place) => {
    const issues = validate(filter as FilterNode);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "invalid-filter", severity: "error" });
    expect(issues[0]!.message.startsWith(`not a filter: ${place}`)).toBe(true);
  });

  it.each(MALFORMED)("%s: every other function throws a FilterError with that issue, never a TypeError", async (_name, filter, place) => {
    for (const [name, read] of Object.entries(FILTER_READERS)) {
      if (name === "validate") continue;
      // listImages reads an absent filter as "every image": undefined is its default, not a malformed filter.
      if (name === "listImages" && filter === undefined) continue;
      expect([name, await outcome(() => read(filter as FilterNode))]).toEqual([name, "invalid-filter"]);
      const error = await caught(() => read(filter as FilterNode));
      expect(error.message, name).toContain(place);
    }
  });

  it("the issue spans the bad node when it has a span of its own", () => {
    const [issue] = validate({ ...leaf, op: "like", span: okSpan } as unknown as FilterNode);
    expect(issue).toMatchObject({ code: "invalid-filter", ...okSpan });
    const [inner] = validate({ type: "and", operands: [leaf, { ...leaf, value: { value: {} }, span: okSpan }], span: { start: 0, end: 20 } } as unknown as FilterNode);
    expect(inner).toMatchObject({ code: "invalid-filter", ...okSpan });
    // A bad span is no place to point at: offset 0.
    const [badSpan] = validate({ ...leaf, span: { start: 5, end: 2 } } as unknown as FilterNode);
    expect(badSpan).toMatchObject({ start: 0, end: 0 });
  });

  it("the binding's filter: what used to match every image is refused", () => {
    for (const filter of [{ ...leaf, op: "like" }, { ...leaf, value: { value: {} } }, { ...leaf, value: { value: undefined } }, null]) {
      expect(() => toBindingFilter(filter as unknown as FilterNode)).toThrow(expect.objectContaining({ name: "FilterError", issues: [expect.objectContaining({ code: "invalid-filter" })] }));
    }
  });

  it("listImages refuses before any request (and reads an absent filter as every image)", async () => {
    const requests: string[] = [];
    const source = {
      apiToken: "t",
      fetch: async (input: RequestInfo | URL) => {
        requests.push(String(input));
        return Response.json({ success: true, errors: [], result: { images: [{ id: "x", meta: {} }], continuation_token: null } });
      },
    };
    const walk = async (filter: unknown): Promise<string> =>
      outcome(async () => {
        for await (const image of listImages(source, { accountId: "a", filter: filter as FilterNode })) void image;
      });
    for (const [, filter] of MALFORMED) if (filter !== undefined) expect(await walk(filter)).toBe("invalid-filter");
    expect(requests).toEqual([]);
    expect(await walk(undefined)).toBe("ok");
    expect(requests).toHaveLength(1);
  });
});

describe("a node shared by many parents", () => {
  it(`is refused past ${MAX_FILTER_NODES} nodes counted as a walk meets them, by every function, at once`, async () => {
    const filter = sharedNode(40);
    expect(validate(filter).map((issue) => [issue.code, issue.message])).toEqual([
      ["invalid-filter", `not a filter: filter has more than ${MAX_FILTER_NODES} nodes (or a node reached by many paths), more than any function reads`],
    ]);
    for (const [name, read] of Object.entries(FILTER_READERS)) {
      if (name !== "validate") expect([name, await outcome(() => read(filter))]).toEqual([name, "invalid-filter"]);
    }
  });

  it("is read like its copies when the walk stays within the budget", async () => {
    const shared = sharedNode(10);
    const copied = JSON.parse(JSON.stringify(shared)) as FilterNode;
    expect(validate(shared)).toEqual(validate(copied));
    for (const [name, read] of Object.entries(FILTER_READERS)) {
      expect([name, await outcome(() => read(shared))]).toEqual([name, await outcome(() => read(copied))]);
    }
    expect(await outcome(() => FILTER_READERS.toPredicate!(shared))).toBe("ok");
  });
});

/** The error `run` throws (fails the test when it throws none). */
async function caught(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
