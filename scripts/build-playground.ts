/**
 * Builds the playground into one self-contained page, dist/playground.html (the library and the page's
 * script inlined: it loads nothing from the network). Run by `npm run build`, `npm start` and
 * `npm run build:cli` (so `npm install` too).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { browserBundle } from "./esbuild-plugins.js";

export const PLAYGROUND_PAGE = new URL("../dist/playground.html", import.meta.url);

/** Builds the page and returns its HTML. */
export async function buildPlayground(): Promise<string> {
  const result = await build({ ...browserBundle, entryPoints: [new URL("../src/playground/main.ts", import.meta.url).pathname] });
  // Inline safely: nothing in the script may close the <script> element.
  const script = result.outputFiles![0]!.text.replace(/<\/script/gi, "<\\/script");
  const template = readFileSync(new URL("../src/playground/index.html", import.meta.url), "utf8");
  return template.replace("/*PLAYGROUND_SCRIPT*/", () => script);
}

/** Builds the page into dist/playground.html; returns its HTML. */
export async function writePlayground(): Promise<string> {
  const html = await buildPlayground();
  mkdirSync(new URL(".", PLAYGROUND_PAGE), { recursive: true });
  writeFileSync(PLAYGROUND_PAGE, html);
  return html;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const html = await writePlayground();
  console.log(`playground: dist/playground.html (${(html.length / 1024).toFixed(0)} KB)`);
}
