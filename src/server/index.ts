/**
 * A local emulator of the Cloudflare Images API, built on the filter library: `createEmulator()` gives
 * a web-standard `fetch(request) → Response` (Workers, Bun, Deno, Node) and, on Node, `listen()` and
 * persistence under `dataDir`. (Bundlers for Workers and browsers get `web.ts` instead, through the
 * package's export conditions.)
 *
 * ```ts
 * import { createEmulator } from "imgmeta/server";
 * const emulator = createEmulator({ seed: 300 });
 * const { url, close } = await emulator.listen({ port: 8787 });
 * // new Cloudflare({ baseURL: `${url}/client/v4`, apiToken: "anything" })
 * ```
 * @module
 */
import { createEmulatorOn, type Emulator, type EmulatorOptions } from "./emulator.js";

/** Errors as data, and the numeric codes the emulator answers with. */
export { ApiError, ErrorCode, type ErrorItem } from "./errors.js";
/** Why a data directory cannot be used (what `ready` and `listen()` reject with): names the file, and the line for the log. */
export { DataFileError } from "./data-file-error.js";
/** An image as the API shows it. */
export type { ApiImage } from "./images.js";
/** Deterministic demo images (what `--seed N` adds). */
export { demoImages } from "./seed.js";
/** The store's records and the journal interface a persistence layer implements. */
export { ImageStore, type Change, type Journal, type Position, type StoredImage } from "./store.js";
export type { Emulator, EmulatorOptions, ListenOptions, ListeningEmulator } from "./emulator.js";
/** A bad record of a seed or an import: names the entry (index and id) and the field. */
export { RecordError } from "./record-error.js";
/** A seed image, as List images V2 shows it. */
export type { SeedImage } from "./seed-entries.js";
/** Fault rules, as `faults`, `setFaults` and the admin routes take them; `parseFaultSpec` reads the text form. */
export { FAULT_ROUTES, parseFaultSpec, type Fault, type FaultRoute, type FaultSettings, type FaultState } from "./faults.js";
/** What `onRequest` and `recentRequests()` give, and the line `imgmeta serve` prints for it. */
export { formatRequestLine, type RequestRecord } from "./request-log.js";
/** What `reset` takes, and the prefix of the admin routes. */
export { ADMIN_PREFIX, type ResetOptions } from "./admin.js";
/** What an import reads, and the version of the export format this imgmeta writes. */
export { EXPORT_VERSION, type ImportSource } from "./transfer.js";

/** Creates an emulator. With `dataDir`, the stored data is loaded in the background: see `Emulator.ready`. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulatorOn(
    { http: () => import("./node-http.js"), journal: () => import("./journal.js"), seedFile: () => import("./seed-file.js") },
    options,
  );
}
