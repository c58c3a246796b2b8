/**
 * The `imgmeta` command line, as a function of its arguments and streams (so tests run it in-process).
 *
 *   imgmeta compile '<filter>'        the List images V2 query string
 *   imgmeta plan '<filter>'           what is sent to the API and what is applied locally, for any filter
 *   imgmeta check '<filter>'          issues with code frames; exit 1 on errors
 *   imgmeta explain '<query string>'  the filter a query string means, as text
 * The filter or query string is read from standard input when no argument is given.
 */
import { check, FilterError, format, formatIssue, fromSearchParams, parsePerPage, PER_PAGE_RANGE, plan, toQueryString, type QueryOptions } from "../index.js";
import { closestName, readFlags, UsageError, type FlagSpecs } from "./flags.js";

/** Where the CLI reads and writes. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of standard input (called only when no argument is given). */
  readonly stdin: () => Promise<string>;
}

/** Commands that live elsewhere (the emulator's `serve`), loaded only when asked for. */
export type ExtraCommand = (argv: string[]) => Promise<number | void>;

/** What the process gives the CLI besides its streams. */
export interface CliOptions {
  /** Commands that live elsewhere (`serve`), by name. */
  readonly commands?: Readonly<Record<string, ExtraCommand>>;
  /** The package's version, for `imgmeta --version`. */
  readonly version?: () => string;
}

export const USAGE = `Usage: imgmeta <command> [arguments]

Commands:
  compile [filter]     print the List images V2 query string of a filter
      --per-page N       add per_page (10..10000)
      --sort-order O     add sort_order (asc or desc)
  plan [filter]        print what is sent to the API and what is applied locally, for any filter
      --unique-keys      at most one condition per parameter key (the official SDK's meta object)
      --json             print the plan as JSON
  check [filter]       print every issue with a code frame; exit 1 if there are errors
      --json             print the result as JSON
  explain [query]      print the filter a query string (or URL) means
  serve                run the local Images API emulator (imgmeta serve --help)

  -v, --version        print the version
  -h, --help           print this help

Without [filter] or [query], the text is read from standard input.
Filter language: status = "active" and priority in (4, 5) and region.name = eu-west`;

/** A command of this module: its flags, and what it does with what they read. */
interface Command {
  readonly flags: FlagSpecs;
  readonly run: (values: Readonly<Record<string, unknown>>, text: () => Promise<string>, io: CliIO) => Promise<number> | number;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  compile: {
    flags: { "per-page": { type: "string" }, "sort-order": { type: "string" } },
    async run(values, text, io) {
      const options = listOptions(values);
      const filter = await text();
      try {
        io.stdout(toQueryString(filter, options));
        return 0;
      } catch (error) {
        if (!(error instanceof FilterError)) throw error;
        io.stderr([error.message, ...planHint(filter)].join("\n"));
        return 1;
      }
    },
  },
  plan: {
    flags: { "unique-keys": { type: "boolean" }, json: { type: "boolean" } },
    async run(values, text, io) {
      const { pushed, residual, exact } = plan(await text(), { uniqueKeys: values["unique-keys"] === true });
      // The pushed conditions in the readable form `compile` prints (the plan's params hold the same, encoded).
      const query = toQueryString(pushed);
      if (values["json"] === true) {
        io.stdout(JSON.stringify({ query, sent: pushed.type === "all" ? null : format(pushed), local: residual && format(residual), exact }, null, 2));
      } else {
        io.stdout(`sent to the API:  ${query || "nothing (the API lists every image)"}`);
        io.stdout(`applied locally:  ${residual ? format(residual) : "nothing (the API evaluates the whole filter)"}`);
      }
      return 0;
    },
  },
  check: {
    flags: { json: { type: "boolean" } },
    async run(values, text, io) {
      const filterText = await text();
      const result = check(filterText);
      if (values["json"] === true) {
        io.stdout(JSON.stringify({ ok: result.ok, filter: result.filter && format(result.filter), issues: result.issues }, null, 2));
      } else if (result.issues.length === 0) {
        io.stdout(`ok: ${result.filter ? format(result.filter) || "(matches every image)" : ""}`);
      } else {
        io.stdout(result.issues.map((issue) => formatIssue(filterText, issue)).join("\n\n"));
      }
      return result.ok ? 0 : 1;
    },
  },
  explain: {
    flags: {},
    async run(_values, text, io) {
      io.stdout(format(fromSearchParams((await text()).trim())) || "(matches every image)");
      return 0;
    },
  },
};

/** Flags every command takes. */
const HELP: FlagSpecs = { help: { type: "boolean", short: "h" } };

/** Runs the CLI; resolves to the exit code (0 ok, 1 invalid filter, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIO, options: CliOptions = {}): Promise<number> {
  const [command, ...rest] = argv;
  const extra = options.commands ?? {};
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-v") {
    io.stdout(options.version?.() ?? "unknown");
    return 0;
  }
  // Own properties only: `imgmeta toString` is an unknown command, not Object.prototype's.
  const run = Object.hasOwn(extra, command) ? extra[command] : undefined;
  if (run) return (await run(rest)) ?? 0;
  const known = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!known) {
    const names = [...Object.keys(COMMANDS), ...Object.keys(extra)];
    if (command.startsWith("-")) return usageError("imgmeta", unknownName("flag", command, ["--version", "--help", "-v", "-h"]), io);
    return usageError("imgmeta", unknownName("command", command, names), io);
  }
  try {
    const { values, positionals } = readFlags(rest, { ...known.flags, ...HELP }, true);
    if (values["help"] === true) {
      io.stdout(USAGE);
      return 0;
    }
    return await known.run(values, () => input(positionals, io), io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(`imgmeta ${command}`, error.message, io);
    if (error instanceof FilterError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  }
}

/** `unknown command "compil"; did you mean "compile"?`, or for a flag, unquoted as flags are typed: `unknown flag --verison; did you mean --version?`. */
function unknownName(what: "flag" | "command", name: string, known: readonly string[]): string {
  const quote = what === "command" ? JSON.stringify : (word: string) => word;
  const closest = closestName(name, known);
  return `unknown ${what} ${quote(name)}${closest === undefined ? "" : `; did you mean ${quote(closest)}?`}`;
}

/** One line on stderr, and exit code 2. */
function usageError(prefix: string, message: string, io: CliIO): number {
  io.stderr(`${prefix}: ${message} (imgmeta --help lists the commands and flags)`);
  return 2;
}

async function input(positionals: readonly string[], io: CliIO): Promise<string> {
  return positionals.length > 0 ? positionals.join(" ") : (await io.stdin()).replace(/\r?\n$/, "");
}

/** `--per-page` and `--sort-order`, checked. */
function listOptions(values: Readonly<Record<string, unknown>>): QueryOptions {
  const options: { -readonly [K in keyof QueryOptions]: QueryOptions[K] } = {};
  const perPage = values["per-page"];
  const sortOrder = values["sort-order"];
  if (typeof perPage === "string") {
    const value = parsePerPage(perPage);
    if (value === undefined) throw new UsageError(`--per-page must be a whole number from ${PER_PAGE_RANGE.min} to ${PER_PAGE_RANGE.max}, not ${JSON.stringify(perPage)}`);
    options.perPage = value;
  }
  if (typeof sortOrder === "string") {
    if (sortOrder !== "asc" && sortOrder !== "desc") throw new UsageError(`--sort-order must be asc or desc, not ${JSON.stringify(sortOrder)}`);
    options.sortOrder = sortOrder;
  }
  return options;
}

/**
 * For a filter `compile` refused but `plan` can split (`or`, negations, more conditions than the API
 * takes...): the lines that point at `imgmeta plan`. None for a filter that does not read.
 */
function planHint(filter: string): string[] {
  try {
    plan(filter);
  } catch {
    return [];
  }
  const command = `imgmeta plan ${shellQuote(filter)}`;
  return [
    "",
    "hint: the API cannot evaluate this filter whole; `imgmeta plan` shows the part it can, and what to apply locally" +
      (command.length <= 200 && !filter.includes("\n") ? `:\n  ${command}` : ""),
  ];
}

/** `text` as one argument of a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
