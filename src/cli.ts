#!/usr/bin/env node
/**
 * The `imgmeta` executable: wires {@link main} to the process. Kept tiny so that the bundled CLI
 * starts fast (Chevrotain is bundled into it; see tsup.config.ts).
 */
import { readFileSync } from "node:fs";
import { main } from "./cli/main.js";

/** The package's version, read when asked: `dist/cli.js` and `src/cli.ts` both sit one folder below package.json. */
function version(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

main(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    stdin: readStdin,
  },
  {
    // The emulator is loaded only for `serve`, so that compile/plan/check/explain start fast.
    commands: { serve: async (argv) => (await import("./server/cli.js")).serveCommand(argv) },
    version,
  },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`imgmeta: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
