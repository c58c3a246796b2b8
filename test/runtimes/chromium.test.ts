/**
 * Chromium (Debian's, driven by playwright-core): the browser bundle, `dist/imgmeta.browser.js`, imported
 * by a page as it is shipped, runs the conformance table's library cases (the root entry: the bundle has
 * no `imgmeta/integrations` or `imgmeta/sql`); and `imgmeta/server`, bundled from the packed package with
 * the `browser` condition as a bundler would, answers the table's list cases with `createEmulator().fetch`
 * in the page. The page is served from memory (no server, no network).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { tableFiles } from "../conformance/load.js";
import { reportMismatches } from "../conformance/runner.js";
import { entryNames } from "../conformance/subjects.js";
import type { HarnessReport } from "./harness.js";
import { ROOT } from "./processes.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const ORIGIN = "http://imgmeta.test";
const scratch = inject("scratch");

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
  try {
    const imgmeta = await import("/imgmeta.browser.js");
    const server = await import("/server.js");
    const { report } = await import("/harness.mjs");
    const files = await (await fetch("/table.json")).json();
    window.imgmetaReport = await report({ imgmeta, "imgmeta/server": server }, files);
  } catch (error) {
    window.imgmetaError = String(error);
  }
</script>`;

let browser: Browser;

/** `imgmeta/server` from the installed package, bundled for browsers as a bundler would (its web build). */
async function bundleServerForBrowsers(): Promise<string> {
  const result = await build({
    stdin: { contents: 'export * from "imgmeta/server";', resolveDir: scratch },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
});

it("the browser bundle runs every library case of the table in a page", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const files: Record<string, [string, string]> = {
    "/": ["text/html", PAGE],
    "/imgmeta.browser.js": ["text/javascript", readFileSync(join(ROOT, "dist/imgmeta.browser.js"), "utf8")],
    "/server.js": ["text/javascript", await bundleServerForBrowsers()],
    "/harness.mjs": ["text/javascript", readFileSync(join(scratch, "harness.mjs"), "utf8")],
    "/table.json": ["application/json", JSON.stringify(tableFiles())],
  };
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname];
    return file ? route.fulfill({ contentType: file[0], body: file[1] }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => "imgmetaReport" in window || "imgmetaError" in window);
  expect(await page.evaluate(() => (window as unknown as { imgmetaError?: string }).imgmetaError)).toBeUndefined();
  expect(errors).toEqual([]);
  const report = (await page.evaluate(() => (window as unknown as { imgmetaReport: unknown }).imgmetaReport)) as HarnessReport;
  expect(report.entries).toEqual({ imgmeta: entryNames["imgmeta"], "imgmeta/server": entryNames["imgmeta/server"] });
  expect(report.emulator?.length).toBeGreaterThan(0);
  expect(reportMismatches(report, { rootEntryOnly: true })).toEqual([]);
  expect(report.library.length).toBeGreaterThan(50);
});
