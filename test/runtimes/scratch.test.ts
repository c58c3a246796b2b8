/**
 * Bun, Deno, Node 20 and Node 24, each running the packed package installed in a scratch project (see
 * setup.ts): every entry point imported (ESM, and CommonJS through require()), the conformance table's
 * library cases, and `createEmulator().fetch` on the table's list cases. Node 24 also runs the package
 * tests (`vitest.package.config.ts`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { reportMismatches } from "../conformance/runner.js";
import { entryNames } from "../conformance/subjects.js";
import type { HarnessReport } from "./harness.js";
import { binary, run, runReport, ROOT, stopAll } from "./processes.js";

const scratch = inject("scratch");
afterAll(stopAll);

const pinned = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies;
const NODE24_DIR = join(ROOT, "test/runtimes/node24");
const NODE24 = join(NODE24_DIR, "node_modules/node/bin/node");
const node24Version = (JSON.parse(readFileSync(join(NODE24_DIR, "package.json"), "utf8")) as { dependencies: { node: string } }).dependencies.node;

/** Checks one runtime's report of a harness script: the entries, the table, and code generation. */
async function expectConformance(command: string, args: readonly string[], codeGeneration: "allowed" | "refused" = "allowed"): Promise<void> {
  const report = await runReport<HarnessReport>(command, args, scratch);
  expect(report.entries).toEqual(entryNames);
  expect(report.codeGeneration).toBe(codeGeneration);
  expect(report.emulator?.length).toBeGreaterThan(0);
  expect(reportMismatches(report)).toEqual([]);
}

describe("Bun", () => {
  it("is the version package.json pins", async () => {
    expect((await run(binary("bun"), ["--version"], scratch)).stdout.trim()).toBe(pinned["bun"]);
  });
  for (const script of ["esm.mjs", "cjs.cjs"]) {
    it(`${script}: the entry points, the table's library cases and createEmulator().fetch`, async () => {
      await expectConformance(binary("bun"), [script]);
    });
  }
});

describe("Deno", () => {
  it("is the version package.json pins", async () => {
    expect((await run(binary("deno"), ["--version"], scratch)).stdout).toMatch(new RegExp(`^deno ${pinned["deno"]!.replace(/\./g, "\\.")} `));
  });
  for (const script of ["esm.mjs", "cjs.cjs"]) {
    it(`${script}: the entry points, the table's library cases and createEmulator().fetch`, async () => {
      // Read access only: the package needs no network, environment or other permission.
      await expectConformance(binary("deno"), ["run", "--allow-read", script]);
    });
  }
});

describe(`Node ${process.versions.node} (the machine's)`, () => {
  for (const script of ["esm.mjs", "cjs.cjs"]) {
    it(`${script}: the entry points, the table's library cases and createEmulator().fetch`, async () => {
      await expectConformance(process.execPath, [script]);
    });
  }
  it("esm.mjs with code generation from strings disallowed, as in Workers", async () => {
    await expectConformance(process.execPath, ["--disallow-code-generation-from-strings", "esm.mjs"], "refused");
  });
});

describe("Node 24", () => {
  beforeAll(() => {
    // Its own small project (see its package.json for why): installed from its lockfile when missing.
    const installed = existsSync(NODE24) && execFileSync(NODE24, ["--version"], { encoding: "utf8" }).trim() === `v${node24Version}`;
    if (!installed) execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: NODE24_DIR, stdio: "ignore" });
  });

  it("is the version its package.json pins", async () => {
    expect((await run(NODE24, ["--version"], scratch)).stdout.trim()).toBe(`v${node24Version}`);
  });
  for (const script of ["esm.mjs", "cjs.cjs"]) {
    it(`${script}: the entry points, the table's library cases and createEmulator().fetch`, async () => {
      await expectConformance(NODE24, [script]);
    });
  }
  it("passes the package tests", async () => {
    const vitest = join(ROOT, "node_modules/vitest/vitest.mjs");
    const { code, stdout, stderr } = await run(NODE24, [vitest, "run", "--config", "vitest.package.config.ts"], ROOT, 180_000);
    const output = (stdout + stderr).replace(/\x1b\[[0-9;]*m/g, "");
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed|skipped/);
  }, 240_000);
});
