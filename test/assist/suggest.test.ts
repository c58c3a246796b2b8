/**
 * The search-box experience: did-you-mean, field schemas, completions at many cursor positions,
 * highlighting, and every error at once.
 */
import { describe, expect, it } from "vitest";
import { editDistance, didYouMean } from "../../src/syntax/did-you-mean.js";
import { check, format, suggest, tokenize, type FieldSchema } from "../../src/index.js";

const fields: FieldSchema = {
  status: { type: "string", values: ["active", "pending"], description: "review state" },
  priority: "number",
  "region.name": { type: "string", values: ["eu-west", "us-east"] },
  enabled: "boolean",
  "my key": "string",
};

describe("did you mean", () => {
  it("counts swaps as one edit", () => {
    expect(editDistance("stauts", "status")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests only plausible typos", () => {
    expect(didYouMean("stauts", ["status", "priority"])).toBe("status");
    expect(didYouMean("inn", ["in"])).toBe("in");
    expect(didYouMean("xyz", ["status"])).toBeUndefined();
    expect(didYouMean("status", ["status"])).toBeUndefined();
    expect(didYouMean("x".repeat(100), ["x".repeat(99)])).toBeUndefined();
  });

  it.each<[string, string, string, string]>([
    ["status inn (1, 2)", "expected-operator", '"inn" is not an operator; did you mean "in"?', "in"],
    ["x nto in (1)", "expected-operator", '"nto" is not an operator; did you mean "not"?', "not"],
    ["a eq 1", "expected-operator", '"eq" is not an operator; did you mean "="?', "="],
    ["a gte 1", "expected-operator", '"gte" is not an operator; did you mean ">="?', ">="],
    ["a = 1 adn b = 2", "unexpected-token", '"adn" is not a keyword; did you mean "and"?', "and"],
    ["a = 1 ro b = 2", "unexpected-token", '"ro" is not a keyword; did you mean "or"?', "or"],
  ])("%s", (text, code, message, replacement) => {
    const [issue] = check(text).issues;
    expect(issue).toMatchObject({ code, message, replacement });
  });
});

describe("field schemas", () => {
  it.each<[string, string, string, string, string | undefined]>([
    ["stauts = active", "unknown-field", "warning", 'unknown field "stauts"; did you mean "status"?', "status"],
    ["region.nmae = x", "unknown-field", "warning", 'unknown field "region.nmae"; did you mean "region.name"?', "region.name"],
    ["colour = red", "unknown-field", "warning", 'unknown field "colour"', undefined],
    ['priority = "5"', "type-mismatch", "error", 'priority is a number, but "5" is a string; write 5', "5"],
    ["priority > high", "type-mismatch", "error", 'priority is a number, but "high" is a string', undefined],
    ["status = 5", "type-mismatch", "error", 'status is a string, but 5 is a number; write "5"', '"5"'],
    ["enabled = ture", "type-mismatch", "error", 'enabled is a boolean, but "ture" is a string; write true', "true"],
    ['enabled = "false"', "type-mismatch", "error", 'enabled is a boolean, but "false" is a string; write false', "false"],
    ["status = actve", "unknown-value", "error", '"actve" is not a value of status ("active", "pending"); did you mean "active"?', '"active"'],
    ["status in (active, paused)", "unknown-value", "error", '"paused" is not a value of status ("active", "pending")', undefined],
  ])("%s", (text, code, severity, message, replacement) => {
    const issues = check(text, { fields }).issues.filter((issue) => issue.code === code);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, severity, message });
    expect(issues[0]!.replacement).toBe(replacement);
  });

  it("range bounds need not be enum values, but ranges need number fields", () => {
    const ranked: FieldSchema = { priority: { type: "number", values: [1, 2, 3, 4, 5] }, status: "string" };
    expect(check("priority > 2.5 and priority <= 10", { fields: ranked }).issues).toEqual([]);
    expect(check("priority = 7", { fields: ranked }).issues.map((i) => i.code)).toEqual(["unknown-value"]);
    const [issue] = check("status > 5", { fields: ranked }).issues.filter((i) => i.code === "type-mismatch");
    expect(issue).toMatchObject({ message: "status is a string: <, <=, > and >= apply only to number fields" });
    expect(issue!.replacement).toBeUndefined();
  });

  it("unknown fields are warnings: the filter is still ok", () => {
    const result = check("colour = red", { fields });
    expect(result.ok).toBe(true);
    expect(result.issues).toHaveLength(1);
  });

  it("known fields, types and values pass, meta. prefix and backticks included", () => {
    expect(check('meta.status = active and priority >= 3 and region.name in (eu-west) and enabled = true and `my key` = "x" and creator = u', { fields }).issues).toEqual([]);
  });

  it("points at the value or field at fault", () => {
    const text = 'status = active and priority = "high"';
    const [issue] = check(text, { fields }).issues;
    expect(text.slice(issue!.start, issue!.end)).toBe('"high"');
  });
});

describe("all errors at once", () => {
  it("reports every syntax error in one pass, each with its own span", () => {
    const text = 'a = and b = 2 and c in (1 2) and d = "x';
    const issues = check(text).issues;
    expect(issues.map((i) => [i.code, text.slice(i.start, i.end)])).toEqual([
      ["expected-value", "and"],
      ["unexpected-token", "2"],
      ["unterminated-string", '"x'],
    ]);
  });

  it("returns the best partial filter recovery can build", () => {
    const result = check("a = 1 and b = and c = 3");
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(["expected-value"]);
    expect(result.filter && format(result.filter)).toBe("a = 1 and c = 3");
  });

  it("reads an unterminated string as if it were closed, so the rest is still checked", () => {
    const result = check('status = "act', { fields });
    expect(result.issues.map((i) => i.code)).toEqual(["unterminated-string", "unknown-value"]);
    expect(result.filter && format(result.filter)).toBe('status = "act"');
  });
});

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
