/**
 * The `imgmeta` command line, as a function of its arguments and streams (so tests run it in-process).
 *
 *   imgmeta compile '<filter>'        the List images V2 query string
 *   imgmeta check '<filter>'          issues with code frames; exit 1 on errors
 *   imgmeta explain '<query string>'  the filter a query string means, as text
 * The filter or query string is read from standard input when no argument is given.
 */
import { parseArgs } from "node:util";
import { check, FilterError, format, formatIssue, fromSearchParams, parsePerPage, PER_PAGE_RANGE, toQueryString, type QueryOptions } from "../index.js";

/** Where the CLI reads and writes. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of standard input (called only when no argument is given). */
  readonly stdin: () => Promise<string>;
}

/** Commands that live elsewhere (the emulator's `serve`), loaded only when asked for. */
export type ExtraCommand = (argv: string[]) => Promise<number | void>;

export const USAGE = `Usage: imgmeta <command> [arguments]

Commands:
  compile [filter]     print the List images V2 query string of a filter
      --per-page N       add per_page (10..10000)
      --sort-order O     add sort_order (asc or desc)
  check [filter]       print every issue with a code frame; exit 1 if there are errors
      --json             print the result as JSON
  explain [query]      print the filter a query string (or URL) means
  serve                run the local Images API emulator (imgmeta serve --help)

Without [filter] or [query], the text is read from standard input.
Filter language: status = "active" and priority in (4, 5) and region.name = eu-west`;

/** Runs the CLI; resolves to the exit code (0 ok, 1 invalid filter, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIO, extra: Readonly<Record<string, ExtraCommand>> = {}): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = extra[command];
  if (run) return (await run(rest)) ?? 0;
  try {
    switch (command) {
      case "compile":
        return await compile(rest, io);
      case "check":
        return await checkCommand(rest, io);
      case "explain":
        return await explain(rest, io);
      default:
        io.stderr(`imgmeta: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof FilterError) {
      io.stderr(error.message);
      return 1;
    }
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      return usageError(command, error.message, io);
    }
    throw error;
  }
}

async function input(positionals: readonly string[], io: CliIO): Promise<string> {
  return positionals.length > 0 ? positionals.join(" ") : (await io.stdin()).replace(/\r?\n$/, "");
}

async function compile(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { "per-page": { type: "string" }, "sort-order": { type: "string" } },
  });
  const options: { -readonly [K in keyof QueryOptions]: QueryOptions[K] } = {};
  const perPage = values["per-page"];
  const sortOrder = values["sort-order"];
  if (perPage !== undefined) {
    const value = parsePerPage(perPage);
    if (value === undefined) {
      return usageError("compile", `--per-page must be a whole number from ${PER_PAGE_RANGE.min} to ${PER_PAGE_RANGE.max}, not ${JSON.stringify(perPage)}`, io);
    }
    options.perPage = value;
  }
  if (sortOrder !== undefined) {
    if (sortOrder !== "asc" && sortOrder !== "desc") return usageError("compile", `--sort-order must be asc or desc, not ${JSON.stringify(sortOrder)}`, io);
    options.sortOrder = sortOrder;
  }
  io.stdout(toQueryString(await input(positionals, io), options));
  return 0;
}

function usageError(command: string, message: string, io: CliIO): number {
  io.stderr(`imgmeta ${command}: ${message}`);
  return 2;
}

async function checkCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { json: { type: "boolean" } },
  });
  const text = await input(positionals, io);
  const result = check(text);
  if (values.json) {
    io.stdout(JSON.stringify({ ok: result.ok, filter: result.filter && format(result.filter), issues: result.issues }, null, 2));
  } else if (result.issues.length === 0) {
    io.stdout(`ok: ${result.filter ? format(result.filter) || "(matches every image)" : ""}`);
  } else {
    io.stdout(result.issues.map((issue) => formatIssue(text, issue)).join("\n\n"));
  }
  return result.ok ? 0 : 1;
}

async function explain(argv: readonly string[], io: CliIO): Promise<number> {
  const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {} });
  const filter = fromSearchParams((await input(positionals, io)).trim());
  io.stdout(format(filter) || "(matches every image)");
  return 0;
}
