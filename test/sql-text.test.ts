/**
 * The SQL that `toSql` writes, without an engine: exact text and parameters for the main shapes, the
 * option errors, and properties over random and hostile filters (the text is made only of the compiler's
 * own vocabulary; every value travels as a parameter a UTF-8 driver carries unchanged).
 * What the SQL selects is proven against real engines in sql.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FilterError,
  type FilterNode,
  type Issue,
} from "../src/index.js";
import { toSql, type SqlDialect, type SqlFragment } from "../src/sql.js";
import { SEED, filterArb } from "./support/arbitraries.js";
import { hostileFilterArb } from "./support/sql-arbitraries.js";

const sqlite = (filter: FilterNode | string): SqlFragment => toSql(filter, { dialect: "sqlite" });
const postgres = (filter: FilterNode | string): SqlFragment => toSql(filter, { dialect: "postgres" });

function codes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return (error as FilterError).issues.map((issue: Issue) => issue.code);
  }
  throw new Error("expected a FilterError");
}

/** The SQLite fragment's two forms: json_each for rows whose JSON holds `\u0000`, path lookups for the rest. */
function sqliteGuard(exact: string, fast: string): string {
  return `(CASE WHEN instr("meta", '\\u0000') THEN ${exact} ELSE ${fast} END)`;
}

/** The json_each walk of a one-key path `key` (a placeholder), with `test` on its type and value. */
function sqliteEach(key: string, test: string): string {
  return (
    `EXISTS (SELECT 1 FROM json_each(CASE json_type("meta") WHEN 'object' THEN "meta" ELSE '{}' END) AS imgmeta_step1` +
    ` WHERE imgmeta_step1.key = ${key} AND ${test})`
  );
}

describe("SQLite text and parameters", () => {
  it("typed equality: json_type picks the branch, the path is one parameter used twice", () => {
    expect(sqlite('status = "active"')).toEqual({
      sql: sqliteGuard(
        sqliteEach("?3", `(CASE imgmeta_step1.type WHEN 'text' THEN imgmeta_step1.value = ?2 ELSE 0 END)`),
        `(CASE json_type("meta", ?1) WHEN 'text' THEN json_extract("meta", ?1) = ?2 ELSE 0 END)`,
      ),
      params: ['$."status"', "active", "status"],
    });
  });

  it("in with mixed types (numbers compared as doubles), and != as NOT of the strictly boolean test", () => {
    const { sql, params } = sqlite('n not in (5, "5", true)');
    expect(sql).toContain(
      `ELSE (NOT (CASE json_type("meta", ?1) WHEN 'text' THEN json_extract("meta", ?1) = ?2` +
        ` WHEN 'integer' THEN CAST(json_extract("meta", ?1) AS REAL) = ?3 WHEN 'real' THEN CAST(json_extract("meta", ?1) AS REAL) = ?3` +
        ` WHEN 'true' THEN 1 ELSE 0 END)) END)`,
    );
    expect(params).toEqual(['$."n"', "5", 5, "n"]);
  });

  it("ranges test for a JSON number first", () => {
    expect(sqlite("rating >= 4.5").sql).toContain(
      `ELSE (CASE WHEN json_type("meta", ?1) IN ('integer', 'real') THEN CAST(json_extract("meta", ?1) AS REAL) >= ?2 ELSE 0 END) END)`,
    );
  });

  it("quotes every key; escapes quote, backslash and control characters inside it", () => {
    expect(sqlite('`a"b\\\\c.d`.`x\\u0001` = 1').params[0]).toBe('$."a\\u0022b\\\\c.d"."x\\u0001"');
    expect(sqlite("`__proto__`.`0`.`$` = 1").params[0]).toBe('$."__proto__"."0"."$"');
  });

  it("a path key holding NUL is always found with json_each and whole-key comparison", () => {
    const each =
      `EXISTS (SELECT 1 FROM json_each(CASE json_type("meta") WHEN 'object' THEN "meta" ELSE '{}' END) AS imgmeta_step1,` +
      ` json_each(CASE imgmeta_step1.type WHEN 'object' THEN imgmeta_step1.value ELSE '{}' END) AS imgmeta_step2` +
      ` WHERE imgmeta_step1.key = ?1 AND imgmeta_step2.key = json_extract(?2, '$')` +
      ` AND (CASE imgmeta_step2.type WHEN 'integer' THEN CAST(imgmeta_step2.value AS REAL) = ?3` +
      ` WHEN 'real' THEN CAST(imgmeta_step2.value AS REAL) = ?3 ELSE 0 END))`;
    expect(sqlite('a.`b\\u0000c` = 1')).toEqual({ sql: each, params: ["a", '"b\\u0000c"', 1] });
  });

  it("text a driver could change (NUL, lone surrogate) travels JSON-escaped and is decoded by SQLite", () => {
    const { sql, params } = sqlite('s = "\\ud83d"');
    expect(sql).toContain(`ELSE (CASE json_type("meta", ?1) WHEN 'text' THEN json_extract("meta", ?1) = json_extract(?2, '$') ELSE 0 END) END)`);
    expect(params).toEqual(['$."s"', '"\\ud83d"', "s"]);
  });

  it("creator: binary collation; \"\" also matches NULL", () => {
    expect(sqlite('creator = ""')).toEqual({ sql: `COALESCE("creator" COLLATE BINARY = '', 1)`, params: [] });
    expect(sqlite('creator in ("u", "")')).toEqual({ sql: `COALESCE("creator" COLLATE BINARY IN ('', ?1), 1)`, params: ["u"] });
    expect(sqlite('creator != "u"')).toEqual({ sql: `(NOT COALESCE("creator" COLLATE BINARY = ?1, 0))`, params: ["u"] });
    expect(sqlite("creator > 1")).toEqual({ sql: "0", params: [] });
  });

  it("the empty filter is 1; an equal path or value is sent once", () => {
    expect(sqlite("")).toEqual({ sql: "1", params: [] });
    expect(sqlite("a = 1 or (a = 1 and not a = 2)").params).toEqual(['$."a"', 1, 2, "a"]);
  });
});

describe("Postgres text and parameters", () => {
  it("equality is containment of the nested object (a GIN index can serve it), never NULL", () => {
    expect(postgres('region.name = "eu-west"')).toEqual({
      sql: `("meta" @> $1::jsonb AND "meta" IS NOT NULL)`,
      params: ['{"region":{"name":"eu-west"}}'],
    });
    expect(postgres("n in (4, 5)")).toEqual({
      sql: `(("meta" @> $1::jsonb OR "meta" @> $2::jsonb) AND "meta" IS NOT NULL)`,
      params: ['{"n":4}', '{"n":5}'],
    });
  });

  it("ranges walk objects with -> and text keys, and cast only a JSON number", () => {
    const number = `(CASE WHEN jsonb_typeof("meta" -> $1::text -> $2::text) = 'number' THEN ("meta" -> $1::text -> $2::text)::numeric END)`;
    expect(postgres("a.`0` < 1e21")).toEqual({
      sql: `(${number} < $3::numeric AND ${number} IS NOT NULL)`,
      params: ["a", "0", "1e+21"],
    });
  });

  it("an infinite bound is all numbers or none (jsonb numbers are finite)", () => {
    expect(postgres("n < 1e999").sql).toBe(`((CASE WHEN jsonb_typeof("meta" -> $1::text) = 'number' THEN ("meta" -> $1::text)::numeric END) IS NOT NULL)`);
    expect(postgres("n > 1e999")).toEqual({ sql: "FALSE", params: [] });
    expect(postgres("n = 1e999")).toEqual({ sql: "FALSE", params: [] });
  });

  it("what jsonb and text cannot hold (NUL, lone surrogates) is never stored, so never equal", () => {
    expect(postgres('s = "a\\u0000b"')).toEqual({ sql: "FALSE", params: [] });
    expect(postgres('`\\ud83d` != "x"')).toEqual({ sql: "(NOT FALSE)", params: [] });
    expect(postgres('creator in ("\\u0000", "")')).toEqual({ sql: `COALESCE(("creator" COLLATE "C") = '', TRUE)`, params: [] });
  });

  it("a range with a bound that is not a number matches nothing, as in the predicate", () => {
    expect(postgres('n > "5"')).toEqual({ sql: "FALSE", params: [] });
    expect(postgres("n > true")).toEqual({ sql: "FALSE", params: [] });
    expect(postgres('n > "abc"')).toEqual({ sql: "FALSE", params: [] });
  });

  it("custom, qualified column names are quoted part by part", () => {
    expect(toSql('creator = "u" and a = 1', { dialect: "postgres", column: "images.meta_json", creatorColumn: "owner" })).toEqual({
      sql: `(COALESCE(("owner" COLLATE "C") = $1::text, FALSE) AND ("images"."meta_json" @> $2::jsonb AND "images"."meta_json" IS NOT NULL))`,
      params: ["u", '{"a":1}'],
    });
  });
});

describe("errors", () => {
  it.each(["meta; DROP TABLE images", '"meta"', "", "1meta", "a.b.c.d", "meta--", "me ta", "méta"])(
    "refuses the column name %j",
    (column) => {
      expect(codes(() => toSql("a = 1", { dialect: "sqlite", column }))).toEqual(["invalid-column-name"]);
      expect(codes(() => toSql("a = 1", { dialect: "postgres", creatorColumn: column }))).toEqual(["invalid-column-name"]);
    },
  );

  it("refuses an unknown dialect, with every option issue at once", () => {
    const options = { dialect: "mysql", column: "x y" } as unknown as Parameters<typeof toSql>[1];
    expect(codes(() => toSql("a = 1", options))).toEqual(["invalid-sql-dialect", "invalid-column-name"]);
  });

  it("reports syntax errors of the text as parse does", () => {
    expect(codes(() => toSql("a = ", { dialect: "sqlite" }))).toEqual(["expected-value"]);
  });
});

/** Every piece of text toSql may write: a value or key spliced in would not fit. */
const VOCABULARY =
  /\s+|"meta"|"creator"|"C"|\?\d+|\$\d+|'(?:text|integer|real|true|false|number|object|\$|\{\}|\\u0000|)'|\b(?:CASE|WHEN|THEN|ELSE|END|AND|OR|NOT|IN|IS|NULL|TRUE|FALSE|COALESCE|COLLATE|BINARY|EXISTS|SELECT|FROM|WHERE|AS|CAST|REAL|instr|json_type|json_extract|json_each|jsonb_typeof|jsonb|text|numeric|[01])\b|imgmeta_step\d+(?:\.(?:key|value|type)\b)?|->|@>|::|<=|>=|[()=<>,]/y;

function unknownText(sql: string): string | undefined {
  VOCABULARY.lastIndex = 0;
  while (VOCABULARY.lastIndex < sql.length) {
    const at = VOCABULARY.lastIndex;
    if (!VOCABULARY.test(sql)) return sql.slice(at, at + 20);
  }
  return undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe.each<SqlDialect>(["sqlite", "postgres"])("%s: properties of the text", (dialect) => {
  it.each([
    ["random filters of the whole language", filterArb],
    ["hostile filters (quotes, comments, placeholders, NUL)", hostileFilterArb],
  ] as const)("%s: only the compiler's vocabulary, every parameter used and safe to send", (_, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (filter) => {
        const { sql, params } = toSql(filter, { dialect });
        expect(unknownText(sql)).toBeUndefined();
        // No piece of a hostile key or value that the compiler's own text never holds.
        for (const fragment of [";", "--", "/*", "DROP", "1=1", "\\", "$.", "[0]", ":name", "@p", "é", "😀", "\u0000", "\n", "\ud83d"]) {
          // (The one backslash the compiler writes is its own `'\u0000'` literal.)
          expect(sql.replaceAll("'\\u0000'", "''")).not.toContain(fragment);
        }
        // Placeholders are numbered 1..n, each value used.
        const used = new Set([...sql.matchAll(/[?$](\d+)/g)].map((match) => Number(match[1])));
        expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
        for (const param of params) {
          if (typeof param === "string") expect(LONE_SURROGATE.test(param) || param.includes("\u0000")).toBe(false);
          else expect(dialect).toBe("sqlite");
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
