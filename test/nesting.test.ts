/**
 * Nesting, whatever the limits: a filter nested deeper than NESTING_CEILING, as text (not chains, `!`
 * chains, parentheses, `not (` mixes) or built by hand (even cyclic), gets a `nesting-too-deep`
 * FilterError from every function that takes one, never a RangeError; `check`, `suggest` and `tokenize`
 * never throw; and at the ceiling, every function answers, also on a stack smaller than any we target.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FilterNode } from "../src/syntax/ast.js";
import { check, format, NESTING_CEILING, parse, suggest, tokenize } from "../src/index.js";
import { tooDeepNode } from "../src/semantics/shape.js";
import { lex } from "../src/syntax/lexer.js";
import { findTooDeep } from "../src/syntax/read.js";
import { filterArb, SEED } from "./support/arbitraries.js";
import { runChild } from "./support/child.js";
import { cyclicFilter, FILTER_READERS, outcome, RAISED, TEXT_READERS, TEXT_SHAPES, TREE_SHAPES } from "./support/nesting.js";

const TOO_DEEP = [NESTING_CEILING + 1, 16_000];

describe("filter text nested too deep, with every limit raised", () => {
  for (const [shape, make] of Object.entries(TEXT_SHAPES)) {
    for (const depth of TOO_DEEP) {
      const text = make(depth);
      it(`a ${shape} ${depth} deep: a nesting-too-deep FilterError from every function that throws`, async () => {
        for (const [name, read] of Object.entries(TEXT_READERS)) {
          if (name === "suggest" || name === "tokenize") continue;
          expect([name, await outcome(() => read(text))]).toEqual([name, "nesting-too-deep"]);
        }
      });
      it(`a ${shape} ${depth} deep: check reports it, suggest and tokenize answer`, () => {
        const result = check(text, RAISED);
        expect(result.ok).toBe(false);
        expect(result.issues.map((issue) => issue.code)).toEqual(["nesting-too-deep"]);
        expect(result.issues[0]!.message).toContain(`more than ${NESTING_CEILING} deep`);
        expect(suggest(text, text.length, RAISED).items).toEqual([]);
        expect(tokenize(text, RAISED).at(-1)!.end).toBe(text.length);
      });
    }
  }

  it("Infinity, or any limit past the ceiling, means the ceiling", () => {
    const text = TEXT_SHAPES["nested parentheses"]!(NESTING_CEILING + 1);
    for (const maxNestingDepth of [NESTING_CEILING + 1, 1e6, Infinity]) {
      const [issue] = check(text, { limits: { maxNestingDepth, maxInputLength: Infinity } }).issues;
      expect(issue).toMatchObject({ code: "nesting-too-deep", message: expect.stringContaining("the most any limit allows") });
    }
    expect(check(TEXT_SHAPES["nested parentheses"]!(NESTING_CEILING), RAISED).ok).toBe(true);
  });
});

describe("filters built by hand nested too deep", () => {
  const cases: [string, FilterNode][] = [
    ...Object.entries(TREE_SHAPES).flatMap(([shape, make]) => TOO_DEEP.map((depth): [string, FilterNode] => [`a ${shape} ${depth} deep`, make(depth)])),
    ["a filter that contains itself", cyclicFilter()],
  ];
  for (const [name, filter] of cases) {
    it(`${name}: a nesting-too-deep FilterError (validate: the issue) from every function`, async () => {
      for (const [reader, read] of Object.entries(FILTER_READERS)) expect([reader, await outcome(() => read(filter))]).toEqual([reader, "nesting-too-deep"]);
    });
  }

  it("the issue points at the first node too deep, when it has a span", () => {
    // One `not` more around a parsed chain at the ceiling: its innermost `not`, at 4 × 127, is one too deep.
    const deeper: FilterNode = { type: "not", operand: parse("not ".repeat(NESTING_CEILING) + "a = 1", RAISED) };
    expect(tooDeepNode(deeper)).toMatchObject({ type: "not", operand: { type: "compare" } });
    expect(() => format(deeper)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: "nesting-too-deep", start: 4 * 127 })] }));
  });
});

describe("at the ceiling", () => {
  it("every function answers every shape, as text and built by hand, on a 400 KB stack, before any code is compiled (a Chromium web worker holds about 460 KB of it)", async () => {
    // Measured cold: the parser, the hungriest, reads 494 parentheses on Node's 984 KB, 233 in a Chromium worker.
    const results = await runChild<Record<string, string>>("test/support/nesting-child.ts", { flags: ["--stack-size=400"] });
    expect(Object.keys(results).length).toBeGreaterThan(90);
    expect(Object.entries(results).filter(([, result]) => /nesting-too-deep|Error/.test(result))).toEqual([]);
  }, 60_000);

  it("on a stack too small for the parser, the text is refused cleanly, and the parser reads on afterwards", async () => {
    const results = await runChild<Record<string, string>>("test/support/nesting-child.ts", { flags: ["--stack-size=150"], args: ["parse-only"] });
    const outcomes = new Set(Object.values(results));
    expect(outcomes).toContain("nesting-too-deep"); // the stack overflowed, and the parser caught it
    expect([...outcomes].filter((result) => result !== "ok" && result !== "nesting-too-deep")).toEqual([]);
    expect(results["parse after the others"]).toBe("ok");
  }, 60_000);
});

describe("the measure of a built filter", () => {
  it("is the nesting of its text: tooDeepNode and the parser's guard agree on every depth", () => {
    const textDepth = (text: string): number => {
      const tokens = lex(text).tokens;
      let depth = 0;
      while (findTooDeep(tokens, depth)) depth++;
      return depth;
    };
    const treeDepth = (filter: FilterNode): number => {
      let depth = 0;
      while (tooDeepNode(filter, depth)) depth++;
      return depth;
    };
    fc.assert(
      fc.property(filterArb, (filter) => {
        expect(treeDepth(filter)).toBe(textDepth(format(filter)));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
