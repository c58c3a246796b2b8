/**
 * `imgmeta serve`: starts the emulator from command-line flags, prints how to point the official SDK at
 * it, then one line per request.
 */
import { readFile } from "node:fs/promises";
import { readFlags, UsageError, type FlagSpecs } from "../cli/flags.js";
import { ADMIN_PREFIX } from "./admin.js";
import { checkFaultSettings, parseFaultSpec, type Fault } from "./faults.js";
import { createEmulator, type Emulator, type EmulatorOptions, type ListeningEmulator } from "./index.js";
import { playgroundUrl } from "./playground-contract.js";
import { readPlayground } from "./playground.js";
import { formatRequestLine, type RequestRecord } from "./request-log.js";

/** Demo images in a fresh in-memory store when `--seed` is not given. */
export const DEFAULT_SEED = 300;
/** Where the emulator listens when `--port` and `--host` are not given. */
const DEFAULT_PORT = 8787;
const DEFAULT_HOST = "127.0.0.1";

/** `imgmeta serve --help`. */
export const SERVE_HELP = `Usage: imgmeta serve [flags]

Runs the local Cloudflare Images API emulator (List images V2 with metadata filters, uploads, direct
uploads, image details) and its playground page, and prints one line per request.

Flags:
  --port N            port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --host H            address to listen on (default ${DEFAULT_HOST})
  --data DIR          keep the store in DIR across restarts (default: in memory); image bytes are
                      then read from DIR when served, not held in memory
  --token T           accept only this token (Authorization: Bearer T, or X-Auth-Key: T when T is a
                      hex key), on the API and the admin routes; default: any well-formed credential
  --seed N            add N demo images to an empty store (default ${DEFAULT_SEED} in memory, 0 with --data)
  --seed-file FILE    add the images of FILE (JSON, as List V2 shows them) to an empty store
  --account ID        serve only this account id (others get 403); default: every account id
  --no-list-cap       let a walk by continuation tokens go past 10,000 images (by default it ends
                      there, as the List V2 documentation says: "List up to 10000 images")
  --fault SPEC        inject a fault, ROUTE:STATUS[:PROBABILITY][:OPTION=VALUE…], e.g. list:429:0.2,
                      all:503:retry-after=1:times=2, upload-url:415, list:delay:latency=300
                      (options: retry-after, latency, code, times); repeat for more
  --fault-file FILE   faults from a JSON file: [rules…] or { "seed": N, "faults": [rules…] }
  --fault-seed N      seed of the faults' random draws, so that a run can be repeated
  --log FORMAT        request lines as text (the default) or json (JSON Lines)
  --quiet             no request lines
  -h, --help          print this help

Admin routes (same token as the API when --token is given): POST ${ADMIN_PREFIX}/reset[?to=seed],
GET ${ADMIN_PREFIX}/export, POST ${ADMIN_PREFIX}/import, GET|DELETE ${ADMIN_PREFIX}/requests,
GET|PUT|DELETE ${ADMIN_PREFIX}/faults.`;

const SERVE_FLAGS: FlagSpecs = {
  port: { type: "string" },
  host: { type: "string" },
  data: { type: "string" },
  token: { type: "string" },
  seed: { type: "string" },
  "seed-file": { type: "string" },
  account: { type: "string" },
  "no-list-cap": { type: "boolean" },
  fault: { type: "string", multiple: true },
  "fault-file": { type: "string" },
  "fault-seed": { type: "string" },
  log: { type: "string" },
  quiet: { type: "boolean" },
};

/** Parsed `serve` flags. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string | undefined;
  readonly token: string | undefined;
  readonly seed: number;
  /** A JSON file of seed images (`--seed-file`). */
  readonly seedFile: string | undefined;
  readonly accountId: string | undefined;
  /** Whether a walk by continuation tokens ends after 10,000 images (`--no-list-cap` turns it off). */
  readonly listCap: boolean;
  /** The faults of `--fault`, in order. */
  readonly faults: readonly Fault[];
  /** A JSON file of more faults (`--fault-file`), read when the command starts. */
  readonly faultFile: string | undefined;
  readonly faultSeed: number | undefined;
  /** How requests are printed: `--log text` (the default), `--log json`, or not at all (`--quiet`). */
  readonly log: "text" | "json" | "none";
}

/** A flag `serve` cannot use (see `cli/flags.ts`): one line, exit code 2. */
export { UsageError };

function wholeNumber(flag: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`--${flag} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}`);
  return Number(text);
}

function nonEmpty(flag: string, text: string | undefined): string | undefined {
  if (text !== undefined && text.trim() === "") throw new UsageError(`--${flag} must not be empty`);
  return text;
}

/**
 * Reads the flags of `serve`.
 * @throws UsageError for an unknown flag, a missing value, a bad number or fault, or flags that exclude each other.
 */
export function parseServeArgs(argv: readonly string[]): ServeOptions {
  const { values } = readFlags(argv, SERVE_FLAGS, false);
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const token = nonEmpty("token", text("token"));
  if (token !== undefined && !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new UsageError("--token must be a token as sent in Authorization: Bearer <token> (no spaces)");
  }
  const dataDir = nonEmpty("data", text("data"));
  const seedFile = nonEmpty("seed-file", text("seed-file"));
  if (seedFile !== undefined && text("seed") !== undefined) throw new UsageError("--seed and --seed-file do not go together: give one");
  const log = text("log");
  if (log !== undefined && log !== "text" && log !== "json") throw new UsageError(`--log must be text or json, not ${JSON.stringify(log)}`);
  if (log !== undefined && values["quiet"] === true) throw new UsageError("--log and --quiet do not go together: give one");
  const faults = ((values["fault"] as string[] | undefined) ?? []).map((spec) => {
    try {
      return parseFaultSpec(spec);
    } catch (error) {
      throw new UsageError(`--fault: ${(error as Error).message}`);
    }
  });
  const faultSeed = text("fault-seed");
  return {
    port: wholeNumber("port", text("port"), DEFAULT_PORT, 65535),
    host: nonEmpty("host", text("host")) ?? DEFAULT_HOST,
    dataDir,
    token,
    // A persistent store starts empty unless asked: demo data would otherwise be mixed into real tests.
    seed: wholeNumber("seed", text("seed"), dataDir === undefined && seedFile === undefined ? DEFAULT_SEED : 0, 1_000_000),
    seedFile,
    accountId: nonEmpty("account", text("account")),
    listCap: values["no-list-cap"] !== true,
    faults,
    faultFile: nonEmpty("fault-file", text("fault-file")),
    faultSeed: faultSeed === undefined ? undefined : wholeNumber("fault-seed", faultSeed, 0, 2 ** 32 - 1),
    log: values["quiet"] === true ? "none" : log === "json" ? "json" : "text",
  };
}

/**
 * The faults of `--fault-file` (and its seed), after those of `--fault`.
 * @throws UsageError naming the file when it cannot be read, is not JSON, or holds a bad rule.
 */
export async function readFaultFile(path: string): Promise<{ readonly faults: readonly Fault[]; readonly seed?: number }> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--fault-file ${path}: ${code ? `cannot be read (${code})` : `is not JSON (${(error as Error).message})`}`);
  }
  try {
    const settings = checkFaultSettings(value);
    return settings;
  } catch (error) {
    throw new UsageError(`--fault-file ${path}: ${(error as Error).message}`);
  }
}

/** The emulator's options for the flags (what the command adds itself: the playground, the printers). */
export function emulatorOptions(options: ServeOptions, fromFile: { readonly faults: readonly Fault[]; readonly seed?: number } = { faults: [] }): EmulatorOptions {
  return {
    token: options.token,
    accountId: options.accountId,
    seed: options.seed,
    seedFile: options.seedFile,
    dataDir: options.dataDir,
    listCap: options.listCap,
    faults: [...options.faults, ...fromFile.faults],
    // --fault-seed wins over a seed in the file.
    faultSeed: options.faultSeed ?? fromFile.seed,
    ...(options.log !== "none" ? { onRequest: requestPrinter(options.log, (line) => process.stdout.write(line)) } : {}),
  };
}

/** Writes each request as a line of text or of JSON. */
export function requestPrinter(format: "text" | "json", write: (line: string) => void): (record: RequestRecord) => void {
  return (record) => write(`${format === "json" ? JSON.stringify(record) : formatRequestLine(record)}\n`);
}

/** The text printed once the emulator listens (`playground`: whether the page was found to serve). */
export function banner(url: string, options: ServeOptions, playground = true, faults?: { readonly seed: number; readonly count: number }): string {
  const account = options.accountId ?? "my-account";
  const seeded = options.seedFile !== undefined ? ` (seeded from ${options.seedFile} when empty)` : options.seed > 0 ? ` (seeded with ${options.seed} demo images when empty)` : "";
  return [
    `imgmeta emulator listening on ${url}`,
    // With --token, the playground's address carries it in the fragment, which the browser never sends.
    playground ? `  playground: ${playgroundUrl(url, options.token)}` : "  playground: not built (npm run build makes dist/playground.html)",
    `  store: ${options.dataDir === undefined ? "in memory" : `persisted in ${options.dataDir}`}${seeded}`,
    `  auth: ${options.token === undefined ? "any well-formed token or key" : "only the --token given"}` +
      `; account: ${options.accountId === undefined ? "any id" : options.accountId}`,
    `  admin: ${url}${ADMIN_PREFIX}/ (reset, export, import, requests, faults)`,
    ...(faults && faults.count > 0 ? [`  faults: ${faults.count} in force (seed ${faults.seed}; GET ${url}${ADMIN_PREFIX}/faults lists them)`] : []),
    "",
    "Point the official SDK at it:",
    `  const client = new Cloudflare({ baseURL: "${url}/client/v4", apiToken: "${options.token ?? "anything"}" });`,
    `  await client.images.v2.list({ account_id: "${account}", ...toListParams('status = "active"') }); // import { toListParams } from "imgmeta/integrations"`,
    "or with curl:",
    `  curl -g -H "Authorization: Bearer ${options.token ?? "anything"}" "${url}/client/v4/accounts/${account}/images/v2?meta.status[eq]=active"`,
  ].join("\n");
}

/**
 * Why the emulator could not start, in one line; for a port in use (or one that needs privileges), with
 * the flag to give, as the user gives flags: `invocation` is `imgmeta serve` or `npm start --`.
 */
export function startFailure(error: unknown, options: ServeOptions, invocation: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const another = options.port === 65535 ? 8787 : options.port + 1;
  if (code === "EADDRINUSE") {
    return `port ${options.port} on ${options.host} is in use (another emulator?); choose another: ${invocation} --port ${another} (or --port 0 for any free port)`;
  }
  if (code === "EACCES") {
    return `port ${options.port} on ${options.host} needs privileges this process lacks; choose another: ${invocation} --port ${DEFAULT_PORT} (or --port 0 for any free port)`;
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return `${options.host} is not an address of this machine; choose another: ${invocation} --host ${DEFAULT_HOST}`;
  }
  return (error as Error).message;
}

/**
 * Runs `imgmeta serve` with the flags of {@link SERVE_HELP}. Resolves to `undefined` once the server
 * listens (it keeps running until SIGINT/SIGTERM); to 0 after printing {@link SERVE_HELP} for `--help` or
 * `-h`. Bad flags (a bad fault file too) print one line and resolve to exit code 2; a start-up failure (a
 * port in use, corrupted data, a data directory another emulator uses, a bad seed file) prints one line
 * and resolves to 1. `invocation` is how the user runs it (`npm start --` for `npm start`), for the flags
 * its messages suggest.
 */
export async function serveCommand(argv: string[], invocation = "imgmeta serve"): Promise<number | undefined> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  let options: ServeOptions;
  let fromFile: Awaited<ReturnType<typeof readFaultFile>> | undefined;
  try {
    options = parseServeArgs(argv);
    if (options.faultFile !== undefined) fromFile = await readFaultFile(options.faultFile);
  } catch (error) {
    process.stderr.write(`imgmeta serve: ${(error as Error).message} (${invocation} --help lists the flags)\n`);
    return 2;
  }
  let emulator: Emulator | undefined;
  let server: ListeningEmulator;
  const playground = await readPlayground();
  try {
    emulator = createEmulator({
      ...emulatorOptions(options, fromFile),
      playground,
      onWarning: (message) => process.stderr.write(`imgmeta serve: warning: ${message}\n`),
    });
    server = await emulator.listen({ port: options.port, host: options.host });
  } catch (error) {
    process.stderr.write(`imgmeta serve: cannot start: ${startFailure(error, options, invocation)}\n`);
    await emulator?.close().catch(() => undefined);
    return 1;
  }
  const faults = emulator.faults();
  process.stdout.write(`${banner(server.url, options, playground !== undefined, { seed: faults.seed, count: faults.faults.length })}\n`);
  const stop = (): void => {
    void emulator
      ?.close()
      .catch(() => undefined)
      .then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return undefined;
}
