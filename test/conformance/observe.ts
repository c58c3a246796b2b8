/**
 * What the library and the emulator do with each case of the conformance table, as plain JSON data
 * ("observations"), and what the table says they must do ("expectations"). Runtime-neutral (no `node:`
 * import, no test framework, the library passed in): Node's tests call it with the sources, and the
 * runtime matrix bundles it into workerd, Bun, Deno and Chromium, where it runs with the built package,
 * and compares what comes back on Node.
 */
import type { CreateEmulator, FilterNode, Library, StoredImage } from "./subjects.js";
import type { Case, IssueSpan, Refusal, Table, TableImage } from "./table.js";

/** A target that threw something other than a FilterError: always a failure. */
export interface Crash {
  readonly crashed: string;
}

/** What the library did with one case; a key is absent when the target does not apply. */
export interface LibraryObservation {
  readonly name: string;
  /** `format(fromSearchParams(params))`, or its refusal. */
  params?: { readonly filter: string } | Refusal | Crash;
  /** `check(filter).issues`. */
  issues?: IssueSpan[] | Crash;
  /** `toQueryString(filter)`, or its refusal. */
  query?: string | Refusal | Crash;
  /** The ids `toPredicate(filter)` selects, sorted. */
  matches?: string[] | Refusal | Crash;
  /** `toBindingFilter(filter)`, or its refusal (where the entry is there). */
  binding?: unknown;
  /** `toSql(filter)` in both dialects (where the entry is there). */
  sql?: { readonly sqlite: unknown; readonly postgres: unknown };
}

/** The emulator's answer to a case's parameters on `GET images/v2`: the ids listed, or the error codes. */
export type EmulatorAnswer = { readonly ids: string[] } | { readonly status: number; readonly codes: number[] };

/** What the emulator did with one case. */
export interface EmulatorObservation {
  readonly name: string;
  readonly answer: EmulatorAnswer | Crash;
}

/** Issues as the table states them. */
export function spans(issues: readonly { readonly code: string; readonly start: number; readonly end: number }[]): IssueSpan[] {
  return issues.map(({ code, start, end }) => ({ code, start, end }));
}

/** Runs a target: its result, its refusal (a FilterError), or the crash that must not happen. */
function attempt<T>(lib: Library, run: () => T): T | Refusal | Crash {
  try {
    return run();
  } catch (error) {
    if (error instanceof lib.FilterError) return { refused: spans(error.issues) };
    return { crashed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Ids, sorted (the table lists them in any order; the list's own order is tested elsewhere). */
export function sortedIds(ids: readonly string[]): string[] {
  return [...ids].sort();
}

/**
 * The filter the targets compile: the case's text, or else what `fromSearchParams` reads from its
 * parameters (undefined when it refuses them).
 */
export function subject(lib: Library, item: Case): string | FilterNode | undefined {
  if (item.filter !== undefined) return item.filter;
  try {
    return lib.fromSearchParams(item.params!);
  } catch (error) {
    if (error instanceof lib.FilterError) return undefined;
    throw error;
  }
}

/** What the library does with one case. */
export function observeLibrary(lib: Library, table: Table, item: Case): LibraryObservation {
  const observation: LibraryObservation = { name: item.name };
  const { params, filter } = item;
  if (params !== undefined) observation.params = attempt(lib, () => ({ filter: lib.format(lib.fromSearchParams(params)) }));
  if (filter !== undefined) {
    observation.issues = attempt(lib, () => spans(lib.check(filter).issues)) as IssueSpan[] | Crash;
    observation.query = attempt(lib, () => lib.toQueryString(filter));
  }
  const compiled = subject(lib, item);
  if (compiled === undefined) return observation;
  if (item.images !== undefined) {
    const images = table.sets[item.images]!;
    observation.matches = attempt(lib, () => {
      const matches = lib.toPredicate(compiled);
      return sortedIds(images.filter((image) => matches(image)).map((image) => image.id));
    });
  }
  const { toBindingFilter, toSql } = lib;
  if (toBindingFilter) observation.binding = attempt(lib, () => toBindingFilter(compiled));
  if (toSql) {
    observation.sql = {
      sqlite: attempt(lib, () => toSql(compiled, { dialect: "sqlite" })),
      postgres: attempt(lib, () => toSql(compiled, { dialect: "postgres" })),
    };
  }
  return observation;
}

/**
 * What the table says the library must do with one case (`lib` only formats the case's own filter, to
 * compare what the parameters read with it). `sql` is not stated by the table: real engines check it.
 */
export function expectedLibrary(lib: Library, item: Case): LibraryObservation {
  const expected: LibraryObservation = { name: item.name };
  const refusal: Refusal = { refused: item.issues ?? [] };
  if (item.params !== undefined) {
    expected.params = item.paramsIssues ? { refused: item.paramsIssues } : { filter: lib.format(lib.parse(item.filter!)) };
  }
  if (item.filter !== undefined) {
    expected.issues = [...(item.issues ?? [])];
    expected.query = item.query ?? refusal;
  }
  if (item.paramsIssues) return expected;
  if (item.images !== undefined) expected.matches = item.matches ? sortedIds(item.matches) : refusal;
  expected.binding = item.binding;
  return expected;
}

/** The query string a case sends to the emulator's list, when it has one. */
export function emulatorQuery(item: Case): string | undefined {
  if (item.paramsIssues === undefined && item.matches === undefined) return undefined;
  return item.params ?? item.query;
}

/** What the table says the emulator must answer to a case's query (see {@link emulatorQuery}). */
export function expectedEmulator(item: Case): EmulatorAnswer {
  // One 5401 item per issue of the library.
  if (item.paramsIssues) return { status: 400, codes: item.paramsIssues.map(() => 5401) };
  return { ids: sortedIds(item.matches!) };
}

/** The bytes the emulator's images hold: a PNG signature is what makes a file a PNG there. */
export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const T0 = Date.UTC(2026, 10, 22, 12);

/** A table image as the emulator stores it (an image with no meta has an empty one there). */
export function storedImage(image: TableImage, index: number): StoredImage {
  return {
    id: image.id,
    customId: true,
    creator: image.creator ?? null,
    meta: image.meta ?? {},
    requireSignedURLs: false,
    uploaded: T0 + index * 1000,
    draft: false,
    uploadExpires: null,
    filename: `${index}.png`,
    format: "png",
    bytes: PNG,
  };
}

/** The ids of a list answer, or its error codes. */
export async function listAnswer(response: Response): Promise<EmulatorAnswer> {
  const body = (await response.json()) as { result: { images: { id: string }[] } | null; errors: { code: number }[] };
  if (response.status === 200 && body.result) return { ids: sortedIds(body.result.images.map((image) => image.id)) };
  return { status: response.status, codes: body.errors.map((error) => error.code) };
}

/**
 * What `createEmulator().fetch` answers to each case's parameters, with one emulator per image set
 * (a case with no set gets an empty one).
 */
export async function observeEmulator(createEmulator: CreateEmulator, table: Table): Promise<EmulatorObservation[]> {
  const emulators = new Map<string, ReturnType<CreateEmulator>>();
  const observations: EmulatorObservation[] = [];
  try {
    for (const item of table.cases) {
      const query = emulatorQuery(item);
      if (query === undefined) continue;
      const set = item.images ?? "";
      let emulator = emulators.get(set);
      if (!emulator) {
        emulator = createEmulator();
        emulators.set(set, emulator);
        await emulator.addImages((table.sets[set] ?? []).map(storedImage));
      }
      let answer: EmulatorAnswer | Crash;
      try {
        const request = new Request(`http://emulator.test/client/v4/accounts/conformance/images/v2?${query}`, { headers: { authorization: "Bearer conformance" } });
        answer = await listAnswer(await emulator.fetch(request));
      } catch (error) {
        answer = { crashed: String(error) };
      }
      observations.push({ name: item.name, answer });
    }
  } finally {
    for (const emulator of emulators.values()) await emulator.close();
  }
  return observations;
}

/** Everything a runtime reports: the library's observations of every case, and the emulator's. */
export interface RuntimeReport {
  readonly library: LibraryObservation[];
  readonly emulator?: EmulatorObservation[];
}

/** Runs every case of the table through the library (and the emulator, when given). */
export async function observeAll(lib: Library, table: Table, createEmulator?: CreateEmulator): Promise<RuntimeReport> {
  const library = table.cases.map((item) => observeLibrary(lib, table, item));
  return createEmulator ? { library, emulator: await observeEmulator(createEmulator, table) } : { library };
}
