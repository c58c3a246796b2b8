/**
 * The library as its users see it: the public entry points (`imgmeta`, `imgmeta/integrations`,
 * `imgmeta/sql`, `imgmeta/server`), imported in this one place, so that the conformance table's runner
 * and the tests that call it never reach into the library's modules (a restructuring of the sources
 * changes these imports only).
 */
import * as root from "../../src/index.js";
import * as integrations from "../../src/integrations.js";
import * as sql from "../../src/sql.js";
import * as server from "../../src/server/index.js";

/**
 * The functions the table's library cases call. The integrations and SQL entries are optional: the
 * browser bundle ships the root entry only.
 */
export type Library = Pick<typeof root, "parse" | "format" | "check" | "toQueryString" | "fromSearchParams" | "toPredicate" | "FilterError"> &
  Partial<Pick<typeof integrations, "toBindingFilter">> &
  Partial<Pick<typeof sql, "toSql">>;

/** `createEmulator` of `imgmeta/server` (its Node build and its web build have this one signature). */
export type CreateEmulator = typeof server.createEmulator;

/** The library from its entry points, as the runner calls it. */
export const library: Required<Library> = { ...root, ...integrations, ...sql };

/** `createEmulator` of `imgmeta/server`. */
export const createEmulator: CreateEmulator = server.createEmulator;

/** The names each entry point exports, sorted: what the built package must export too. */
export const entryNames: Record<string, string[]> = Object.fromEntries(
  Object.entries({ imgmeta: root, "imgmeta/integrations": integrations, "imgmeta/sql": sql, "imgmeta/server": server }).map(([entry, exports]) => [entry, Object.keys(exports).sort()]),
);
export type { FilterNode } from "../../src/index.js";
export type { StoredImage } from "../../src/server/index.js";
