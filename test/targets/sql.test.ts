/**
 * The SQL target against real engines, all WASM: SQLite (sql.js) with meta as JSON text and as JSONB
 * blobs, and Postgres (PGlite) with `jsonb`. The rows a fragment selects must be exactly the images
 * `toPredicate` selects (the one definition of the meaning). The engines start once for the file (PGlite
 * takes a few seconds).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  toPredicate,
  type FilterNode,
  type ImageRecord,
} from "../../src/index.js";
import { toSql } from "../../src/sql.js";
import { SEED, imageArb, rootFilterArb } from "../support/arbitraries.js";
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

/**
 * The record as a database holds it: its meta as JSON, where an infinity or NaN (which generated filters
 * put in images) is `null`. The predicate judges the row by what is stored.
 */
function asStored(image: ImageRecord): ImageRecord {
  return image.meta === undefined ? image : { ...image, meta: JSON.parse(JSON.stringify(image.meta)) as unknown };
}

/**
 * Loads the images the engine can store, and checks that each filter, and its negation, select what the
 * predicate selects (the negation proves no NULL leaks out of a condition: it must select the complement).
 */
async function agree(name: EngineName, images: readonly ImageRecord[], filters: readonly FilterNode[]): Promise<void> {
  const db = engine(name);
  const dialect = db.dialect;
  const stored = images.filter((image) => storable(dialect, image)).map(asStored);
  await db.load(stored);
  for (const filter of filters) {
    const negation: FilterNode = { type: "not", operand: filter };
    expect(await db.select(toSql(filter, { dialect })), JSON.stringify(filter)).toEqual(predicateIds(filter, stored));
    expect(await db.select(toSql(negation, { dialect })), JSON.stringify(negation)).toEqual(predicateIds(negation, stored));
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

describe.each(ENGINES)("%s: toSql selects exactly the images toPredicate selects", (name) => {
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

// The conformance table (test/conformance/): the rows each engine selects are the table's matches.
describe("the conformance table", () => conformanceSql(() => ENGINES.map(engine)));
