// Records every file of dist/ that Node loads (ES modules through a load hook, CommonJS through
// Module._load's cache), so a test can tell which of the package's files a program read. Run with
// `node --import ./test/package/loaded-files.mjs`; the list is written to $LOADED_FILES at exit.
import { register, createRequire } from "node:module";
import { writeFileSync } from "node:fs";

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from "node:fs";
    export async function load(url, context, next) {
      if (url.includes("/dist/")) appendFileSync(${JSON.stringify(process.env.LOADED_FILES)}, url + "\\n");
      return next(url, context);
    }
  `)}`,
);
const require = createRequire(import.meta.url);
process.on("exit", () => {
  const cjs = Object.keys(require.cache).filter((file) => file.includes("/dist/"));
  if (cjs.length > 0) writeFileSync(process.env.LOADED_FILES, cjs.map((file) => `file://${file}`).join("\n") + "\n", { flag: "a" });
});
