/**
 * What both builds of `imgmeta/server` export besides `createEmulator` (`index.ts` on Node, `web.ts` for
 * Workers and browsers): one list, so that the two cannot drift apart.
 * @module
 */

/** Errors as data, and the numeric codes the emulator answers with. */
export { ApiError, ErrorCode, type ErrorItem } from "./errors.js";
/** Why a data directory cannot be used (what `ready` and `listen()` reject with, on Node): names the file, and the line for the log. */
export { DataFileError } from "./data-file-error.js";
/** An image as the API shows it. */
export type { ApiImage } from "./images.js";
/** Deterministic demo images (what `--seed N` adds). */
export { demoImages } from "./seed.js";
/** The store's records, where a data directory keeps their bytes, and the journal interface a persistence layer implements. */
export { ImageStore, type Change, type Journal, type Position, type StoredBlob, type StoredImage } from "./store.js";
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
