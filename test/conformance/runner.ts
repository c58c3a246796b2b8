/**
 * The conformance table as tests: each target's test file calls one of these in a `describe` block, and
 * gets one test per case that applies to it. A new case is one JSON entry (`cases/*.json`), no code.
 * The runtime matrix (`test/runtimes/`) compares whole reports with {@link reportMismatches}.
 */
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { storable, type Engine } from "../support/sql-engines.js";
import { loadTable } from "./load.js";
import {
  emulatorQuery,
  expectedEmulator,
  expectedLibrary,
  observeEmulator,
  observeLibrary,
  sortedIds,
  spans,
  subject,
  type EmulatorObservation,
  type LibraryObservation,
  type RuntimeReport,
} from "./observe.js";
import { createEmulator, library } from "./subjects.js";
import type { Refusal } from "./table.js";

/** The parts of a library observation the table states. */
export type LibraryTarget = "params" | "issues" | "query" | "matches" | "binding";

function pick(observation: LibraryObservation, keys: readonly LibraryTarget[]): Partial<LibraryObservation> {
  return Object.fromEntries(keys.filter((key) => key in observation).map((key) => [key, observation[key]]));
}

/** One test per case: what the library's `targets` give (on the sources) is what the table says. */
export function conformance(targets: readonly LibraryTarget[]): void {
  const table = loadTable();
  for (const item of table.cases) {
    const expected = expectedLibrary(library, item);
    if (!targets.some((key) => key in expected)) continue;
    it(`${item.file}: ${item.name}`, () => {
      expect(pick(observeLibrary(library, table, item), targets)).toEqual(pick(expected, targets));
    });
  }
}

/**
 * One test per case with records: the rows `toSql` selects in each engine are the table's matches (or
 * it refuses the filter with the table's issues). Images an engine cannot store (Postgres: NUL, lone
 * surrogates) are not loaded there, and drop out of the matches.
 */
export function conformanceSql(engines: () => readonly Engine[]): void {
  const table = loadTable();
  for (const item of table.cases) {
    if (item.images === undefined) continue;
    it(`${item.file}: ${item.name}`, async () => {
      const compiled = subject(library, item)!;
      for (const engine of engines()) {
        const images = table.sets[item.images!]!.filter((image) => storable(engine.dialect, image));
        await engine.load(images);
        const stored = new Set(images.map((image) => image.id));
        let selected: string[] | Refusal;
        try {
          const rows = await engine.select(library.toSql(compiled, { dialect: engine.dialect }));
          selected = sortedIds(rows.map((row) => images[row]!.id));
        } catch (error) {
          if (!(error instanceof library.FilterError)) throw error;
          selected = { refused: spans(error.issues) };
        }
        const expected = item.matches ? sortedIds(item.matches.filter((id) => stored.has(id))) : { refused: item.issues ?? [] };
        expect(selected, engine.dialect).toEqual(expected);
      }
    });
  }
}

/** One test per case with parameters: what `createEmulator().fetch` lists for them (or its 400). */
export function conformanceEmulator(): void {
  const table = loadTable();
  let observations: Map<string, EmulatorObservation>;
  beforeAll(async () => {
    observations = new Map((await observeEmulator(createEmulator, table)).map((observation) => [observation.name, observation]));
  });
  afterAll(() => observations.clear());
  for (const item of table.cases) {
    if (emulatorQuery(item) === undefined) continue;
    it(`${item.file}: ${item.name}`, () => {
      expect(observations.get(item.name)?.answer).toEqual(expectedEmulator(item));
    });
  }
}

/** A difference between what a runtime reported and what it should have. */
export interface Mismatch {
  readonly case: string;
  readonly target: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * Every difference between a runtime's report and the table (`rootEntryOnly` for the browser bundle,
 * which has no `imgmeta/integrations` and `imgmeta/sql`). The SQL fragments, which the
 * table does not state, must be those the sources give on Node. Reports travel as JSON, so both sides
 * are compared as JSON.
 */
export function reportMismatches(report: RuntimeReport, options: { readonly rootEntryOnly?: boolean } = {}): Mismatch[] {
  const table = loadTable();
  const asJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const mismatches: Mismatch[] = [];
  const compare = (name: string, target: string, expected: unknown, actual: unknown) => {
    if (!isDeepStrictEqual(asJson(actual), asJson(expected))) mismatches.push({ case: name, target, expected, actual });
  };
  if (report.library.length !== table.cases.length) compare("(all)", "cases reported", table.cases.length, report.library.length);
  for (const [index, item] of table.cases.entries()) {
    const observed: LibraryObservation = report.library[index] ?? { name: "(missing)" };
    compare(item.name, "name", item.name, observed.name);
    const expected: Record<string, unknown> = { ...expectedLibrary(library, item) };
    if (options.rootEntryOnly) delete expected["binding"];
    else if (!item.paramsIssues) expected["sql"] = observeLibrary(library, table, item).sql;
    for (const [key, value] of Object.entries(expected)) {
      if (key !== "name") compare(item.name, key, value, (observed as unknown as Record<string, unknown>)[key]);
    }
  }
  if (report.emulator) {
    const answers = new Map(report.emulator.map((observation) => [observation.name, observation.answer]));
    for (const item of table.cases) {
      if (emulatorQuery(item) !== undefined) compare(item.name, "emulator", expectedEmulator(item), answers.get(item.name));
    }
  }
  return mismatches;
}
