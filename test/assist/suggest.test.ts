/**
 * Completions (src/assist/suggest.ts): what `suggest` offers at many cursor positions, with a field
 * schema, and that it never throws nor explores past the nesting limit.
 */
import { describe, expect, it } from "vitest";
import { suggest } from "../../src/index.js";
import { fields } from "../support/fields.js";

describe("suggest", () => {
  // [text with | for the cursor, expected inserts (in order), expected replaced text]
  it.each<[string, string[], string]>([
    ["|", ["not", "(", "creator", "status", "priority", "region.name", "enabled", "`my key`"], ""],
    ["st|", ["status"], "st"],
    ["st|atus = active", ["status"], "status"],
    ["status |", ["=", "!=", "not in", "in"], ""],
    ["priority |", ["=", "!=", "<", "<=", ">", ">=", "not in", "in"], ""],
    ["priority <|", ["<", "<="], "<"],
    ["status n|", ["not in"], "n"],
    ["status i|", ["in"], "i"],
    ["status = |", ['"active"', '"pending"'], ""],
    ["status = a|", ['"active"'], "a"],
    ['status = "p|', ['"pending"'], '"p'],
    ['status = "p|ending"', ['"pending"'], '"pending"'],
    ["status in (|", ['"active"', '"pending"'], ""],
    ["status not in (active, |", ['"active"', '"pending"'], ""],
    ["enabled = |", ["true", "false"], ""],
    ["x = |", ["true", "false"], ""],
    ["region.|", ["name"], ""],
    ["region.n|", ["name"], "n"],
    ["meta.|", ["status", "priority", "region.name", "enabled", "`my key`"], ""],
    ["meta.region.name = |", ['"eu-west"', '"us-east"'], ""],
    ["status = active |", ["and", "or"], ""],
    ["status = active a|", ["and"], "a"],
    ["creator |", ["=", "!="], ""], // the creator takes = with a string
    ["creator = |", [], ""], // any string: no values to offer (true and false would be errors)
    ["creator != u|", [], "u"],
    ["meta.creator = |", ["true", "false"], ""], // a metadata key named creator is any field
    ["status = active and creator = |", [], ""],
    ["enabled |", ["=", "!="], ""], // no ranges and no in for booleans
    ["(status = active |", ["and", "or", ")"], ""],
    ["priority in (4 |", [",", ")"], ""],
    ["status = active and |", ["not", "(", "creator", "status", "priority", "region.name", "enabled", "`my key`"], ""],
    ["not |", ["not", "(", "creator", "status", "priority", "region.name", "enabled", "`my key`"], ""],
    ["status = active and pr| and x = 1", ["priority"], "pr"],
    ["a ~ 1 and |", [], ""], // a syntax error before the cursor: nothing to offer
    // A number being typed is replaced whole, even where the lexer splits it (`-`, `1.`, `1e+`).
    ["priority = -|", [], "-"],
    ["priority = 1.|", [], "1."],
    ["priority = 1e+|", [], "1e+"],
    ["priority in (1, 2e|", [], "2e"],
    [`priority = ${"1".repeat(5000)}.|`, [], `${"1".repeat(5000)}.`],
  ])("%s", (marked, inserts, replaced) => {
    const cursor = marked.indexOf("|");
    const text = marked.replace("|", "");
    const result = suggest(text, cursor, { fields });
    expect(result.items.map((item) => item.insert)).toEqual(inserts);
    expect(text.slice(result.from, result.to)).toBe(replaced);
  });

  it("items carry a label, a kind and a detail", () => {
    const [status] = suggest("sta", 3, { fields }).items;
    expect(status).toEqual({ label: "status", insert: "status", kind: "field", detail: "string: review state" });
    const [value] = suggest("status = ", 9, { fields }).items;
    expect(value).toEqual({ label: "active", insert: '"active"', kind: "value", detail: "string value of status" });
  });

  it("never throws, whatever the cursor", () => {
    for (const cursor of [-5, 0, 3, 1000, NaN, Infinity]) {
      expect(() => suggest("status = a", cursor, { fields })).not.toThrow();
    }
    expect(suggest("x".repeat(20_000), 3).items).toEqual([]);
  });

  it("offers nothing past maxNestingDepth, where content assist would run for minutes (and out of memory)", () => {
    // 3,000 "(" took 1.5 s and 590 MB before the guard; 9,999 ended the process.
    for (const text of ["(".repeat(9_999), "( (".repeat(3_333), "(!".repeat(4_999), "not ".repeat(101)]) {
      expect(suggest(text, text.length), text.slice(0, 6)).toEqual({ from: text.length, to: text.length, items: [] });
    }
    // At the limit, and past the default with the limit raised, completions as usual.
    expect(suggest("(".repeat(100), 100).items.map((item) => item.kind)).toContain("field");
    expect(suggest("(".repeat(120), 120, { limits: { maxNestingDepth: 200 } }).items.map((item) => item.kind)).toContain("field");
    expect(suggest("(".repeat(120), 120).items).toEqual([]);
    // A raised limit, even none, does not raise the depth content assist explores past its ceiling (128).
    for (const maxNestingDepth of [200, Infinity]) {
      expect(suggest("(".repeat(129), 129, { limits: { maxNestingDepth } }).items).toEqual([]);
      expect(suggest("(".repeat(9_999), 9_999, { limits: { maxNestingDepth } }).items).toEqual([]);
    }
  });
});
