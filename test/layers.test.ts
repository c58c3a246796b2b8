/**
 * The layers are enforced (issue 15): `npm run lint:deps` runs dependency-cruiser with the project's
 * `.dependency-cruiser.cjs`. Here it runs on `src/` as it is, which must pass, and on a copy of `src/` in a
 * temporary directory where forbidden imports were added, one per rule, each of which must be reported
 * under its rule's name (a rule that cannot fire would pass any code).
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

/** What dependency-cruiser printed and how it exited, run on `src/` from `cwd` as `npm run lint:deps` does. */
function lintDeps(cwd: string, extra: readonly string[] = []): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [DEPCRUISE, "src", "--config", ".dependency-cruiser.cjs", ...extra], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error && typeof error.code !== "number") reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout });
    });
  });
}

/** One forbidden import: the file it is added to, the import, and the rule that must name it. */
interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly rule: string;
  readonly to: string;
}

const VIOLATIONS: readonly Violation[] = [
  { file: "src/syntax/unicode.ts", imports: "../semantics/limits.js", rule: "syntax-depends-on-nothing", to: "src/semantics/limits.ts" },
  { file: "src/semantics/check.ts", imports: "../targets/query.js", rule: "semantics-on-syntax", to: "src/targets/query.ts" },
  { file: "src/assist/tokenize.ts", imports: "../targets/predicate.js", rule: "assist-on-syntax-and-semantics", to: "src/targets/predicate.ts" },
  { file: "src/targets/binding.ts", imports: "./query.js", rule: "targets-do-not-import-each-other", to: "src/targets/query.ts" },
  { file: "src/targets/sql.ts", imports: "../integrations/list-images.js", rule: "targets-on-syntax-and-semantics", to: "src/integrations/list-images.ts" },
  { file: "src/integrations/list-images.ts", imports: "../input.js", rule: "integrations-on-targets", to: "src/input.ts" },
  { file: "src/server/listing.ts", imports: "../targets/predicate.js", rule: "applications-on-entry-points", to: "src/targets/predicate.ts" },
  { file: "src/cli/main.ts", imports: "../semantics/normalize.js", rule: "applications-on-entry-points", to: "src/semantics/normalize.ts" },
  { file: "src/cli/main.ts", imports: "../server/listing.js", rule: "applications-do-not-import-each-other", to: "src/server/listing.ts" },
  { file: "src/syntax/ast.ts", imports: "./format.js", rule: "no-cycles", to: "src/syntax/format.ts" },
];

/** A copy of what dependency-cruiser reads, with `VIOLATIONS` added; removed after the tests. */
const scratch = mkdtempSync(join(tmpdir(), "imgmeta-layers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function violatedCopy(): string {
  cpSync(join(ROOT, "src"), join(scratch, "src"), { recursive: true });
  for (const name of [".dependency-cruiser.cjs", "tsconfig.json", "package.json"]) cpSync(join(ROOT, name), join(scratch, name));
  symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"), "dir");
  for (const { file, imports } of VIOLATIONS) {
    const path = join(scratch, file);
    writeFileSync(path, `import "${imports}";\n${readFileSync(path, "utf8")}`);
  }
  return scratch;
}

interface Report {
  readonly summary: { readonly error: number; readonly violations: readonly { from: string; to: string; rule: { name: string } }[] };
}

describe("npm run lint:deps", () => {
  it("passes on src/ as it is", async () => {
    const { code, stdout } = await lintDeps(ROOT);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain("no dependency violations found");
  }, 120_000);

  it("names each forbidden import added to a copy of src/ by the rule it breaks, and fails", async () => {
    const cwd = violatedCopy();
    const [plain, json] = await Promise.all([lintDeps(cwd), lintDeps(cwd, ["--output-type", "json"])]);
    const report = JSON.parse(json.stdout) as Report;
    const found = report.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`);
    for (const { file, rule, to } of VIOLATIONS) expect(found).toContain(`${rule}: ${file} → ${to}`);
    // Nothing but what was added (a cycle also names the other steps round it).
    const added = new Set(VIOLATIONS.map(({ file }) => file));
    expect(report.summary.violations.filter((violation) => violation.rule.name !== "no-cycles" && !added.has(violation.from))).toEqual([]);
    expect(plain.code).toBeGreaterThan(0);
    for (const { rule } of VIOLATIONS) expect(plain.stdout).toContain(rule);
  }, 120_000);
});
