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

/** Creates an emulator. With `dataDir`, the stored data is loaded in the background: see `Emulator.ready`. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulatorOn({ http: () => import("./node-http.js"), journal: () => import("./journal.js") }, options);
}
