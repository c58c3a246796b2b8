/**
 * `imgmeta serve`: starts the emulator from command-line flags and prints how to point the official
 * SDK at it.
 */
import { parseArgs } from "node:util";
import { createEmulator, type Emulator, type ListeningEmulator } from "./index.js";
import { readPlayground } from "./playground.js";

/** Demo images in a fresh in-memory store when `--seed` is not given. */
export const DEFAULT_SEED = 300;
/** Where the emulator listens when `--port` and `--host` are not given. */
const DEFAULT_PORT = 8787;
const DEFAULT_HOST = "127.0.0.1";

const USAGE = "usage: imgmeta serve [--port N] [--host H] [--data DIR] [--token T] [--seed N] [--account ID]";

/** `imgmeta serve --help`. */
export const SERVE_HELP = `Usage: imgmeta serve [flags]

Runs the local Cloudflare Images API emulator (List images V2 with metadata filters, uploads, direct
uploads, image details) and its playground page.

Flags:
  --port N       port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --host H       address to listen on (default ${DEFAULT_HOST})
  --data DIR     keep the store in DIR across restarts (default: in memory)
  --token T      accept only this token (Authorization: Bearer T, or X-Auth-Key: T when T is a
                 hex key); default: any well-formed credential
  --seed N       add N demo images to an empty store (default ${DEFAULT_SEED} in memory, 0 with --data)
  --account ID   serve only this account id (others get 403); default: every account id
  --no-list-cap  let a walk by continuation tokens go past 10,000 images (by default it ends
                 there, as the List V2 documentation says: "List up to 10000 images")
  -h, --help     print this help`;

/** Parsed `serve` flags. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string | undefined;
  readonly token: string | undefined;
  readonly seed: number;
  readonly accountId: string | undefined;
  /** Whether a walk by continuation tokens ends after 10,000 images (`--no-list-cap` turns it off). */
  readonly listCap: boolean;
}

/** A flag the command cannot use: reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

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
 * @throws UsageError for an unknown flag, a missing value or a bad number.
 */
export function parseServeArgs(argv: readonly string[]): ServeOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string" },
        host: { type: "string" },
        data: { type: "string" },
        token: { type: "string" },
        seed: { type: "string" },
        account: { type: "string" },
        "no-list-cap": { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const token = nonEmpty("token", text("token"));
  if (token !== undefined && !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new UsageError("--token must be a token as sent in Authorization: Bearer <token> (no spaces)");
  }
  const dataDir = nonEmpty("data", text("data"));
  return {
    port: wholeNumber("port", text("port"), DEFAULT_PORT, 65535),
    host: nonEmpty("host", text("host")) ?? DEFAULT_HOST,
    dataDir,
    token,
    // A persistent store starts empty unless asked: demo data would otherwise be mixed into real tests.
    seed: wholeNumber("seed", text("seed"), dataDir === undefined ? DEFAULT_SEED : 0, 1_000_000),
    accountId: nonEmpty("account", text("account")),
    listCap: values["no-list-cap"] !== true,
  };
}

/** The text printed once the emulator listens (`playground`: whether the page was found to serve). */
export function banner(url: string, options: ServeOptions, playground = true): string {
  const account = options.accountId ?? "my-account";
  return [
    `imgmeta emulator listening on ${url}`,
    playground ? `  playground: ${url}/` : "  playground: not built (npm run build makes dist/playground.html)",
    `  store: ${options.dataDir === undefined ? "in memory" : `persisted in ${options.dataDir}`}` +
      (options.seed > 0 ? ` (seeded with ${options.seed} demo images when empty)` : ""),
    `  auth: ${options.token === undefined ? "any well-formed token or key" : "only the --token given"}` +
      `; account: ${options.accountId === undefined ? "any id" : options.accountId}`,
    "",
    "Point the official SDK at it:",
    `  const client = new Cloudflare({ baseURL: "${url}/client/v4", apiToken: "${options.token ?? "anything"}" });`,
    `  await client.images.v2.list({ account_id: "${account}", ...toListParams('status = "active"') }); // import { toListParams } from "imgmeta/integrations"`,
    "or with curl:",
    `  curl -g -H "Authorization: Bearer ${options.token ?? "anything"}" "${url}/client/v4/accounts/${account}/images/v2?meta.status[eq]=active"`,
  ].join("\n");
}

/**
 * Runs `imgmeta serve [--port N] [--host H] [--data DIR] [--token T] [--seed N] [--account ID]`.
 * Resolves to `undefined` once the server listens (it keeps running until SIGINT/SIGTERM); to 0 after
 * printing {@link SERVE_HELP} for `--help` or `-h`. Bad flags
 * print one line and resolve to exit code 2; a start-up failure (a port in use, corrupted data, a data
 * directory another emulator uses) prints one line and resolves to 1.
 */
export async function serveCommand(argv: string[]): Promise<number | undefined> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  let options: ServeOptions;
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    process.stderr.write(`imgmeta serve: ${(error as Error).message} (${USAGE})\n`);
    return 2;
  }
  let emulator: Emulator | undefined;
  let server: ListeningEmulator;
  const playground = await readPlayground();
  try {
    emulator = createEmulator({
      token: options.token,
      accountId: options.accountId,
      seed: options.seed,
      dataDir: options.dataDir,
      listCap: options.listCap,
      playground,
      onWarning: (message) => process.stderr.write(`imgmeta serve: warning: ${message}\n`),
    });
    server = await emulator.listen({ port: options.port, host: options.host });
  } catch (error) {
    process.stderr.write(`imgmeta serve: cannot start: ${(error as Error).message}\n`);
    await emulator?.close().catch(() => undefined);
    return 1;
  }
  process.stdout.write(`${banner(server.url, options, playground !== undefined)}\n`);
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
