/**
 * Highlighting (src/assist/tokenize.ts): every character coloured, errors and half-typed text included.
 */
import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/index.js";

describe("tokenize", () => {
  it("covers every character, errors and whitespace included", () => {
    const text = 'status = active and `my key`.x in (a, "b", 5, true) ~ €';
    const tokens = tokenize(text);
    expect(tokens[0]!.start).toBe(0);
    expect(tokens.at(-1)!.end).toBe(text.length);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!.start).toBe(tokens[i - 1]!.end);
    expect(tokens.filter((t) => t.type !== "whitespace").map((t) => [t.type, text.slice(t.start, t.end)])).toEqual([
      ["field", "status"],
      ["operator", "="],
      ["string", "active"],
      ["keyword", "and"],
      ["field", "`my key`"],
      ["punctuation", "."],
      ["field", "x"],
      ["keyword", "in"],
      ["punctuation", "("],
      ["string", "a"],
      ["punctuation", ","],
      ["string", '"b"'],
      ["punctuation", ","],
      ["number", "5"],
      ["punctuation", ","],
      ["boolean", "true"],
      ["punctuation", ")"],
      ["error", "~"],
      ["error", "€"],
    ]);
  });

  it("colours text beyond the length limit as one error range", () => {
    const text = "a = 1 ".repeat(10);
    expect(tokenize(text, { limits: { maxInputLength: 12 } }).at(-1)).toEqual({ type: "error", start: 12, end: text.length });
    expect(tokenize(text, { limits: { maxInputLength: 12 } }).filter((t) => t.type === "field")).toHaveLength(2);
  });

  it("colours half-typed text too", () => {
    expect(tokenize('a = "unterminated').map((t) => t.type)).toEqual(["field", "whitespace", "operator", "whitespace", "string"]);
    expect(tokenize("")).toEqual([]);
    expect(tokenize("   ")).toEqual([{ type: "whitespace", start: 0, end: 3 }]);
  });
});
