/**
 * Reading text (src/syntax/read.ts): every syntax error with its code, message and span, in plain words;
 * the guards (input length, nesting) that run before the parser; the JIT primer; characters the
 * language does not have.
 */
import { describe, expect, it } from "vitest";
import { check, FilterError, format, parse } from "../../src/index.js";

describe("syntax errors", () => {
  it.each<[string, string, string, [number, number]]>([
    ["status = ", "expected-value", 'expected a value after "=" (a quoted string, a number, true or false)', [8, 8]],
    ["status = )", "expected-value", 'expected a value after "=" (a quoted string, a number, true or false), not ")"', [9, 10]],
    ['status "active"', "expected-operator", 'expected an operator after "status"', [7, 15]],
    ["status", "expected-operator", "expected an operator", [6, 6]],
    ["a not = 1", "expected-operator", 'expected "in" after "not", not "="', [6, 7]],
    ["a in 4", "expected-list", 'expected "(" to start the list of values after "in", not "4"', [5, 6]],
    ["priority in (4,5", "unclosed-paren", 'missing ")" to close the list opened at 1:13', [16, 16]],
    ["priority in (4 5)", "unexpected-token", 'expected "," or ")" in the list, not "5"', [15, 16]],
    ["(a = 1", "unclosed-paren", 'missing ")" to close the "(" at 1:1', [6, 6]],
    ["a = 1)", "unexpected-token", 'this ")" has no "(" to close', [5, 6]],
    ["a = 1 b = 2", "unexpected-token", 'unexpected "b": the condition before it is complete', [6, 7]],
    ["and", "expected-field", '"and" is a keyword; to use it as a name, write it in backticks: `and`', [0, 3]],
    ["= 1", "expected-field", 'expected a condition (a field name, "(" or "not"), not "="', [0, 1]],
    ["a.in = 1", "expected-field", '"in" is a keyword; to use it as a name, write it in backticks: `in`', [2, 4]],
    ["a.0 = 1", "expected-field", "a bare name cannot start with a digit; to use it as a name, write it in backticks: `0`", [2, 3]],
    ["a = or", "expected-value", '"or" is a keyword; to use it as a value, quote it: "or"', [4, 6]],
    ["status = café", "unexpected-character", 'bare names and values are ASCII: write "café" in quotes for a value, or `café` in backticks for a name', [9, 13]],
    ["a = 1 and", "expected-field", 'expected a condition after "and"', [9, 9]],
    ["a.", "expected-field", 'expected a name after "."', [2, 2]],
    ['a = "abc', "unterminated-string", "unterminated string starting here", [4, 8]],
    ["`abc = 1", "unterminated-name", "unterminated name starting here", [0, 8]],
    ['a = "x\\qy"', "invalid-escape", '"\\q" is not an escape', [6, 8]],
    ['a = "\\u12"', "invalid-escape", '"\\u12" is not an escape', [5, 9]],
    ["a ~ 1", "unexpected-character", 'the character "~" cannot be used here', [2, 3]],
    ["a = 1 & b = 2", "unexpected-character", 'write "and" or "&&"', [6, 7]],
  ])("%s → %s", (text, code, message, [start, end]) => {
    const { ok, issues } = check(text);
    expect(ok).toBe(false);
    const issue = issues.find((i) => i.code === code);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toContain(message);
    expect([issue!.start, issue!.end]).toEqual([start, end]);
    expect(issue!.severity).toBe("error");
  });

  it("messages never dump raw token names", () => {
    for (const text of ["status = ", "a b", "(", ")", "a in (", "a in (1,", "not", "a = 1 or", "a.b.", "1 = a"]) {
      for (const issue of check(text).issues) {
        expect(issue.message).not.toMatch(/Identifier|StringLiteral|NumberLiteral|LParen|RParen|EOF|Token/);
      }
    }
  });

  it("reports several problems in one pass, and each problem once (not the echoes recovery meets after it)", () => {
    expect(check('a ~ 1 and b = "x').issues.map((i) => i.code)).toEqual(["unexpected-character", "unterminated-string"]);
    expect(check("a.in = 1").issues).toHaveLength(1);
    expect(check("a = and").issues).toHaveLength(1);
  });

});

describe("guards", () => {
  it("refuses input over the length limit before reading it", () => {
    const { issues } = check("a = 1 and ".repeat(2000) + "a = 1");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "input-too-long", start: 10_000 });
  });

  it.each([
    ["100,000 nested parentheses", "(".repeat(100_000) + "a = 1" + ")".repeat(100_000)],
    ["100,000 nots", "not ".repeat(100_000) + "a = 1"],
    ["100,000 !s", "!".repeat(100_000) + "a = 1"],
    ["100,000 unclosed parentheses", "(".repeat(100_000)],
  ])("%s give a clean nesting issue, not a stack overflow", (_name, text) => {
    const { issues } = check(text, { limits: { maxInputLength: 10_000_000 } });
    expect(issues.map((i) => i.code)).toEqual(["nesting-too-deep"]);
    expect(() => parse(text, { limits: { maxInputLength: 10_000_000 } })).toThrow(FilterError);
  });

  it("a 100,000-term and chain parses (it is a loop, not recursion)", () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `k${i % 7} = ${i}`).join(" and ");
    const filter = parse(text, { limits: { maxInputLength: 10_000_000 } });
    expect(filter.type === "and" && filter.operands.length).toBe(100_000);
  });

  // (The parser's own guard against overflow, on a stack too small for the ceiling: test/nesting.test.ts.)
  it("a limit raised past what the stack holds is capped at NESTING_CEILING, and the parser reads on afterwards", () => {
    const deep = "(".repeat(20_000) + "a = 1" + ")".repeat(20_000);
    expect(check(deep, { limits: { maxNestingDepth: 1e6, maxInputLength: 1e6 } }).issues.map((i) => i.code)).toEqual(["nesting-too-deep"]);
    expect(format(parse("(a = 1) and b = 2"))).toBe("a = 1 and b = 2");
  });

  it("nesting up to the limit is fine, and the limit can be raised", () => {
    const nested = (n: number) => "(".repeat(n) + "a = 1" + ")".repeat(n);
    expect(check(nested(100)).ok).toBe(true);
    expect(check(nested(101)).issues[0]!.code).toBe("nesting-too-deep");
    expect(check(nested(101), { limits: { maxNestingDepth: 200 } }).ok).toBe(true);
    expect(check("not ".repeat(60) + "(" + "not ".repeat(50) + "a = 1)").issues[0]!.code).toBe("nesting-too-deep");
    expect(check("not a = 1 and ".repeat(500) + "a = 1").ok).toBe(false); // negation: valid syntax, API refuses
    expect(check("not a = 1 and ".repeat(500) + "a = 1").issues.every((i) => i.code !== "nesting-too-deep")).toBe(true);
  });
});

describe("the JIT primer", () => {
  it("is a valid filter that uses every token type the lexer knows", async () => {
    const { PRIMER } = await import("../../src/syntax/read.js");
    const { lex } = await import("../../src/syntax/lexer.js");
    const { allTokens, UnterminatedString, UnterminatedName, WhiteSpace } = await import("../../src/syntax/tokens.js");
    const { Lexer } = await import("chevrotain");
    expect(check(PRIMER).issues.filter((issue) => issue.code !== "or-not-supported" && issue.code !== "negation-not-supported" && issue.code !== "too-many-filters")).toEqual([]);
    const seen = new Set(lex(PRIMER).tokens.map((token) => token.tokenType));
    const expected = allTokens.filter((type) => type.PATTERN !== Lexer.NA && ![UnterminatedString, UnterminatedName, WhiteSpace].includes(type));
    expect(expected.filter((type) => !seen.has(type)).map((type) => type.name)).toEqual([]);
  });
});

describe("characters the language does not have", () => {
  it("are one issue per run, and one per word with letters beyond ASCII", () => {
    expect(check("~ ~ ~ ~").issues.map((i) => [i.start, i.end])).toEqual([[0, 7]]);
    const text = "a = naïveté and b ~ 1";
    expect(check(text).issues.map((i) => text.slice(i.start, i.end))).toEqual(["naïveté", "~"]);
    const long = `a = ${"aé".repeat(3000)} and b = é~`;
    expect(check(long).issues.map((i) => long.slice(i.start, i.end))).toEqual(["aé".repeat(3000), "é~"]);
  });
});
