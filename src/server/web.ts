/**
 * The emulator for Workers and browsers (`imgmeta/server` under the `workerd`, `worker` and `browser`
 * export conditions): the same web-standard `fetch`, without the Node half, so that a bundle for those
 * platforms contains no `node:` import. `listen()` and `dataDir` reject there.
 * @module
 */
import { createEmulatorOn, type Emulator, type EmulatorOptions } from "./emulator.js";

export * from "./public.js";

/** Creates an emulator, in memory (`dataDir` and `listen()` need Node). */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulatorOn(undefined, options);
}
