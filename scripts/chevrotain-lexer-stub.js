/*
 * Stands in for Chevrotain's `scan/lexer_public.js` in everything imgmeta ships (see esbuild-plugins.ts).
 * imgmeta scans text with its own lexer (src/syntax/lexer.ts); Chevrotain's parser needs only the two
 * marker constants below, with the values Chevrotain gives them.
 */
export class Lexer {
  constructor() {
    throw new Error("imgmeta is built without Chevrotain's lexer: use lex() from src/syntax/lexer.ts");
  }
}
Lexer.SKIPPED =
  "This marks a skipped Token pattern, this means each token identified by it will " +
  "be consumed and then thrown into oblivion, this can be used to for example to completely ignore whitespace.";
Lexer.NA = /NOT_APPLICABLE/;

export var LexerDefinitionErrorType;
(function (LexerDefinitionErrorType) {})(LexerDefinitionErrorType || (LexerDefinitionErrorType = {}));
