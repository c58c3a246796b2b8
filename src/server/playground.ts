/**
 * The playground page on Node: read from dist/playground.html (built by `npm run build`, or by
 * `npm start` before it starts the emulator). Next to the bundled CLI in a published package, and two
 * folders up when running from the sources.
 */
import { readFile } from "node:fs/promises";

const CANDIDATES = [new URL("./playground.html", import.meta.url), new URL("../../dist/playground.html", import.meta.url)];

/** The page's HTML, or undefined when it has not been built. */
export async function readPlayground(): Promise<string | undefined> {
  for (const url of CANDIDATES) {
    try {
      return await readFile(url, "utf8");
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}
