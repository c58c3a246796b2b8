/**
 * The conformance table: cases of filter text (or API parameters), the image records they run against,
 * and what every target must give. People read and extend the JSON files beside this module
 * (`images.json`, `cases/*.json`, described in `README.md`); this module reads them, checks each entry's
 * shape so that a mistyped case fails loudly, and expands `{ "text": [...] }` strings.
 *
 * Pure and runtime-neutral (no `node:` import): the runtime matrix hands the raw JSON texts to workerd,
 * Bun, Deno and Chromium, which read them with this same code (so `-0` and own `__proto__` keys arrive
 * exactly as written). `load.ts` reads the files on Node.
 */

/** An issue as the table states it: its code and its span in the filter text (or the query string). */
export interface IssueSpan {
  readonly code: string;
  readonly start: number;
  readonly end: number;
}

/** What a target that refuses a filter gives: its issues. */
export interface Refusal {
  readonly refused: readonly IssueSpan[];
}

/** An image record of the table. */
export interface TableImage {
  readonly id: string;
  readonly creator?: string | null;
  readonly meta?: Record<string, unknown>;
}

/** One case: the filter, the records, and what each target must give. */
export interface Case {
  /** Unique across the table. */
  readonly name: string;
  /** The file it comes from (`docs.json`). */
  readonly file: string;
  /** The filter in imgmeta's language. */
  readonly filter?: string;
  /** The List images V2 query string that means the same filter (or that `paramsIssues` refuses). */
  readonly params?: string;
  /** `toQueryString(filter)`, when the API can express the filter. */
  readonly query?: string;
  /** `check(filter).issues`, when it cannot (then `toQueryString` throws them). */
  readonly issues?: readonly IssueSpan[];
  /** `fromSearchParams(params)` refuses the parameters with these issues (the emulator answers 400). */
  readonly paramsIssues?: readonly IssueSpan[];
  /** The image set (a key of `images.json`'s sets). */
  readonly images?: string;
  /**
   * The ids the predicate, SQLite, Postgres and the emulator select. Absent when the filter does not
   * parse: then every target refuses it with `issues`.
   */
  readonly matches?: readonly string[];
  /** `toBindingFilter(filter)`, or `{ refused: [...] }`. */
  readonly binding?: unknown;
}

/** The whole table. */
export interface Table {
  readonly sets: Readonly<Record<string, readonly TableImage[]>>;
  readonly cases: readonly Case[];
}

/** A JSON file of the table, as text (`name` is its path under test/conformance/). */
export interface TableFile {
  readonly name: string;
  readonly text: string;
}

const CASE_KEYS = new Set(["name", "filter", "params", "query", "issues", "paramsIssues", "images", "matches", "binding"]);

/** Reads the table from its files: `images.json` and any number of `cases/*.json`. */
export function readTable(files: readonly TableFile[]): Table {
  const imagesFile = files.find((file) => file.name === "images.json");
  if (!imagesFile) throw new Error("conformance table: no images.json");
  const sets = (expand(JSON.parse(imagesFile.text)) as { sets: Record<string, TableImage[]> }).sets;
  const cases: Case[] = [];
  const names = new Set<string>();
  for (const file of files.filter((each) => each.name !== "images.json")) {
    const parsed = expand(JSON.parse(file.text)) as { cases?: unknown };
    if (!Array.isArray(parsed.cases)) throw new Error(`conformance table: ${file.name} has no "cases" array`);
    for (const entry of parsed.cases as Record<string, unknown>[]) {
      const item = { ...entry, file: file.name } as Case;
      const problem = caseProblem(item, sets);
      if (problem) throw new Error(`conformance table: ${file.name}, case ${JSON.stringify(item.name)}: ${problem}`);
      if (names.has(item.name)) throw new Error(`conformance table: ${file.name}: two cases named ${JSON.stringify(item.name)}`);
      names.add(item.name);
      cases.push(item);
    }
  }
  return { sets, cases };
}

/** What is wrong with a case's shape, if anything. */
function caseProblem(item: Case, sets: Record<string, readonly TableImage[]>): string | undefined {
  const unknown = Object.keys(item).filter((key) => key !== "file" && !CASE_KEYS.has(key));
  if (unknown.length > 0) return `unknown keys ${unknown.join(", ")}`;
  if (typeof item.name !== "string" || item.name === "") return "a name is needed";
  if (item.filter === undefined && item.params === undefined) return "a filter or params is needed";
  if (item.filter !== undefined && (item.query === undefined) === (item.issues === undefined)) return "a filter needs exactly one of query and issues";
  if (item.params !== undefined && item.filter === undefined && item.paramsIssues === undefined) return "params without a filter must be refused (paramsIssues)";
  if (item.paramsIssues !== undefined && (item.filter !== undefined || item.images !== undefined)) return "refused params stand alone";
  if (item.images !== undefined && !(item.images in sets)) return `no image set ${JSON.stringify(item.images)}`;
  if (item.matches !== undefined) {
    if (item.images === undefined) return "matches need images";
    const ids = new Set(sets[item.images]!.map((image) => image.id));
    const strangers = item.matches.filter((id) => !ids.has(id));
    if (strangers.length > 0) return `matches name images not in the set: ${strangers.join(", ")}`;
  } else if (item.filter !== undefined && item.query !== undefined) {
    return "a filter the API can express parses: matches are needed";
  }
  if (item.filter !== undefined && item.binding === undefined) return "binding is needed (an object or { refused })";
  return undefined;
}

/** Expands `{ "text": [parts] }` (a part: a string, or `{ "repeat": s, "times": n }`) anywhere in a value. */
function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand);
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "text" && Array.isArray((value as { text: unknown }).text)) {
    return ((value as { text: unknown[] }).text).map(textPart).join("");
  }
  // Object.fromEntries defines own properties: a "__proto__" key stays an own key, as JSON.parse made it.
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, expand(child)]));
}

function textPart(part: unknown): string {
  if (typeof part === "string") return part;
  const { repeat, times } = part as { repeat?: unknown; times?: unknown };
  if (typeof repeat !== "string" || typeof times !== "number") throw new Error(`conformance table: a text part is a string or { repeat, times }, not ${JSON.stringify(part)}`);
  return repeat.repeat(times);
}
