/**
 * The emulator for Workers and browsers (`imgmeta/server` under the `workerd`, `worker` and `browser`
 * export conditions): the same web-standard `fetch`, without the Node half, so that a bundle for those
 * platforms contains no `node:` import. `listen()` and `dataDir` reject there.
 * @module
 */
import { createEmulatorOn, type Emulator, type EmulatorOptions } from "./emulator.js";

/** Errors as data, and the numeric codes the emulator answers with. */
export { ApiError, ErrorCode, type ErrorItem } from "./errors.js";
/** Why a data directory cannot be used (on Node; exported here too so that one import serves both builds). */
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

/** Creates an emulator, in memory (`dataDir` and `listen()` need Node). */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulatorOn(undefined, options);
}
