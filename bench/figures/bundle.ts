/**
 * Figure: browser bundle size (ESM, minified, gzipped): the root entry as built, what a search box that
 * imports only check/suggest/tokenize pays, and Chevrotain alone for scale (as we bundle it, and with its lexer).
 */
import { build, type Plugin } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { browserBundle, chevrotainAsShipped, lodashToEsToolkit } from "../../scripts/esbuild-plugins.js";
import { browserBundleSize } from "../../scripts/report-size.js";
import { emit, type Row } from "../harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

async function gzipped(contents: string, plugins: Plugin[] = chevrotainAsShipped): Promise<number> {
  const result = await build({ ...browserBundle, plugins, stdin: { contents, resolveDir: root, loader: "ts" } });
  return gzipSync(result.outputFiles![0]!.contents, { level: 9 }).length;
}

const kb = (bytes: number): number => bytes / 1024;
const entry = kb(browserBundleSize().gzipped);
const searchBox = kb(await gzipped('export { check, suggest, tokenize, toQueryString, formatIssue } from "./src/index.ts";'));
const chevrotain = kb(await gzipped('export { EmbeddedActionsParser, createToken } from "chevrotain";'));
const withLexer = kb(await gzipped('export { EmbeddedActionsParser, Lexer, createToken } from "chevrotain";', [lodashToEsToolkit]));
const rows: Row[] = [
  { figure: "browser bundle", subject: "imgmeta (root entry, dist/imgmeta.browser.js)", median: entry, p25: entry, p75: entry, unit: "KB" },
  { figure: "browser bundle", subject: "imgmeta (check, suggest, tokenize, toQueryString only)", median: searchBox, p25: searchBox, p75: searchBox, unit: "KB" },
  { figure: "browser bundle", subject: "chevrotain alone, as bundled (es-toolkit for lodash, no lexer)", median: chevrotain, p25: chevrotain, p75: chevrotain, unit: "KB" },
  { figure: "browser bundle", subject: "chevrotain alone, with its lexer (es-toolkit for lodash)", median: withLexer, p25: withLexer, p75: withLexer, unit: "KB" },
];
emit(rows);
