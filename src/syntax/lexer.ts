/**
 * Text → tokens. One lexer, built on first use (importing the library does no work), tracking offsets only:
 * line and column are computed for the few tokens an issue points at.
 */
import { Lexer, type ILexingResult } from "chevrotain";
import { allTokens } from "./tokens.js";

let lexer: Lexer | undefined;

/** Options that only the tests change: they prove the first-character optimisation holds. */
export interface LexerSetup {
  readonly ensureOptimizations: boolean;
  readonly skipValidations: boolean;
}

/** Builds a lexer over the filter tokens. */
export function createLexer(setup: LexerSetup = { ensureOptimizations: false, skipValidations: true }): Lexer {
  return new Lexer(allTokens, {
    positionTracking: "onlyOffset",
    ensureOptimizations: setup.ensureOptimizations,
    skipValidations: setup.skipValidations,
    // Issues are written from offsets (read.ts); a message string per unknown character would only
    // be garbage, and a lot of it on hostile input.
    errorMessageProvider: { buildUnexpectedCharactersMessage: () => "", buildUnableToPopLexerModeMessage: () => "" },
  });
}

/** Splits text into tokens (whitespace dropped); characters no token matches come back as errors. */
export function lex(text: string): ILexingResult {
  lexer ??= createLexer();
  return lexer.tokenize(text);
}
