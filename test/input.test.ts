/**
 * Where text becomes a filter (src/input.ts): `parse`, and the one opening every public function that
 * takes "a filter or its text" goes through — text read once with the call's limits, a built filter
 * checked at the door, the issues a target finds located in the text they came from, and the issues of
 * options (which are not part of the text) without a code frame.
 */
import { describe, expect, it } from "vitest";
import { FilterError, parse, plan, toPredicate, toQueryString } from "../src/index.js";
import { toBindingFilter } from "../src/integrations.js";

/** The FilterError `run` throws (fails the test when it throws anything else, or nothing). */
function filterError(run: () => unknown): FilterError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return error as FilterError;
  }
  throw new Error("expected a FilterError");
}

describe("parse", () => {
  it("reads text into a filter; the empty text (or only spaces) is the filter that matches everything", () => {
    expect(parse('a = "x"')).toMatchObject({ type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: "x" } });
    expect(parse(" \n\t")).toMatchObject({ type: "all" });
  });

  it("throws every syntax issue at once, located in the text, which the error keeps", () => {
    const text = 'a = and\nb ~ "x';
    const error = filterError(() => parse(text));
    expect(error.text).toBe(text);
    expect(error.issues.map((issue) => [issue.code, issue.line, issue.column])).toEqual([
      ["expected-value", 1, 5],
      ["unexpected-character", 2, 3],
      ["unterminated-string", 2, 5],
    ]);
  });

  it("checks syntax only: the API's rules are validate's", () => {
    expect(() => parse("a = 1 or b != 2")).not.toThrow();
  });
});

describe("the opening of every function that takes a filter or its text", () => {
  it("reads the text with the call's limits", () => {
    expect(filterError(() => toPredicate("a = 1 and b = 2", { limits: { maxInputLength: 5 } })).issues.map((issue) => issue.code)).toEqual(["input-too-long"]);
    expect(filterError(() => plan("((a = 1))", { limits: { maxNestingDepth: 1 } })).issues.map((issue) => issue.code)).toEqual(["nesting-too-deep"]);
    expect(() => toPredicate("((a = 1))", { limits: { maxNestingDepth: 2 } })).not.toThrow();
  });

  it("locates in the text the issues a target finds, with code frames", () => {
    const text = "a = 1 and\nnot b = 2";
    const error = filterError(() => toQueryString(text));
    expect(error.text).toBe(text);
    expect(error.issues).toMatchObject([{ code: "negation-not-supported", line: 2, column: 1 }]);
    expect(error.message).toContain(" 2 | not b = 2");
    const binding = filterError(() => toBindingFilter("x = 1 and\ncreator = u"));
    expect(binding.issues).toMatchObject([{ code: "binding-unsupported", line: 2, column: 1 }]);
  });

  it("gives the issues about a built filter no text, line or column (there is none)", () => {
    const error = filterError(() => toQueryString(parse("a = 1 and\nnot b = 2")));
    expect(error.text).toBeUndefined();
    expect(error.issues[0]).not.toHaveProperty("line");
    expect(error.message).not.toContain(" | ");
    expect(error.issues[0]).toMatchObject({ code: "negation-not-supported", start: 10, end: 19 });
  });

  it("checks options before the text, and reports them alone and without a code frame", () => {
    const error = filterError(() => toQueryString("a = ", { perPage: 5 }));
    expect(error.issues.map((issue) => issue.code)).toEqual(["invalid-per-page"]);
    expect(error.text).toBeUndefined();
  });
});
