/**
 * Global setup of the runtime matrix: the package as users get it. `npm pack` of the built package,
 * installed into a scratch project (`npm install` of the tarball, as a user would), with the harness
 * bundled beside it (ESM and CJS), the scripts that import the package and run the harness, and the
 * conformance table's files. The tests find the project through `inject("scratch")`; it is removed at the
 * end.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";
import { tableFiles } from "../conformance/load.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HERE = fileURLToPath(new URL("./", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    /** The scratch project with the packed imgmeta installed, the harness and the scripts. */
    scratch: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(join(ROOT, "dist/index.js"))) throw new Error("no dist/: run `npm run build` before `npm run test:runtimes`");
  const scratch = mkdtempSync(join(tmpdir(), "imgmeta-runtimes-"));
  const npm = (args: string[], cwd: string) => execFileSync("npm", [...args, "--no-audit", "--no-fund"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], ROOT)) as { filename: string }[];
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "imgmeta-scratch", private: true, type: "module", dependencies: { imgmeta: `file:./${packed!.filename}` } }, null, 2),
  );
  npm(["install", "--prefer-offline"], scratch);

  const harness = join(HERE, "harness.ts");
  await build({ entryPoints: [harness], bundle: true, format: "esm", platform: "neutral", outfile: join(scratch, "harness.mjs"), logLevel: "silent" });
  await build({ entryPoints: [harness], bundle: true, format: "cjs", platform: "neutral", outfile: join(scratch, "harness.cjs"), logLevel: "silent" });
  for (const script of ["esm.mjs", "cjs.cjs"]) copyFileSync(join(HERE, "scripts", script), join(scratch, script));
  writeFileSync(join(scratch, "table.json"), JSON.stringify(tableFiles()));

  project.provide("scratch", scratch);
  return () => rmSync(scratch, { recursive: true, force: true });
}
