/**
 * `npm run fuzz -- --runs N [--seed S]`: the fuzz campaign of test/fuzz/campaign.ts, as long as you like.
 * Prints the seed, so that any failure can be replayed with `--seed`.
 */
import { parseArgs } from "node:util";
import fc from "fast-check";
import { campaign, runsFor } from "../test/fuzz/campaign.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "100000" }, seed: { type: "string" } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
  console.error("usage: npm run fuzz -- [--runs N] [--seed S]");
  process.exit(2);
}
console.log(`fuzzing with seed ${seed}, ${runs} runs per property`);
let failed = 0;
for (const [name, property] of Object.entries(campaign)) {
  const started = Date.now();
  const details = fc.check(property as fc.IProperty<unknown[]>, { seed, numRuns: runsFor(name, runs) });
  const time = ((Date.now() - started) / 1000).toFixed(1);
  if (details.failed) {
    failed++;
    console.log(`✗ ${name} (${time}s)\n${fc.defaultReportMessage(details)}`);
  } else {
    console.log(`✓ ${name}: ${details.numRuns} runs (${time}s)`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
