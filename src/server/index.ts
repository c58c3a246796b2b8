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

export * from "./public.js";

/** Creates an emulator. With `dataDir`, the stored data is loaded in the background: see `Emulator.ready`. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulatorOn(
    { http: () => import("./node-http.js"), journal: () => import("./journal.js"), seedFile: () => import("./seed-file.js") },
    options,
  );
}
