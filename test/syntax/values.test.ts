/**
 * Token images to values (src/syntax/values.ts): quoted strings with every escape, bare words, numbers
 * (signs, exponents, `-0`, too large for a double), booleans in any case.
 */
import { describe, expect, it } from "vitest";
import { check, parse } from "../../src/index.js";

describe("values", () => {
  it.each<[string, unknown]>([
    ['"active"', "active"],
    ["'active'", "active"],
    ["active", "active"],
    ["eu-west", "eu-west"],
    ["user123", "user123"],
    ['"a\\"b\\\\c\\n\\t\\u00e9\\/"', 'a"b\\c\n\té/'],
    ["'it\\'s'", "it's"],
    ['"\\ud83d\\ude00"', "😀"],
    ['"\\ud800"', "\ud800"],
    ["5", 5],
    ["-5", -5],
    ["-0", -0],
    ["1.5e3", 1500],
    ["0.25", 0.25],
    ["1E-2", 0.01],
    ["true", true],
    ["FALSE", false],
    ['"true"', "true"],
    ['"5"', "5"],
  ])("%s", (written, value) => {
    const filter = parse(`x = ${written}`);
    if (filter.type !== "compare") throw new Error(`expected a comparison, got ${filter.type}`);
    expect(filter.value.value).toStrictEqual(value);
  });

  it("numbers too large for a double are read as infinities (the validator refuses them)", () => {
    const filter = parse("x = 1e999");
    expect(filter.type === "compare" && filter.value.value).toBe(Infinity);
    expect(check("x = 1e999").issues.map((i) => i.code)).toEqual(["non-finite-number"]);
  });

});
