/**
 * Real SQL engines for the SQL target's tests: SQLite (sql.js, WASM) and Postgres (PGlite, WASM), each
 * with the schema the docs assume (id, creator, uploaded, meta as JSON), and what each can store.
 */
import { PGlite } from "@electric-sql/pglite";
import initSqlJs from "sql.js";
import type { SqlDialect, SqlFragment } from "../../src/sql.js";
import type { ImageRecord } from "../../src/index.js";

/** One engine: load a set of images, then select the ids a WHERE fragment keeps. */
export interface Engine {
  readonly dialect: SqlDialect;
  /** Replaces the table's rows with `images` (row id = index in the array). */
  load(images: readonly ImageRecord[]): Promise<void>;
  /** The ids of the rows `WHERE <fragment>` selects, ascending. */
  select(fragment: SqlFragment): Promise<number[]>;
  /** Any query, for the tests that look at plans or errors. */
  query(sql: string, params?: readonly unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** The stored JSON of an image's `meta`: SQL NULL when it has none. */
function metaJson(image: ImageRecord): string | null {
  return image.meta === undefined ? null : JSON.stringify(image.meta);
}

function creatorOf(image: ImageRecord): string | null {
  return image.creator ?? null;
}

/**
 * SQLite through sql.js: `meta` holds JSON text read with the JSON functions, or with `jsonb: true`,
 * SQLite's binary JSONB (the same functions read both).
 */
export async function openSqlite(options: { readonly jsonb?: boolean } = {}): Promise<Engine> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("CREATE TABLE images (id INTEGER PRIMARY KEY, creator TEXT, uploaded TEXT NOT NULL, meta)");
  const rows = (sql: string, params: readonly unknown[] = []): unknown[][] =>
    db.exec(sql, params as initSqlJs.BindParams)[0]?.values ?? [];
  return {
    dialect: "sqlite",
    async load(images) {
      db.run("BEGIN");
      db.run("DELETE FROM images");
      const meta = options.jsonb ? "jsonb(?)" : "?";
      const insert = db.prepare(`INSERT INTO images (id, creator, uploaded, meta) VALUES (?, ?, '2026-11-22T00:00:00Z', ${meta})`);
      images.forEach((image, id) => insert.run([id, creatorOf(image), metaJson(image)]));
      insert.free();
      db.run("COMMIT");
    },
    async select({ sql, params }) {
      return rows(`SELECT id FROM images WHERE ${sql} ORDER BY id`, params).map((row) => Number(row[0]));
    },
    async query(sql, params = []) {
      return rows(sql, params);
    },
    async close() {
      db.close();
    },
  };
}

/** Postgres through PGlite: `meta` is `jsonb`. */
export async function openPostgres(): Promise<Engine> {
  const pg = await PGlite.create();
  await pg.exec("CREATE TABLE images (id integer PRIMARY KEY, creator text, uploaded timestamptz NOT NULL, meta jsonb)");
  return {
    dialect: "postgres",
    async load(images) {
      await pg.transaction(async (tx) => {
        await tx.query("DELETE FROM images");
        if (images.length === 0) return;
        // One statement: rows as a JSON array of [creator, meta-as-text], so each image is one round trip less.
        await tx.query(
          `INSERT INTO images (id, creator, uploaded, meta)
           SELECT (ord - 1)::int, r ->> 0, '2026-11-22T00:00:00Z', (r ->> 1)::jsonb
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, ord)`,
          [JSON.stringify(images.map((image) => [creatorOf(image), metaJson(image)]))],
        );
      });
    },
    async select({ sql, params }) {
      const result = await pg.query<{ id: number }>(`SELECT id FROM images WHERE ${sql} ORDER BY id`, params);
      return result.rows.map((row) => row.id);
    },
    async query(sql, params = []) {
      const result = await pg.query<Record<string, unknown>>(sql, params as unknown[]);
      return result.rows.map((row) => Object.values(row));
    },
    async close() {
      await pg.close();
    },
  };
}

const FRAGILE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether an engine stores `image` unchanged, so that the predicate over the record is the truth for the
 * row. Postgres cannot store NUL or a lone surrogate in a creator, a meta key or a meta string (`text` and
 * `jsonb` refuse NUL, `jsonb` refuses an unpaired `\ud83d` escape, and drivers send text as UTF-8, which
 * turns a lone surrogate into U+FFFD), so the differential tests leave such images out for Postgres;
 * toSql itself is not restricted. SQLite stores them all: meta as JSON text (escapes and all), and sql.js
 * binds text with its length, writing a lone surrogate as the same bytes SQLite decodes `\ud83d` to.
 */
export function storable(dialect: SqlDialect, image: ImageRecord): boolean {
  if (dialect === "sqlite") return true;
  return !(typeof image.creator === "string" && FRAGILE.test(image.creator)) && !holdsFragileText(image.meta);
}

function holdsFragileText(value: unknown): boolean {
  if (typeof value === "string") return FRAGILE.test(value);
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([key, child]) => FRAGILE.test(key) || holdsFragileText(child));
}
