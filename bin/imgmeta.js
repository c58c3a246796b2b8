#!/usr/bin/env node
/**
 * The `imgmeta` executable. It runs the bundled CLI, dist/cli.js, which the package ships and which
 * `npm install` builds in a checkout (the `prepare` script). This launcher is committed so that the
 * command exists before anything is built: `npx imgmeta` in a checkout links the package's own bins once,
 * and a bin whose file was missing then stayed "not found" even after a build. Where dist/cli.js is not
 * built (`npm install --ignore-scripts`, a `dist/` removed), a checkout runs the sources through tsx.
 */
import { existsSync } from "node:fs";

const built = new URL("../dist/cli.js", import.meta.url);
const sources = new URL("../src/cli.ts", import.meta.url);

if (existsSync(built)) {
  await import(built.href);
} else if (existsSync(sources) && (await registerTsx())) {
  await import(sources.href);
} else {
  process.stderr.write(`imgmeta: the CLI is not built: run npm install (or npm run build:cli) in ${new URL("..", import.meta.url).pathname}\n`);
  process.exitCode = 70;
}

/** Lets Node import TypeScript (tsx, a devDependency of the checkout); false where it is not installed. */
async function registerTsx() {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    return true;
  } catch {
    return false;
  }
}
