/**
 * Figures: cold start (a fresh process imports the built package, parses, compiles and runs a predicate
 * once) and the CLI's `imgmeta compile`, each as wall time over a bare `node -e ''`, interleaved runs.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { emit, type Row } from "../harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const RUNS = Number(process.argv[2] ?? 25);
const Q2 = 'status = "active" and priority in (4, 5)';

const commands: Record<string, string[]> = {
  "bare node": ["-e", ""],
  imgmeta: [
    "--input-type=module",
    "-e",
    `import { parse, toPredicate, toQueryString } from ${JSON.stringify(`${root}dist/index.js`)};
     const filter = parse(${JSON.stringify(Q2)});
     toPredicate(filter)({ meta: { status: "active", priority: 4 } });
     toQueryString(filter);`,
  ],
  "cel-js": [
    "--input-type=module",
    "-e",
    `import * as cel from "@marcbachmann/cel-js";
     cel.parse('meta.status == "active" && meta.priority in [4, 5]')({ meta: { status: "active", priority: 4 } });`,
  ],
  "imgmeta compile (CLI)": [`${root}dist/cli.js`, "compile", Q2],
};

function wall(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) wall(args); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(commands)) samples[name]!.push(wall(args));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const rows: Row[] = Object.entries(samples).map(([subject, values]) => ({
  figure: subject === "imgmeta compile (CLI)" ? "CLI compile" : "cold start",
  subject,
  median: quantile(values, 0.5),
  p25: quantile(values, 0.25),
  p75: quantile(values, 0.75),
  unit: "ms",
  note: `${RUNS} runs`,
}));
emit(rows);
