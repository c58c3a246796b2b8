/**
 * The grammar for people stays true to the parser, and the parser's own checks hold.
 */
import { readFileSync } from "node:fs";
import { Lexer } from "chevrotain";
import { describe, expect, it } from "vitest";
import { diagramsHtml, ebnfRules, readEbnf } from "../scripts/grammar.js";
import { FilterParser } from "../src/syntax/parser.js";
import { allTokens } from "../src/syntax/tokens.js";

const ebnfText = readFileSync(new URL("../grammar/filter.ebnf", import.meta.url), "utf8");

describe("grammar/filter.ebnf", () => {
  it("states every parser rule exactly as the parser has it", () => {
    const written = readEbnf(ebnfText);
    const parsed = ebnfRules();
    expect([...written.keys()].sort()).toEqual([...parsed.keys()].sort());
    for (const [name, rule] of parsed) expect(written.get(name), `rule ${name}`).toBe(rule);
  });

  it("names every keyword and symbol the lexer knows", () => {
    for (const token of allTokens) {
      const label = token.LABEL;
      // Tokens with a pattern of their own (categories have none) and a quoted label, e.g. "&&".
      if (token.PATTERN !== Lexer.NA && label?.startsWith('"')) expect(ebnfText, token.name).toContain(label);
    }
  });
});

describe("grammar/diagrams.html", () => {
  it("is generated from the current parser (run `npm run grammar` after changing it)", () => {
    const file = readFileSync(new URL("../grammar/diagrams.html", import.meta.url), "utf8");
    expect(file).toBe(diagramsHtml());
    expect(file).not.toMatch(/(?:src|href)=['"]https?:/); // loads nothing from the network
  });
});

describe("Chevrotain's checks", () => {
  it("the grammar passes Chevrotain's validations (skipped at run time for a faster start)", () => {
    expect(() => new FilterParser({ skipValidations: false })).not.toThrow();
  });
});
