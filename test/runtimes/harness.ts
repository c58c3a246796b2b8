/**
 * What each runtime of the matrix runs: the conformance table's cases through the package's entry points
 * as that runtime imported them, and the emulator's `fetch`. Runtime-neutral (no `node:` import, no
 * package import: the caller passes the entries in), so that the setup bundles it once for Bun, Deno,
 * Node and Chromium, and into the Workers that workerd runs.
 */
import { observeAll, type RuntimeReport } from "../conformance/observe.js";
import type { CreateEmulator, Library } from "../conformance/subjects.js";
import { readTable, type TableFile } from "../conformance/table.js";

/** The package's entry points as a runtime imported them (the browser bundle has the root only). */
export interface Entries {
  readonly imgmeta: object;
  readonly "imgmeta/integrations"?: object;
  readonly "imgmeta/sql"?: object;
  readonly "imgmeta/server"?: object;
}

/** A runtime's whole report. */
export interface HarnessReport extends RuntimeReport {
  /** The names each entry point exports, sorted. */
  readonly entries: Record<string, string[]>;
  /** Whether `new Function` works there ("refused" in workerd and with code generation disallowed). */
  readonly codeGeneration: "allowed" | "refused";
}

function codeGeneration(): "allowed" | "refused" {
  try {
    // The probe the matrix needs: whether this runtime refuses code generation, as Workers do.
    new Function("return 1")();
    return "allowed";
  } catch {
    return "refused";
  }
}

/** Runs every case of the table (read from its files) through the entries given. */
export async function report(entries: Entries, files: readonly TableFile[]): Promise<HarnessReport> {
  const lib = { ...entries.imgmeta, ...entries["imgmeta/integrations"], ...entries["imgmeta/sql"] } as Library;
  const server = entries["imgmeta/server"] as { createEmulator: CreateEmulator } | undefined;
  const names = Object.fromEntries(Object.entries(entries).map(([entry, exports]) => [entry, Object.keys(exports as object).sort()]));
  return { ...(await observeAll(lib, readTable(files), server?.createEmulator)), entries: names, codeGeneration: codeGeneration() };
}

/** A Worker that answers a POST of the table's files with the report. */
export function libraryWorker(entries: Entries): { fetch(request: Request): Promise<Response> } {
  return {
    async fetch(request) {
      const files = (await request.json()) as TableFile[];
      return new Response(JSON.stringify(await report(entries, files)), { headers: { "content-type": "application/json" } });
    },
  };
}

/** A Worker that is the emulator (its web build): in memory, `SEED` demo images (a text binding). */
export function emulatorWorker(createEmulator: CreateEmulator): { fetch(request: Request, env: { SEED?: string }): Promise<Response> } {
  let emulator: ReturnType<CreateEmulator> | undefined;
  return {
    fetch(request, env) {
      emulator ??= createEmulator({ seed: Number(env.SEED ?? "0") });
      return emulator.fetch(request);
    },
  };
}
