/**
 * The package as users get it, after `npm run build`: its exports from ESM and CJS, its types, its CLI,
 * and its promise of no eval.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = `${root}dist/`;

/** The runtime exports of the package root: a change here is a change of the public API. */
const PUBLIC_EXPORTS = [
  "DEFAULT_LIMITS",
  "FilterError",
  "MAX_CONTINUATION_TOKEN_LENGTH",
  "NESTING_CEILING",
  "PER_PAGE_RANGE",
  "check",
  "format",
  "formatIssue",
  "fromSearchParams",
  "normalize",
  "parse",
  "parsePerPage",
  "plan",
  "suggest",
  "toPredicate",
  "toQueryString",
  "toSearchParams",
  "tokenize",
  "validate",
  "valueAt",
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
    const files = readdirSync(dist).filter((name) => /\.d\.c?ts$/.test(name));
    const declarations = files.map((name) => readFileSync(`${dist}${name}`, "utf8").replace(/\/\*[\s\S]*?\*\//g, "")).join("\n");
    expect(declarations).toContain("declare function parse");
    expect(declarations).not.toMatch(/\bany\b/);
  });
});

describe("the back-end entry points", () => {
  it("imgmeta/integrations and imgmeta/sql export their API from ESM and CJS", async () => {
    const require = createRequire(import.meta.url);
    const entries = {
      "imgmeta/integrations": ["ImagesApiError", "listImages", "toBindingFilter", "toListParams"],
      "imgmeta/sql": ["toSql"],
    };
    for (const [entry, names] of Object.entries(entries)) {
      expect(Object.keys(await import(entry)).sort(), entry).toEqual(names);
      expect(Object.keys(require(entry) as object).sort(), entry).toEqual(names);
    }
    const { toSql } = (await import("imgmeta/sql")) as typeof import("../../src/sql.js");
    expect(toSql("a = 1", { dialect: "postgres" }).params).toEqual(['{"a":1}']);
    const { toBindingFilter } = require("imgmeta/integrations") as typeof import("../../src/integrations.js");
    expect(toBindingFilter("a in (1, 2)")).toEqual({ metadata: { a: { in: [1, 2] } } });
  });
});

describe("imgmeta/sql loads the parser only when text comes", () => {
  /** The files of dist/ a script run as an ES module in the package's directory loaded, and what it printed. */
  function run(script: string): { loaded: string[]; out: string } {
    const log = join(mkdtempSync(join(tmpdir(), "imgmeta-loaded-")), "files");
    writeFileSync(log, "");
    const out = execFileSync(process.execPath, ["--import", "./test/package/loaded-files.mjs", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, LOADED_FILES: log },
    });
    const loaded = [...new Set(readFileSync(log, "utf8").split("\n").filter(Boolean))].map((url) => url.slice(url.lastIndexOf("/dist/") + "/dist/".length));
    return { loaded, out };
  }
  /** The built files that hold Chevrotain's parser. */
  const parserFiles = readdirSync(dist).filter((name) => /\.c?js$/.test(name) && readFileSync(`${dist}${name}`, "utf8").includes("EmbeddedActionsParser"));

  it("with a filter, no file holding Chevrotain is loaded; with text, it is, and its FilterError is the package root's", () => {
    expect(parserFiles.length).toBeGreaterThan(0);
    const filter = JSON.stringify({ type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: 1 } });
    const ast = run(`const { toSql } = await import("imgmeta/sql"); process.stdout.write(JSON.stringify(toSql(${filter}, { dialect: "postgres" })));`);
    expect(JSON.parse(ast.out)).toEqual({ sql: '("meta" @> $1::jsonb AND "meta" IS NOT NULL)', params: ['{"a":1}'] });
    expect(ast.loaded).toContain("sql-node.js");
    expect(ast.loaded.filter((file) => parserFiles.includes(file))).toEqual([]);

    const text = run(`
      const { toSql } = await import("imgmeta/sql");
      const { FilterError } = await import("imgmeta");
      let refused;
      try { toSql("a = ", { dialect: "sqlite" }); } catch (error) { refused = error instanceof FilterError && error.issues[0].code; }
      process.stdout.write(JSON.stringify([toSql("a = 1", { dialect: "postgres" }).params, refused]));`);
    expect(JSON.parse(text.out)).toEqual([['{"a":1}'], "expected-value"]);
  });

  it("CommonJS on Node: the same, through require", () => {
    const filter = JSON.stringify({ type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: 1 } });
    const ast = run(`const require = (await import("node:module")).createRequire(process.cwd() + "/"); const { toSql } = require("imgmeta/sql"); process.stdout.write(toSql(${filter}, { dialect: "sqlite" }).sql.slice(0, 4));`);
    expect(ast.loaded).toContain("sql-node.cjs");
    expect(ast.loaded.filter((file) => parserFiles.includes(file))).toEqual([]);
    const text = run(`const require = (await import("node:module")).createRequire(process.cwd() + "/"); const { toSql } = require("imgmeta/sql"); const { FilterError } = require("imgmeta"); let code; try { toSql("a =", { dialect: "sqlite" }); } catch (e) { code = e instanceof FilterError && e.issues[0].code; } process.stdout.write(String(code));`);
    expect(text.out).toBe("expected-value");
  });

  it("bundlers get the build that imports the parser (the module condition), so text works in a bundle too", async () => {
    const { build } = await import("esbuild");
    const result = await build({
      stdin: { contents: 'import { toSql } from "imgmeta/sql"; export const sql = toSql("a = 1", { dialect: "sqlite" }).sql;', resolveDir: root },
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    const file = join(mkdtempSync(join(tmpdir(), "imgmeta-sql-bundle-")), "bundle.mjs");
    writeFileSync(file, result.outputFiles[0]!.text);
    expect(((await import(file)) as { sql: string }).sql).toContain("json_type");
  });
});

describe("imgmeta/codemirror", () => {
  const NAMES = ["completesWord", "completionText", "filterCompletionSource", "filterDiagnostics", "imgmetaFilter", "singleLine", "tokenDecorations"];

  it("exports the search box from ESM and CJS, on CodeMirror's packages (peer dependencies, left outside)", async () => {
    const require = createRequire(import.meta.url);
    expect(Object.keys(await import("imgmeta/codemirror")).sort()).toEqual(NAMES);
    expect(Object.keys(require("imgmeta/codemirror") as object).sort()).toEqual(NAMES);
    const code = readFileSync(`${dist}codemirror.js`, "utf8");
    expect(code).toMatch(/from "@codemirror\/view"/);
    expect(code).not.toMatch(/class EditorView\b/);
  });

  it("the root entry and its browser bundle know nothing of CodeMirror", () => {
    for (const file of ["index.js", "index.cjs", "imgmeta.browser.js"]) expect(readFileSync(`${dist}${file}`, "utf8"), file).not.toMatch(/codemirror/i);
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional: boolean }> };
    expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith("@codemirror/"))).toEqual([]);
    expect(Object.values(pkg.peerDependenciesMeta).every((meta) => meta.optional)).toBe(true);
  });
});

describe("the browser bundle", () => {
  it("is one minified ESM file of at most 45 KB gzipped that works on its own", async () => {
    const code = readFileSync(`${dist}imgmeta.browser.js`);
    expect(gzipSync(code, { level: 9 }).length).toBeLessThanOrEqual(45 * 1024);
    expect(code.toString("utf8")).not.toMatch(/^import |\bimport\s*\(|require\(/m);
    const lib = (await import(`${dist}imgmeta.browser.js`)) as typeof import("../../src/index.js");
    expect(lib.toQueryString("status = active")).toBe("meta.status[eq:string]=active");
  });
});

describe("imgmeta/server", () => {
  it("bundles for Workers and browsers with no node: import, and answers there", async () => {
    const { build } = await import("esbuild");
    const result = await build({
      stdin: { contents: 'export { createEmulator } from "imgmeta/server";', resolveDir: root },
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:/);
    const file = join(mkdtempSync(join(tmpdir(), "imgmeta-web-")), "server.mjs");
    writeFileSync(file, code);
    const { createEmulator } = (await import(file)) as typeof import("../../src/server/web.js");
    const emulator = createEmulator({ seed: 10 });
    const response = await emulator.fetch(new Request("http://x/client/v4/accounts/a/images/v2?per_page=10", { headers: { authorization: "Bearer t" } }));
    expect(response.status).toBe(200);
    await expect(emulator.listen()).rejects.toThrow(/needs Node/);
  });

  it("ESM and CJS: createEmulator answers the list endpoint", async () => {
    const require = createRequire(import.meta.url);
    for (const server of [(await import("imgmeta/server")) as typeof import("../../src/server/index.js"), require("imgmeta/server") as typeof import("../../src/server/index.js")]) {
      const emulator = server.createEmulator({ seed: 20 });
      const response = await emulator.fetch(
        new Request("http://emulator.test/client/v4/accounts/acc/images/v2?per_page=10&meta.status%5Beq%5D=active", { headers: { authorization: "Bearer t" } }),
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { images: { meta: { status: string } }[] } };
      expect(body.result.images.length).toBeGreaterThan(0);
      expect(body.result.images.every((image) => image.meta.status === "active")).toBe(true);
      await emulator.close();
    }
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

  it("has Chevrotain inlined (so it starts fast) and is executable", () => {
    for (const file of readdirSync(dist).filter((name) => /\.(c?js)$/.test(name))) {
      expect(readFileSync(`${dist}${file}`, "utf8"), file).not.toMatch(/(?:from|require\()\s*["']chevrotain["']/);
    }
    expect(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });

  it("is the package's bin: a launcher shipped with the package, which runs the build and prints the version", () => {
    const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string; bin: Record<string, string>; files: string[] };
    expect(manifest.bin).toEqual({ imgmeta: "./bin/imgmeta.js" });
    expect(manifest.files).toContain("bin");
    const launcher = `${root}bin/imgmeta.js`;
    expect(readFileSync(launcher, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
    expect(execFileSync(process.execPath, [launcher, "--version"], { encoding: "utf8" })).toBe(`${manifest.version}\n`);
    expect(execFileSync(process.execPath, [launcher, "compile", "a = 1"], { encoding: "utf8" })).toBe("meta.a[eq:number]=1\n");
  });
});
