/**
 * Filter → SQL: a parameterised WHERE-clause fragment over image records mirrored in a database, with a
 * JSON metadata column (TEXT read with the JSON functions in SQLite / Cloudflare D1, `jsonb` in Postgres)
 * and a text creator column. The fragment means exactly what the predicate means:
 * - paths walk objects only: SQLite's `$."key"` steps (or json_each, see `sqliteCondition`) and
 *   Postgres's `->` with a text key find nothing in an array or a scalar, and `__proto__` or
 *   `constructor` are plain keys in SQL;
 * - numbers compare as JavaScript compares them: as doubles in SQLite, as exact decimals in Postgres
 *   (the same order for the shortest decimals `JSON.stringify` writes);
 * - `=` and `in` are typed: the JSON type is tested (`json_type`, or Postgres containment `@>`, which
 *   compares strings byte for byte and numbers as numbers); JSON `null` and missing values equal nothing;
 * - ranges match JSON numbers only;
 * - every condition is strictly TRUE or FALSE (never NULL), so `NOT`, `!=` and `not in` are the logical
 *   negations they are in the predicate, and a missing field matches `!=`;
 * - `creator = ""` matches a NULL or empty creator.
 *
 * No value and no key is ever written into the SQL text: they travel as parameters (`?1`, `$1`, ...,
 * numbered so that a repeated path or value is sent once). Column names are checked and quoted.
 */
import { isNegated, isRange, type CompareNode, type Filter, type FilterNode, type InNode, type Scalar } from "../syntax/ast.js";
import { FilterError, issueAt, type Issue } from "../syntax/issues.js";
import type { LimitOptions } from "../semantics/limits.js";
import { hasLoneSurrogate } from "../syntax/unicode.js";

/** The SQL dialects `toSql` writes: SQLite (and Cloudflare D1) or Postgres. */
export type SqlDialect = "sqlite" | "postgres";

/** Options for `toSql`. */
export interface SqlOptions extends LimitOptions {
  /** `"sqlite"` (also Cloudflare D1: `?1` placeholders) or `"postgres"` (`$1` placeholders). */
  readonly dialect: SqlDialect;
  /** The JSON metadata column: `meta` unless given. A plain or dotted name (`images.meta`). */
  readonly column?: string;
  /** The creator column (text, NULL when none): `creator` unless given. A plain or dotted name. */
  readonly creatorColumn?: string;
}

/** A parameter value: SQLite gets strings and numbers, Postgres only strings (cast in the SQL). */
export type SqlParam = string | number;

/** A WHERE-clause fragment and the values of its numbered placeholders (`params[0]` is `?1` / `$1`). */
export interface SqlFragment {
  /** The condition, to follow `WHERE` (or to combine with other conditions with `AND`). */
  readonly sql: string;
  /** The parameter values, in placeholder order. */
  readonly params: SqlParam[];
}

/** {@link SqlOptions} checked: the dialect, and the columns quoted. */
export interface SqlTarget {
  readonly dialect: SqlDialect;
  readonly metaColumn: string;
  readonly creatorColumn: string;
}

/**
 * The options checked, before any filter is read.
 * @throws FilterError (without text: the options are not part of it) for an invalid dialect
 *   (`invalid-sql-dialect`) or column name (`invalid-column-name`).
 */
export function sqlTarget(options: SqlOptions): SqlTarget {
  const issues: Issue[] = [];
  const dialect = checkDialect(options.dialect, issues);
  const metaColumn = quoteColumn(options.column ?? "meta", "column", issues);
  const creatorColumn = quoteColumn(options.creatorColumn ?? "creator", "creatorColumn", issues);
  if (issues.length > 0) throw new FilterError(issues);
  return { dialect, metaColumn, creatorColumn };
}

/** A filter as a parameterised SQL condition, with the same meaning as the predicate (see the module). */
export function sqlOf(filter: Filter, { dialect, metaColumn, creatorColumn }: SqlTarget): SqlFragment {
  const params = new Params(dialect === "sqlite" ? "?" : "$");
  const sql =
    dialect === "sqlite"
      ? sqliteCondition(filter, metaColumn, creatorColumn, params)
      : writeNode(filter, postgresWriter(metaColumn, creatorColumn, params));
  return { sql, params: params.values };
}

function checkDialect(dialect: unknown, issues: Issue[]): SqlDialect {
  if (dialect === "sqlite" || dialect === "postgres") return dialect;
  issues.push(issueAt("invalid-sql-dialect", `dialect must be "sqlite" or "postgres", not ${JSON.stringify(dialect) ?? String(dialect)}`, undefined));
  return "sqlite";
}

/** A column name of one to three plain parts (`meta`, `images.meta`, `app.images.meta`). */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/;

/** Each part double-quoted (both dialects' identifier quotes); anything else is refused, never escaped. */
function quoteColumn(name: unknown, option: string, issues: Issue[]): string {
  if (typeof name === "string" && COLUMN_NAME.test(name)) return name.split(".").map((part) => `"${part}"`).join(".");
  issues.push(
    issueAt(
      "invalid-column-name",
      `${option} must be a column name of letters, digits and underscores (optionally table.column), not ${JSON.stringify(name) ?? String(name)}`,
      undefined,
    ),
  );
  return '"invalid"';
}

/** Numbered placeholders; an equal value of the same kind reuses its number. */
class Params {
  readonly values: SqlParam[] = [];
  private readonly numbers = new Map<string, number>();

  constructor(private readonly sigil: "?" | "$") {}

  /** The placeholder for `value`; `kind` keeps apart values that the SQL reads as different types. */
  add(kind: string, value: SqlParam): string {
    const key = `${kind}:${typeof value}:${String(value)}`;
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.values.push(value);
      this.numbers.set(key, number);
    }
    return `${this.sigil}${number}`;
  }
}

type RangeOp = "lt" | "lte" | "gt" | "gte";

const RANGE_SQL: Record<RangeOp, string> = { lt: "<", lte: "<=", gt: ">", gte: ">=" };

/** What differs between dialects: the positive test of each kind of condition, strictly TRUE/FALSE. */
interface Writer {
  readonly true: string;
  readonly false: string;
  /** The value at `path` equals one of `values` (typed equality; NaN already removed). */
  metaEquals(path: readonly string[], values: readonly Scalar[]): string;
  /** The value at `path` is a number and `<op> bound` (`bound` is not NaN). */
  metaRange(path: readonly string[], op: RangeOp, bound: number): string;
  /** The creator is one of `names`, or (with `orNone`) NULL or empty. */
  creatorEquals(names: readonly string[], orNone: boolean): string;
}

function writeNode(node: FilterNode, writer: Writer): string {
  switch (node.type) {
    case "all":
      return writer.true;
    case "not":
      return `(NOT ${writeNode(node.operand, writer)})`;
    case "and":
    case "or":
      return `(${node.operands.map((operand) => writeNode(operand, writer)).join(node.type === "and" ? " AND " : " OR ")})`;
    case "compare":
    case "in": {
      const positive = positiveTest(node, writer);
      return isNegated(node) ? `(NOT ${positive})` : positive;
    }
  }
}

/** The positive test of a condition (`!=` tests `=`, `not in` tests `in`), as the predicate's `valueTest`. */
function positiveTest(node: CompareNode | InNode, writer: Writer): string {
  if (isRange(node)) {
    // Ranges take numbers only: on the creator, or with a bound that is not a number, they match nothing.
    const bound = node.value.value;
    if (node.field.type === "creator" || typeof bound !== "number" || Number.isNaN(bound)) return writer.false;
    return writer.metaRange(node.field.path, node.op, bound);
  }
  const values = (node.type === "in" ? node.values.map((literal) => literal.value) : [node.value.value]).filter(
    (value) => !Number.isNaN(value),
  );
  if (node.field.type === "creator") {
    const names = values.filter((value): value is string => typeof value === "string");
    return writer.creatorEquals(
      names.filter((name) => name !== ""),
      names.includes(""),
    );
  }
  return values.length === 0 ? writer.false : writer.metaEquals(node.field.path, values);
}

/** Text that UTF-8 (and so a driver, a TEXT column or `jsonb`) cannot carry unchanged. */
function isFragileText(text: string): boolean {
  return text.includes("\u0000") || hasLoneSurrogate(text);
}

/** Writes `= x` or `IN (x, y)` (a value listed twice has one placeholder, written once). */
function oneOf(placeholders: readonly string[]): string {
  const unique = [...new Set(placeholders)];
  return unique.length === 1 ? `= ${unique[0]!}` : `IN (${unique.join(", ")})`;
}

// ---------------------------------------------------------------------------------------------------
// SQLite (and D1): JSON1 functions over TEXT holding JSON, with the path as one parameter.

/** Where SQLite finds the value at a path: its JSON type, its SQL value, and the scope a test runs in. */
interface SqliteLocation {
  /** `json_type` of the value: 'text', 'integer', 'real', 'true', 'false', ...; NULL when missing. */
  readonly type: string;
  /** The SQL value: text for a JSON string, a number for a JSON number. */
  readonly value: string;
  /** Puts a test on `type`/`value` in the scope where they are defined. */
  readonly within: (test: string) => string;
}

/**
 * SQLite's JSON path lookup compares keys only up to a NUL written `\u0000` (`$."a"` finds a key
 * "a\u0000x" that comes first). So rows whose JSON holds that escape anywhere are tested with json_each
 * and whole-key comparison; every other row takes the fast path lookups. One `instr` per row decides.
 */
function sqliteCondition(filter: FilterNode, meta: string, creator: string, params: Params): string {
  const fast = writeNode(filter, sqliteWriter(meta, creator, params, "path"));
  const exact = writeNode(filter, sqliteWriter(meta, creator, params, "each"));
  return fast === exact ? fast : `(CASE WHEN instr(${meta}, '\\u0000') THEN ${exact} ELSE ${fast} END)`;
}

function sqliteWriter(meta: string, creator: string, params: Params, lookup: "path" | "each"): Writer {
  /** A string parameter; fragile text travels JSON-escaped (ASCII) and is decoded by SQLite itself. */
  const text = (value: string): string =>
    isFragileText(value) ? `json_extract(${params.add("json", JSON.stringify(value))}, '$')` : params.add("text", value);
  const number = (value: number): string => params.add("number", value);

  const locate = (segments: readonly string[]): SqliteLocation => {
    // (An empty path, `$`, compares no key: the lookup is exact either way.)
    if ((lookup === "path" || segments.length === 0) && !segments.some((key) => key.includes("\u0000"))) {
      const at = params.add("path", sqlitePath(segments));
      return { type: `json_type(${meta}, ${at})`, value: `json_extract(${meta}, ${at})`, within: (test) => test };
    }
    // json_each walks objects only and gives whole keys (a path key holding NUL always takes this way).
    const steps: string[] = [];
    const keys: string[] = [];
    let value = meta;
    let type = `json_type(${meta})`;
    segments.forEach((key, index) => {
      const step = `imgmeta_step${index + 1}`;
      steps.push(`json_each(CASE ${type} WHEN 'object' THEN ${value} ELSE '{}' END) AS ${step}`);
      keys.push(`${step}.key = ${text(key)}`);
      value = `${step}.value`;
      type = `${step}.type`;
    });
    return { type, value, within: (test) => `EXISTS (SELECT 1 FROM ${steps.join(", ")} WHERE ${[...keys, test].join(" AND ")})` };
  };

  return {
    true: "1",
    false: "0",
    metaEquals(segments, values) {
      const { type, value, within } = locate(segments);
      const strings = values.filter((v): v is string => typeof v === "string").map(text);
      const numbers = values.filter((v): v is number => typeof v === "number").map(number);
      const branches: string[] = [];
      if (strings.length > 0) branches.push(`WHEN 'text' THEN ${value} ${oneOf(strings)}`);
      if (numbers.length > 0) {
        const test = `${asDouble(value)} ${oneOf(numbers)}`;
        branches.push(`WHEN 'integer' THEN ${test} WHEN 'real' THEN ${test}`);
      }
      // json_extract reads true as 1: booleans are told by json_type alone.
      if (values.includes(true)) branches.push("WHEN 'true' THEN 1");
      if (values.includes(false)) branches.push("WHEN 'false' THEN 1");
      return within(`(CASE ${type} ${branches.join(" ")} ELSE 0 END)`);
    },
    metaRange(segments, op, bound) {
      const { type, value, within } = locate(segments);
      return within(`(CASE WHEN ${type} IN ('integer', 'real') THEN ${asDouble(value)} ${RANGE_SQL[op]} ${number(bound)} ELSE 0 END)`);
    },
    creatorEquals(names, orNone) {
      const listed = [...(orNone ? ["''"] : []), ...names.map(text)];
      if (listed.length === 0) return "0";
      // COLLATE BINARY: a NOCASE column must not make "u" match "U". NULL (no creator) falls to COALESCE.
      return `COALESCE(${creator} COLLATE BINARY ${oneOf(listed)}, ${orNone ? 1 : 0})`;
    },
  };
}

/**
 * A JSON number as JavaScript reads it: a double. SQLite reads `24967768488439510` as that exact integer,
 * while JavaScript (and so the predicate) rounds it to the nearest double; CAST rounds the same way.
 */
function asDouble(value: string): string {
  return `CAST(${value} AS REAL)`;
}

/** What a quoted path key must escape: `"`, `\`, control characters and lone surrogates. */
const PATH_ESCAPES = /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A SQLite JSON path of quoted object keys: `$."region"."name"`. A quoted step only matches an object
 * key (never an array index), and inside the quotes `.`, `[`, `$` are plain. SQLite decodes JSON escapes
 * in a quoted key, so the characters that would end or break it are written as escapes. (NUL is escaped
 * too, but paths holding it take the json_each walk: see `sqliteCondition`.)
 */
function sqlitePath(segments: readonly string[]): string {
  return "$" + segments.map((key) => `."${key.replace(PATH_ESCAPES, escapePathChar)}"`).join("");
}

function escapePathChar(char: string): string {
  return char === "\\" ? "\\\\" : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

// ---------------------------------------------------------------------------------------------------
// Postgres: `jsonb`, walked with `->` and text keys; equality as containment (a GIN index can serve it).

function postgresWriter(meta: string, creator: string, params: Params): Writer {
  /** `meta -> $1::text -> $2::text`: NULL as soon as a step is not an object with that key. */
  const valueAt = (segments: readonly string[]): string =>
    [meta, ...segments.map((key) => `${params.add("key", key)}::text`)].join(" -> ");
  // jsonb holds no NUL and no lone surrogate (and no infinity): such a key or value is never stored.
  const storable = (value: Scalar): boolean => (typeof value === "string" ? !isFragileText(value) : Number.isFinite(value) || typeof value === "boolean");

  return {
    true: "TRUE",
    false: "FALSE",
    metaEquals(segments, values) {
      if (!segments.every(storable)) return "FALSE";
      // A hand-built AST may have an empty path, meaning `meta` itself: compared with `=`, since
      // containment would also find a scalar inside a top-level array.
      const operator = segments.length === 0 ? "=" : "@>";
      const patterns = [
        ...new Set(values.filter(storable).map((value) => `${meta} ${operator} ${params.add("jsonb", containmentPattern(segments, value))}::jsonb`)),
      ];
      if (patterns.length === 0) return "FALSE";
      // `IS NOT NULL` turns the NULL of a NULL column into FALSE while leaving `@>` visible to an index.
      const any = patterns.length === 1 ? patterns[0]! : `(${patterns.join(" OR ")})`;
      return `(${any} AND ${meta} IS NOT NULL)`;
    },
    metaRange(segments, op, bound) {
      // Stored numbers are finite: an infinite bound is all numbers or none.
      const allNumbers = !Number.isFinite(bound) && (bound === Infinity) === (op === "lt" || op === "lte");
      if (!segments.every(storable) || (!Number.isFinite(bound) && !allNumbers)) return "FALSE";
      const value = valueAt(segments);
      // The number at the path, else NULL. CASE, not AND: Postgres may evaluate AND's operands in any
      // order, and casting a string fails. Written as an expression index on it is (docs/sql.md).
      const number = `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END)`;
      if (allNumbers) return `(${number} IS NOT NULL)`;
      // `AND ... IS NOT NULL` turns NULL (no number) into FALSE and leaves the comparison indexable.
      return `(${number} ${RANGE_SQL[op]} ${params.add("numeric", String(bound))}::numeric AND ${number} IS NOT NULL)`;
    },
    creatorEquals(names, orNone) {
      const listed = [...(orNone ? ["''"] : []), ...names.filter(storable).map((name) => `${params.add("text", name)}::text`)];
      if (listed.length === 0) return "FALSE";
      // COLLATE "C": byte equality even for a column with a case-insensitive collation.
      return `COALESCE((${creator} COLLATE "C") ${oneOf(listed)}, ${orNone ? "TRUE" : "FALSE"})`;
    },
  };
}

/** `{"region":{"name":"eu-west"}}`: the object that `meta @> pattern` finds when the path holds `value`. */
function containmentPattern(segments: readonly string[], value: Scalar): string {
  return segments.reduceRight((inner, key) => `{${JSON.stringify(key)}:${inner}}`, JSON.stringify(value));
}
