/**
 * The SQL target against real engines: SQLite (sql.js) and Postgres (PGlite), both WASM. The rows a
 * fragment selects must be exactly the images `toPredicate` selects (the one definition of the meaning).
 * The engines start once for the file (PGlite takes a few seconds).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPredicate, toSql, type FilterNode, type ImageRecord, type SqlDialect } from "../src/index.js";
import { SEED, imageArb, rootFilterArb } from "./support/arbitraries.js";
import { filtersWithImagesArb, hostileFilterArb, hostileImageArb } from "./support/sql-arbitraries.js";
import { openPostgres, openSqlite, storable, type Engine } from "./support/sql-engines.js";

const DIALECTS: readonly SqlDialect[] = ["sqlite", "postgres"];
const engines = new Map<SqlDialect, Engine>();

beforeAll(async () => {
  const [sqlite, postgres] = await Promise.all([openSqlite(), openPostgres()]);
  engines.set("sqlite", sqlite);
  engines.set("postgres", postgres);
}, 60_000);

afterAll(async () => {
  for (const engine of engines.values()) await engine.close();
});

function engine(dialect: SqlDialect): Engine {
  const found = engines.get(dialect);
  if (!found) throw new Error(`no ${dialect} engine`);
  return found;
}

/** The row ids (indexes into `images`) that the predicate selects. */
function predicateIds(filter: FilterNode | string, images: readonly ImageRecord[]): number[] {
  const predicate = toPredicate(filter);
  return images.flatMap((image, id) => (predicate(image) ? [id] : []));
}

/**
 * Loads the images the engine can store, and checks that each filter, and its negation, select what the
 * predicate selects (the negation proves no NULL leaks out of a condition: it must select the complement).
 */
async function agree(dialect: SqlDialect, images: readonly ImageRecord[], filters: readonly FilterNode[]): Promise<void> {
  const stored = images.filter((image) => storable(dialect, image));
  const db = engine(dialect);
  await db.load(stored);
  for (const filter of filters) {
    const negation: FilterNode = { type: "not", operand: filter };
    expect(await db.select(toSql(filter, { dialect })), JSON.stringify(filter)).toEqual(predicateIds(filter, stored));
    expect(await db.select(toSql(negation, { dialect })), JSON.stringify(negation)).toEqual(predicateIds(negation, stored));
  }
}

describe.each(DIALECTS)("%s: toSql selects exactly the images toPredicate selects", (dialect) => {
  it("random filters of the whole language over random image sets", async () => {
    await fc.assert(
      fc.asyncProperty(filtersWithImagesArb(rootFilterArb, imageArb), ([filters, images]) => agree(dialect, images, filters)),
      { seed: SEED, numRuns: 600 },
    );
  });

  it("hostile keys and values (quotes, comments, placeholders, NUL, unicode) run and agree", async () => {
    await fc.assert(
      fc.asyncProperty(filtersWithImagesArb(hostileFilterArb, hostileImageArb), ([filters, images]) => agree(dialect, images, filters)),
      { seed: SEED, numRuns: 200 },
    );
  });
});
