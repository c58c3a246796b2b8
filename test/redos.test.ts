/**
 * No token pattern can backtrack super-linearly. imgmeta's own lexer scans without them, but they are
 * the tokens' definition, and whoever builds a Chevrotain lexer from them (as `test/lexer.test.ts`
 * does) gets a linear one. Chevrotain applies each pattern anchored at the current offset (sticky), so
 * that is how they are checked, with recheck's ReDoS analysis.
 */
import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import { allTokens } from "../src/syntax/tokens.js";

describe("lexer patterns", () => {
  const patterns = allTokens.flatMap((token) => (token.PATTERN instanceof RegExp ? [[token.name, token.PATTERN] as const] : []));

  it.each(patterns)("%s is linear", (_name, pattern) => {
    const result = checkSync(`^(?:${pattern.source})`, pattern.flags);
    expect(result.status).toBe("safe");
  });

  it("the checker does catch a vulnerable pattern", () => {
    expect(checkSync("^(?:(a+)+$)", "").status).toBe("vulnerable");
  });
});
