/**
 * Run by `npm run build`: reports the browser bundle's size (ESM, minified, gzipped), the figure people
 * who put imgmeta behind a search box pay.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** The browser bundle's bytes, minified and gzipped (level 9). */
export function browserBundleSize(): { minified: number; gzipped: number } {
  const code = readFileSync(new URL("../dist/imgmeta.browser.js", import.meta.url));
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { minified, gzipped } = browserBundleSize();
  console.log(`browser bundle dist/imgmeta.browser.js: ${(minified / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
