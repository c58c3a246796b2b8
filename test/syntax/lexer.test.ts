/**
 * imgmeta's hand-written lexer against Chevrotain's own lexer, built from the token patterns in
 * `src/syntax/tokens.ts` (the definition of the tokens): the same tokens and the same errors, on
 * thousands of generated texts and on the cases that are easy to get wrong.
 */
import fc from "fast-check";
import type { Lexer as LexerType, TokenType } from "chevrotain";
import { describe, expect, it } from "vitest";
import { lex } from "../../src/syntax/lexer.js";
import { allTokens } from "../../src/syntax/tokens.js";
import { SEED } from "../support/arbitraries.js";

// The real Chevrotain, not the one the tests share (which, like everything we ship, has no lexer).
const chevrotain = (await import(new URL("../../node_modules/chevrotain/lib/src/api.js", import.meta.url).href)) as typeof import("chevrotain");

/**
 * The token definitions of tokens.ts, remade with the real Chevrotain's `createToken` (each copy of
 * Chevrotain keeps its own registry of token types). Categories are left out: only the parser uses them.
 */
function referenceTokens(): TokenType[] {
  const patterned = allTokens.filter((type) => !(type.PATTERN instanceof RegExp && type.PATTERN.source === "NOT_APPLICABLE"));
  const made = new Map<string, TokenType>();
  const make = (type: TokenType): TokenType => {
    const longer = type.LONGER_ALT as TokenType | undefined;
    const remade = chevrotain.createToken({
      name: type.name,
      pattern: type.PATTERN!,
      ...(type.GROUP === undefined ? {} : { group: type.GROUP }),
      ...(longer ? { longer_alt: made.get(longer.name) ?? make(longer) } : {}),
      ...(type.LINE_BREAKS === undefined ? {} : { line_breaks: type.LINE_BREAKS }),
      ...(type.START_CHARS_HINT === undefined ? {} : { start_chars_hint: type.START_CHARS_HINT }),
    });
    made.set(type.name, remade);
    return remade;
  };
  return patterned.map((type) => made.get(type.name) ?? make(type));
}

const reference: LexerType = new chevrotain.Lexer(referenceTokens(), {
  positionTracking: "onlyOffset",
  // The patterns stay fit for Chevrotain: validated, and each with its first-character optimisation.
  ensureOptimizations: true,
  skipValidations: false,
});

/** What both lexers give, in comparable form. */
function shape(result: { tokens: readonly { tokenType: TokenType; image: string; startOffset: number }[]; errors: readonly { offset: number; length: number }[] }) {
  return {
    tokens: result.tokens.map((token) => `${token.tokenType.name}@${token.startOffset}:${token.image}`),
    errors: result.errors.map((error) => `${error.offset}+${error.length}`),
  };
}

function agree(text: string): void {
  expect(shape(lex(text)), JSON.stringify(text)).toEqual(shape(reference.tokenize(text)));
}

/** Pieces that meet at the edges of tokens: quotes, escapes, number parts, operators, keywords, odd characters. */
const piece = fc.constantFrom(
  ...["a", "Z", "_", "-", "0", "1", "9", ".", "e", "E", "+", '"', "'", "`", "\\", " ", "\t", "\n", "\r", "\v", "\f"],
  ...["\u00a0", "\ufeff", "&", "|", "=", "!", "<", ">", ":", "(", ")", ",", "and", "AND", "or", "Or", "not", "NOT"],
  ...["in", "In", "true", "TRUE", "false", "False", "andrew", "notes", "inx", "é", "😀", "\ud800", "\udc00", "@", "~"],
  ...["*", "[", "meta", "status", "x-1", "-5", "0.5e+3", "1e", "01", '"a\\"b"', "'it''s'", "`a b`", "&&", "||", "\u2028"],
);
const text = fc.oneof(
  fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join("")),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(..."aE9-.+e\"'`\\ &|=!<>:(),"), maxLength: 40 }),
);

describe("lex", () => {
  it("gives the tokens and errors Chevrotain's lexer gives for the same patterns", () => {
    fc.assert(fc.property(text, (input) => agree(input)), { seed: SEED, numRuns: 5000 });
  });

  it("gives the same on every text of up to three characters from the characters that matter", () => {
    const units = [..."a_Z9-0.eE+\"'`\\ \t&|=!<>:(),~é", "\u00a0", "\ud800", "\udc00"];
    let texts = [""];
    for (let length = 1; length <= 3; length++) {
      texts = texts.flatMap((text) => units.map((unit) => text + unit));
      for (const text of texts) agree(text);
    }
    expect(texts).toHaveLength(units.length ** 3);
  });

  it.each([
    ["keywords in any case, and words that only start with one", "AND andrew Not notes IN inx TRUE False falsey or_ and-x"],
    ["numbers split where JSON numbers end", "0123 1. 1.5e 2e+ -0.5E-3 - -a 7e07 3.x"],
    ["operators, longest first", "a==b!=c<=d>=e=f:g<h>i!j&&k||l"],
    ["an unterminated string with a trailing backslash", 'a = "abc\\'],
    ["an unterminated name across lines", "`a\nb"],
    ["escapes of either quote", `"a\\"b" 'c\\'d' \`e\\\`f\``],
    ["runs of junk, broken where a token can start", "@@@a ~*&& | &| é😀x \ud800"],
    ["whitespace of every kind", " \t\r\n\v\f\u00a0\ufeffa\u2028"],
    ["nothing", ""],
  ])("agrees on %s", (_what, input) => agree(input));

  it("reports a run of characters no token matches as one error", () => {
    expect(lex("a ~* b").errors).toEqual([{ offset: 2, length: 2 }]);
    expect(lex("&| x").errors).toEqual([{ offset: 0, length: 2 }]);
  });
});
