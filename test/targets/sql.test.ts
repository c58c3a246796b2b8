/**
 * The SQL target (src/targets/sql.ts), through `imgmeta/sql`'s `toSql`: what it selects in real engines,
 * all WASM (SQLite through sql.js with meta as JSON text and as JSONB blobs, Postgres through PGlite with
 * `jsonb`), and what it writes (exact text and parameters, option errors, and properties of the text:
 * only the compiler's own vocabulary, every value a parameter a UTF-8 driver carries unchanged).
 *
 * The rows a fragment selects must be exactly the images `matches` selects (src/semantics/matching.ts,
 * the one definition of the meaning), and so those `toPredicate` selects. The engines start once for the
 * file (PGlite takes a few seconds).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPredicate, type FilterNode, type ImageRecord } from "../../src/index.js";
import { matches } from "../../src/semantics/matching.js";
import { toSql, type SqlDialect, type SqlFragment } from "../../src/sql.js";
import { SEED, filterArb, imageArb, rootFilterArb } from "../support/arbitraries.js";
import { codes } from "../support/codes.js";
import { filtersWithImagesArb, hostileFilterArb, hostileImageArb } from "../support/sql-arbitraries.js";
import { openPostgres, openSqlite, storable, type Engine } from "../support/sql-engines.js";
import { conformanceSql } from "../conformance/runner.js";

/** The engines: SQLite with JSON text, SQLite with JSONB blobs, Postgres with jsonb. */
type EngineName = "sqlite" | "sqlite-jsonb" | "postgres";
const ENGINES: readonly EngineName[] = ["sqlite", "sqlite-jsonb", "postgres"];
const engines = new Map<EngineName, Engine>();

/** What the engines tried to fetch while starting (they must load their WASM from node_modules). */
const fetched: string[] = [];

beforeAll(async () => {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new Error("no network in tests"));
  };
  try {
    const [sqlite, sqliteJsonb, postgres] = await Promise.all([openSqlite(), openSqlite({ jsonb: true }), openPostgres()]);
    engines.set("sqlite", sqlite);
    engines.set("sqlite-jsonb", sqliteJsonb);
    engines.set("postgres", postgres);
  } finally {
    globalThis.fetch = realFetch;
  }
}, 60_000);

afterAll(async () => {
  for (const engine of engines.values()) await engine.close();
});

function engine(name: EngineName): Engine {
  const found = engines.get(name);
  if (!found) throw new Error(`no ${name} engine`);
  return found;
}

/** The row ids (indexes into `images`) that the predicate selects. */
function predicateIds(filter: FilterNode | string, images: readonly ImageRecord[]): number[] {
  const predicate = toPredicate(filter);
  return images.flatMap((image, id) => (predicate(image) ? [id] : []));
}

/** The row ids (indexes into `images`) that the definition of matching selects. */
function matchingIds(filter: FilterNode, images: readonly ImageRecord[]): number[] {
  return images.flatMap((image, id) => (matches(filter, image) ? [id] : []));
}

/**
 * The record as a database holds it: its meta as JSON, where an infinity or NaN (which generated filters
 * put in images) is `null`. The predicate judges the row by what is stored.
 */
function asStored(image: ImageRecord): ImageRecord {
  return image.meta === undefined ? image : { ...image, meta: JSON.parse(JSON.stringify(image.meta)) as unknown };
}

/**
 * Loads the images the engine can store, and checks that each filter, and its negation, select what
 * `matches` selects, and what the predicate selects (the negation proves no NULL leaks out of a
 * condition: it must select the complement).
 */
async function agree(name: EngineName, images: readonly ImageRecord[], filters: readonly FilterNode[]): Promise<void> {
  const db = engine(name);
  const dialect = db.dialect;
  const stored = images.filter((image) => storable(dialect, image)).map(asStored);
  await db.load(stored);
  for (const filter of filters) {
    const negation: FilterNode = { type: "not", operand: filter };
    const selected = await db.select(toSql(filter, { dialect }));
    const selectedByNegation = await db.select(toSql(negation, { dialect }));
    expect(selected, JSON.stringify(filter)).toEqual(matchingIds(filter, stored));
    expect(selectedByNegation, JSON.stringify(negation)).toEqual(matchingIds(negation, stored));
    expect(selected, JSON.stringify(filter)).toEqual(predicateIds(filter, stored));
    expect(selectedByNegation, JSON.stringify(negation)).toEqual(predicateIds(negation, stored));
  }
}

/** A fixture with one image per trap: twins of other types, arrays on the path, odd keys, big numbers. */
const IMAGES: readonly ImageRecord[] = [
  /* 0 */ { creator: "alice", meta: { status: "active", priority: 5, region: { name: "eu-west" }, enabled: true, tags: ["a", "b"] } },
  /* 1 */ { creator: "bob", meta: { status: "pending", priority: "5", region: [{ name: "eu-west" }], enabled: "true", tags: { 0: "a" } } },
  /* 2 */ { creator: "", meta: { status: null, priority: 4.5, "region.name": "eu-west", constructor: "c", enabled: 1 } },
  /* 3 */ { creator: null, meta: "active" },
  /* 4 */ { meta: ["active", { status: "active" }] },
  /* 5 */ {},
  /* 6 */ {
    creator: "Alice",
    meta: { status: "Active", priority: 1e21, big: 9007199254740992, huge: -24967768488439510, "": "empty", "a\"b": { "c.d": "quote" } },
  },
  // JSON.parse makes `__proto__` an own key, as it is in stored JSON (a literal would set the prototype).
  /* 7 */ { creator: "bob", meta: JSON.parse('{"status":"deleted","priority":-0,"tiny":5e-324,"enabled":false,"0":"zero","__proto__":{"x":1}}') },
  /* 8 */ { meta: { status: "active ", priority: 0.1, region: { name: "EU-WEST", zone: { id: 3 } }, n: null } },
];

describe.each(ENGINES)("%s: each construct selects the expected rows", (name) => {
  it.each<[string, number[]]>([
    // Typed, exact equality; JSON null, missing and other types never equal.
    ['status = "active"', [0]],
    ["priority = 5", [0]],
    ['priority = "5"', [1]],
    ["priority = 0", [7]],
    ["priority = 1e21", [6]],
    ["big = 9007199254740992", [6]],
    // Written as 24967768488439510 but read by JavaScript as the double 24967768488439512.
    ["huge = -24967768488439510", [6]],
    ["huge = -24967768488439512", [6]],
    ["huge <= -24967768488439511", [6]],
    ["tiny = 5e-324", [7]],
    ["enabled = true", [0]],
    ["enabled = false", [7]],
    ['enabled = "true"', [1]],
    ['n = "null"', []],
    // Ranges: JSON numbers only, compared as numbers.
    ["priority > 4", [0, 2, 6]],
    ["priority >= 4.5", [0, 2, 6]],
    ["priority < 0.5", [7, 8]],
    ["priority <= 0", [7]],
    ["priority > -1e999", [0, 2, 6, 7, 8]],
    // in, not in, != and not: logical negations; a missing field matches them.
    ['status in ("active", "deleted")', [0, 7]],
    ['priority in (5, "5")', [0, 1]],
    ['status != "active"', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['status not in ("active", "pending")', [2, 3, 4, 5, 6, 7, 8]],
    ["not priority > 1", [1, 3, 4, 5, 7, 8]],
    ['status = "active" or priority = "5"', [0, 1]],
    ['not (status = "active" or enabled = false) and priority > 0', [2, 6, 8]],
    // Paths walk objects only: never into arrays, and a dotted key is one key.
    ['region.name = "eu-west"', [0]],
    ['`region.name` = "eu-west"', [2]],
    ["region.zone.id >= 3", [8]],
    ['tags.`0` = "a"', [1]],
    ['`0` = "zero"', [7]],
    ['`0` = "active"', []],
    ['`` = "empty"', [6]],
    ['`a"b`.`c.d` = "quote"', [6]],
    // Prototype names are plain keys.
    ['constructor = "c"', [2]],
    ["__proto__.x = 1", [7]],
    ['constructor != "c"', [0, 1, 3, 4, 5, 6, 7, 8]],
    // creator: exact, case-sensitive; "" is none (NULL, absent or empty).
    ['creator = "alice"', [0]],
    ['creator = ""', [2, 3, 4, 5, 8]],
    ['creator in ("bob", "")', [1, 2, 3, 4, 5, 7, 8]],
    ['creator != "bob"', [0, 2, 3, 4, 5, 6, 8]],
    ["creator > 1", []],
    ['meta.creator = "alice"', []],
    // The empty filter.
    ["", [0, 1, 2, 3, 4, 5, 6, 7, 8]],
  ])("%s", async (filter, expected) => {
    expect(predicateIds(filter, IMAGES)).toEqual(expected);
    const db = engine(name);
    await db.load(IMAGES);
    expect(await db.select(toSql(filter, { dialect: db.dialect }))).toEqual(expected);
  });
});

describe.each(ENGINES)("%s: toSql selects exactly the images matches (the definition) and toPredicate select", (name) => {
  it("random filters of the whole language over random image sets", async () => {
    await fc.assert(
      fc.asyncProperty(filtersWithImagesArb(rootFilterArb, imageArb), ([filters, images]) => agree(name, images, filters)),
      // Fewer runs for JSONB: the same SQL as with JSON text, only the storage differs.
      { seed: SEED, numRuns: name === "sqlite-jsonb" ? 200 : 600 },
    );
  }, 30_000);

  it("hostile keys and values (quotes, comments, placeholders, NUL, unicode) run and agree", async () => {
    await fc.assert(
      fc.asyncProperty(filtersWithImagesArb(hostileFilterArb, hostileImageArb), ([filters, images]) => agree(name, images, filters)),
      { seed: SEED, numRuns: name === "sqlite-jsonb" ? 100 : 200 },
    );
  }, 30_000);
});

describe("engine specifics", () => {
  it("both engines start from the WASM inside their npm packages, fetching nothing", () => {
    expect(engines.size).toBe(3);
    expect(fetched).toEqual([]);
  });

  it.each(ENGINES)("%s: an empty path (only in a hand-built AST) tests meta itself, as the predicate does", async (name) => {
    const images: ImageRecord[] = [{ meta: 5 }, { meta: [5] }, { meta: "5" }, { meta: { a: 5 } }, { meta: 5.5 }, {}];
    const db = engine(name);
    const dialect = db.dialect;
    await db.load(images);
    const field = { type: "meta", path: [] } as const;
    const filters: FilterNode[] = [
      { type: "compare", op: "eq", field, value: { value: 5 } },
      { type: "in", field, values: [{ value: "5" }, { value: 5.5 }], negated: true },
      { type: "compare", op: "gt", field, value: { value: 5 } },
    ];
    for (const filter of filters) expect(await db.select(toSql(filter, { dialect }))).toEqual(predicateIds(filter, images));
    expect(await db.select(toSql(filters[0]!, { dialect }))).toEqual([0]);
  });

  it.each<EngineName>(["sqlite", "sqlite-jsonb"])("%s: keys holding NUL are compared whole (its JSON path lookup stops at a NUL)", async (name) => {
    const images: ImageRecord[] = [
      { meta: { "a\u0000b": 1, "a\u0000c": 2 } },
      { meta: { "a\u0000c": { "\u0000": 1 } } },
      // A key with NUL comes first and would shadow "a" and "a\u0000b" in a path lookup.
      { meta: { "a\u0000x": 1, a: 2, "a\u0000b": 3 } },
      { meta: { "n\u0000": "the NUL is only in a value's key", n: 5 } },
    ];
    const db = engine(name);
    await db.load(images);
    const filters = ["`a\\u0000c` = 2", "`a\\u0000b` = 2", "`a\\u0000` = 1", "`a\\u0000c`.`\\u0000` >= 1", "not `a\\u0000b` = 1", "a = 2", "a > 1", "`a\\u0000b` = 3", "n = 5"];
    for (const filter of filters) {
      expect(await db.select(toSql(filter, { dialect: "sqlite" })), filter).toEqual(predicateIds(filter, images));
    }
    expect(await db.select(toSql("`a\\u0000c` = 2", { dialect: "sqlite" }))).toEqual([0]);
    expect(await db.select(toSql("a = 2 or n = 5", { dialect: "sqlite" }))).toEqual([2, 3]);
  });

  it("SQLite: a NOCASE creator column still compares creators byte for byte", async () => {
    const db = engine("sqlite");
    await db.query("CREATE TABLE nocase_images (id INTEGER PRIMARY KEY, creator TEXT COLLATE NOCASE, meta TEXT)");
    await db.query(`INSERT INTO nocase_images VALUES (0, 'alice', '{"s":"x"}'), (1, 'ALICE', '{"s":"X"}'), (2, NULL, NULL)`);
    const { sql, params } = toSql('creator = "alice" or creator = ""', { dialect: "sqlite" });
    expect(await db.query(`SELECT id FROM nocase_images WHERE ${sql} ORDER BY id`, params)).toEqual([[0], [2]]);
  });

  it("SQLite: a parameterised path cannot use an expression index; a generated column as a pre-filter can", async () => {
    // What docs/sql.md says about indexing in SQLite/D1, checked on the planner.
    const db = engine("sqlite");
    await db.load(IMAGES);
    await db.query("CREATE INDEX images_status_expr ON images (json_extract(meta, '$.status'))");
    await db.query("ALTER TABLE images ADD COLUMN status TEXT GENERATED ALWAYS AS (json_extract(meta, '$.status')) VIRTUAL");
    await db.query("CREATE INDEX images_status ON images (status)");
    try {
      const { sql, params } = toSql('status = "active" and priority > 1', { dialect: "sqlite" });
      const plan = async (where: string, values: readonly unknown[]): Promise<string> =>
        (await db.query(`EXPLAIN QUERY PLAN SELECT id FROM images WHERE ${where}`, values)).map((row) => String(row[3])).join("\n");
      expect(await plan(sql, params)).toMatch(/^SCAN images/);
      const prefiltered = `status = ?${params.length + 1} AND ${sql}`;
      expect(await plan(prefiltered, [...params, "active"])).toContain("USING INDEX images_status (status=?)");
      expect(await db.query(`SELECT id FROM images WHERE ${prefiltered}`, [...params, "active"])).toEqual([[0]]);
    } finally {
      await db.query("DROP INDEX images_status_expr");
      await db.query("DROP INDEX images_status");
      await db.query("ALTER TABLE images DROP COLUMN status");
    }
  });

  it("Postgres: = and in are served by a GIN index on the column, ranges by an expression index", async () => {
    const db = engine("postgres");
    await db.load(IMAGES);
    await db.query("CREATE INDEX images_meta_gin ON images USING gin (meta jsonb_path_ops)");
    // The expression docs/sql.md gives for a numeric path.
    await db.query(
      `CREATE INDEX images_priority ON images ((CASE WHEN jsonb_typeof(meta -> 'priority') = 'number' THEN (meta -> 'priority')::numeric END))`,
    );
    await db.query("SET enable_seqscan = off");
    try {
      const plan = async (filter: string): Promise<string> => {
        const { sql, params } = toSql(filter, { dialect: "postgres" });
        return (await db.query(`EXPLAIN SELECT id FROM images WHERE ${sql}`, params)).map((row) => String(row[0])).join("\n");
      };
      expect(await plan('status = "active"')).toContain("Index Scan on images_meta_gin");
      expect(await plan("status in (active, pending)")).toMatch(/BitmapOr[\s\S]*images_meta_gin[\s\S]*images_meta_gin/);
      expect(await plan("priority >= 4.5")).toContain("Index Scan on images_priority");
      // A generic plan (a named prepared statement, after a few runs) keeps GIN, not the expression index.
      await db.query("SET plan_cache_mode = force_generic_plan");
      const genericPlan = async (name: string, filter: string): Promise<string> => {
        const { sql, params } = toSql(filter, { dialect: "postgres" });
        await db.query(`PREPARE ${name} AS SELECT id FROM images WHERE ${sql}`);
        const values = params.map((param) => `'${String(param).replace(/'/g, "''")}'`).join(", ");
        return (await db.query(`EXPLAIN EXECUTE ${name}(${values})`)).map((row) => String(row[0])).join("\n");
      };
      expect(await genericPlan("generic_eq", 'status = "active"')).toContain("Index Scan on images_meta_gin");
      expect(await genericPlan("generic_range", "priority >= 4.5")).not.toContain("images_priority");
      // Still the same rows with the indexes in use.
      expect(await db.select(toSql('status in (active, pending) or priority >= 4.5', { dialect: "postgres" }))).toEqual([0, 1, 2, 6]);
    } finally {
      await db.query("RESET enable_seqscan");
      await db.query("RESET plan_cache_mode");
      await db.query("DEALLOCATE ALL");
      await db.query("DROP INDEX images_meta_gin");
      await db.query("DROP INDEX images_priority");
    }
  });
});

// What toSql writes, without an engine.

const sqlite = (filter: FilterNode | string): SqlFragment => toSql(filter, { dialect: "sqlite" });
const postgres = (filter: FilterNode | string): SqlFragment => toSql(filter, { dialect: "postgres" });

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

// The conformance table (test/conformance/): the rows each engine selects are the table's matches.
describe("the conformance table", () => conformanceSql(() => ENGINES.map(engine)));
