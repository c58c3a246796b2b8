/**
 * Figures of the search box (`imgmeta/codemirror`), measured in Chromium:
 * - from a key press to the next frame (the keydown event's time to the first moment after the frame
 *   that follows it, rendering included), at 2,000 and 10,000 characters of filter, typing at the end,
 *   with a pause after each key long enough for the diagnostics and the completions to run in between
 *   (as when people type; they are not on the key's path);
 * - gzipped sizes (ESM, minified): the extension's own code (CodeMirror and the library left outside),
 *   and a whole minimal search box (an EditorView with the extension: CodeMirror, the library and the
 *   extension).
 * Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH), driven by playwright-core.
 */
import { build, type Plugin } from "esbuild";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { browserBundle } from "../../scripts/esbuild-plugins.js";
import { emit, type Row } from "../harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Keys measured per size (half letters typed at the end, half Backspaces). */
const KEYS = Number(process.argv[2] ?? 60);
/** The pause after each key (the diagnostics wait 150 ms for typing to pause, the completions 100 ms). */
const PAUSE_MS = 250;

/** Everything the extension imports from outside itself stays outside: CodeMirror, and the library's entry. */
const extensionOnly: Plugin = {
  name: "extension-only",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@codemirror\// }, (args) => ({ path: args.path, external: true }));
    pluginBuild.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) => (args.importer.includes("/src/codemirror/") ? { path: args.path, external: true } : undefined));
  },
};

async function bundle(contents: string, plugins: Plugin[] = []): Promise<string> {
  const result = await build({ ...browserBundle, plugins: [...plugins, ...(browserBundle.plugins ?? [])], stdin: { contents, resolveDir: root, loader: "ts" } });
  return result.outputFiles![0]!.text;
}

const gzippedKB = (code: string): number => gzipSync(code, { level: 9 }).length / 1024;

const extensionCode = await bundle('export { imgmetaFilter } from "./src/codemirror/index.ts";', [extensionOnly]);
const searchBoxCode = await bundle(`
  import { EditorView } from "@codemirror/view";
  import { imgmetaFilter } from "./src/codemirror/index.ts";
  const fields = { status: { type: "string", values: ["active", "pending"] }, priority: "number", name: "string" };
  (globalThis as any).view = new EditorView({ parent: document.body, doc: (globalThis as any).initialText, extensions: [imgmetaFilter({ fields, target: "plan" })] });
`);

/** A valid filter of about `length` characters, ending where a value is typed: `... and name = `. */
function filterOf(length: number): string {
  const parts: string[] = [];
  let text = "";
  for (let i = 0; text.length < length - 20; i++) {
    parts.push(i % 2 === 0 ? `status = "active"` : `priority >= ${i}`);
    text = parts.join(" and ");
  }
  return `${text} and name = `.slice(0, length);
}

/** A plain input element holding the same text, for scale: what the browser alone costs per key at that length. */
const plainInput = `const input = document.createElement("input"); input.className = "cm-content"; input.style.width = "1200px"; input.value = window.initialText; document.body.append(input);`;

async function keyToFrame(length: number, script = searchBoxCode): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const text = filterOf(length);
    await page.setContent(`<!doctype html><meta charset="utf-8"><body><script>window.initialText = ${JSON.stringify(text)};</script><script type="module">${script.replace(/<\/script/gi, "<\\/script")}</script>`);
    await page.waitForFunction(() => document.querySelector(".cm-content") !== null);
    await page.evaluate(() => {
      const times: number[] = [];
      (window as unknown as { frameTimes: number[] }).frameTimes = times;
      document.addEventListener(
        "keydown",
        (event) => {
          const start = event.timeStamp;
          // The first task after the next frame: the key's work and the frame's rendering are done.
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => times.push(performance.now() - start);
            channel.port2.postMessage(null);
          });
        },
        true,
      );
    });
    await page.locator(".cm-content").click();
    await page.keyboard.press("End");
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press(i % 2 === 0 ? "a" : "Backspace");
      await page.waitForTimeout(PAUSE_MS);
    }
    return await page.evaluate(() => (window as unknown as { frameTimes: number[] }).frameTimes);
  } finally {
    await browser.close();
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
const rows: Row[] = [];
for (const [length, subject, script] of [
  [2000, "imgmeta/codemirror", searchBoxCode],
  [10_000, "imgmeta/codemirror", searchBoxCode],
  [2000, "a plain input element (for scale)", plainInput],
  [10_000, "a plain input element (for scale)", plainInput],
] as const) {
  // The first keys warm the page up (its code compiled, its first completions and diagnostics run).
  const times = (await keyToFrame(length, script)).slice(10).sort((a, b) => a - b);
  rows.push({
    figure: "search box: key press to next frame (Chromium)",
    subject: `${subject}, ${length.toLocaleString("en")} characters`,
    median: quantile(times, 0.5),
    p25: quantile(times, 0.25),
    p75: quantile(times, 0.75),
    unit: "ms",
    note: `${times.length} keys at the end of the text (letters and Backspaces), ${PAUSE_MS} ms apart; slowest ${times.at(-1)!.toFixed(1)} ms`,
  });
}
const own = gzippedKB(extensionCode);
const whole = gzippedKB(searchBoxCode);
rows.push(
  { figure: "search box bundle", subject: "imgmeta/codemirror's own code (CodeMirror and the library outside)", median: own, p25: own, p75: own, unit: "KB" },
  { figure: "search box bundle", subject: "a whole minimal search box (EditorView + imgmetaFilter: CodeMirror, the library, the extension)", median: whole, p25: whole, p75: whole, unit: "KB" },
);
emit(rows);
