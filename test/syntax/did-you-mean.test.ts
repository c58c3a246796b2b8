/**
 * Did you mean (src/syntax/did-you-mean.ts): edit distances with swaps as one edit, suggestions only for
 * plausible typos, and the syntax errors that offer one as a replacement.
 */
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "../../src/syntax/did-you-mean.js";
import { check } from "../../src/index.js";

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
