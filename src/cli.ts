#!/usr/bin/env node
/**
 * The `imgmeta` executable: wires {@link main} to the process. Kept tiny so that the bundled CLI
 * starts fast (Chevrotain is bundled into it; see tsup.config.ts).
 */
import { main } from "./cli/main.js";

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
  // The emulator is loaded only for `serve`, so that compile/check/explain start fast.
  { serve: async (argv) => (await import("./server/cli.js")).serveCommand(argv) },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`imgmeta: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
