/**
 * The `imgmeta/sql` entry point (src/sql.ts): `toSql` takes a filter or its text (read once, here) and
 * checks its options before the text. What the SQL selects and writes: targets/sql.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FilterError, format, parse } from "../src/index.js";
import { toSql, type SqlOptions } from "../src/sql.js";
import { rootFilterArb, SEED } from "./support/arbitraries.js";
import { codes } from "./support/codes.js";

describe("toSql", () => {
  it("gives a filter and its text the same fragment", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.constantFrom<SqlOptions["dialect"]>("sqlite", "postgres"), (filter, dialect) => {
        const text = format(filter);
        const limits = { limits: { maxInputLength: 1e6 } };
        expect(toSql(text, { dialect, ...limits })).toEqual(toSql(parse(text, limits), { dialect }));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("reports syntax errors of the text as parse does", () => {
    expect(codes(() => toSql("a = ", { dialect: "sqlite" }))).toEqual(["expected-value"]);
  });

  it("points the issues of text into it, with code frames", () => {
    const error = (() => {
      try {
        toSql("a = 1 and\n(b = ", { dialect: "postgres" });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FilterError);
    expect((error as FilterError).text).toBe("a = 1 and\n(b = ");
    expect((error as FilterError).issues[0]).toMatchObject({ code: "expected-value", line: 2, column: 5 });
    expect((error as FilterError).message).toContain(" 2 | (b = ");
  });

  it("checks its options before it reads the text: option issues come alone, without a code frame", () => {
    const options = { dialect: "mysql" } as unknown as SqlOptions;
    expect(codes(() => toSql("a = ", options))).toEqual(["invalid-sql-dialect"]);
    expect(() => toSql("a = ", options)).toThrow(expect.objectContaining({ text: undefined }));
  });
});
