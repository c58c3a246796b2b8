/**
 * The package as users get it, after `npm run build`: its exports from ESM and CJS, its types, its CLI,
 * and its promise of no eval.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = `${root}dist/`;

/** The runtime exports of the package root: a change here is a change of the public API. */
const PUBLIC_EXPORTS = [
  "DEFAULT_LIMITS",
  "FilterError",
  "MAX_CONTINUATION_TOKEN_LENGTH",
  "PER_PAGE_RANGE",
  "check",
  "format",
  "formatIssue",
  "fromSearchParams",
  "normalize",
  "parse",
  "toPredicate",
  "toQueryString",
  "toSearchParams",
  "toSql",
  "validate",
];

describe("exports", () => {
  it("ESM: the package root exports exactly the public API, and it works", async () => {
    const lib = (await import("imgmeta")) as typeof import("../../src/index.js");
    expect(Object.keys(lib).sort()).toEqual(PUBLIC_EXPORTS);
    expect(lib.toQueryString('status = "active" and priority in (4, 5)')).toBe("meta.status[eq:string]=active&meta.priority[in:number]=4|5");
  });

  it("CJS: require() gives the same API", () => {
    const require = createRequire(import.meta.url);
    const lib = require("imgmeta") as typeof import("../../src/index.js");
    expect(Object.keys(lib).sort()).toEqual(PUBLIC_EXPORTS);
    expect(lib.check("a = 1 or b = 2").issues[0]!.code).toBe("or-not-supported");
    expect(() => lib.parse("a =")).toThrow(lib.FilterError);
  });

  it("types: a consumer type-checks against the published declarations", () => {
    const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${root}test/package/tsconfig.json`], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("the declarations leak no `any`", () => {
    const declarations = readFileSync(`${dist}index.d.ts`, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    expect(declarations).toContain("declare function parse");
    expect(declarations).not.toMatch(/\bany\b/);
  });
});

describe("no eval", () => {
  it("no built file calls eval or new Function", () => {
    for (const file of readdirSync(dist).filter((name) => /\.(c?js)$/.test(name))) {
      const code = readFileSync(`${dist}${file}`, "utf8");
      expect(code, file).not.toMatch(/new Function\s*\(|[^.\w$]eval\s*\(/);
    }
  });

  it("the library runs with code generation from strings disallowed", () => {
    const script = `import("imgmeta").then((lib) => {
      const p = lib.toPredicate("a = 1 and (b in (x, y) or not c > 2)");
      process.stdout.write(String(p({ meta: { a: 1, b: "y" } })) + " " + lib.toQueryString("a = 1"));
    })`;
    const out = execFileSync(process.execPath, ["--disallow-code-generation-from-strings", "-e", script], { cwd: root, encoding: "utf8" });
    expect(out).toBe("true meta.a[eq:number]=1");
  });
});

describe("the imgmeta CLI", () => {
  const cli = `${dist}cli.js`;

  it("compiles, checks and explains", () => {
    expect(execFileSync(process.execPath, [cli, "compile", "region.name = eu-west"], { encoding: "utf8" })).toBe(
      "meta.region.name[eq:string]=eu-west\n",
    );
    expect(execFileSync(process.execPath, [cli, "explain"], { input: "meta.a%5Bin%5D=x%7Cy\n", encoding: "utf8" })).toBe(
      'a in ("x", "y")\n',
    );
    const failed = spawnSync(process.execPath, [cli, "check", "a = 1 or"], { encoding: "utf8" });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("error[expected-field]");
  });

  it("is one file with Chevrotain inlined (so it starts fast)", () => {
    const code = readFileSync(cli, "utf8");
    expect(code).not.toMatch(/from\s+["']chevrotain["']/);
    expect(code.startsWith("#!/usr/bin/env node")).toBe(true);
  });
});
