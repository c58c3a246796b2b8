/**
 * `createEmulator().fetch` is web-standard: nothing reachable through static imports from
 * `src/server/index.ts` may import a Node built-in or `@hono/node-server` (those load lazily, only for
 * `listen` and `dataDir`), so the same module runs in Workers, Bun and Deno.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createEmulator } from "../../src/server/index.js";

const ENTRY = fileURLToPath(new URL("../../src/server/index.ts", import.meta.url));
// Static `import ... from "x"` and `export ... from "x"`; `await import("x")` is deliberately not matched.
const STATIC_IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm;

async function staticGraph(entry: string): Promise<{ files: Set<string>; external: Set<string> }> {
  const files = new Set<string>();
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = await readFile(file, "utf8");
    for (const [, specifier] of source.matchAll(STATIC_IMPORT)) {
      if (specifier!.startsWith(".")) queue.push(resolve(dirname(file), specifier!.replace(/\.js$/, ".ts")));
      else external.add(specifier!);
    }
  }
  return { files, external };
}

it("reaches no Node built-in and no Node server through static imports", async () => {
  const { files, external } = await staticGraph(ENTRY);
  expect(files.size).toBeGreaterThan(10);
  expect([...files].some((file) => /\/(node-http|journal|one-per-turn|lock|cli)\.ts$/.test(file))).toBe(false);
  for (const specifier of external) {
    expect(specifier).not.toMatch(/^node:|^@hono\/node-server/);
    // hono, and what the library bundles: Chevrotain, and get-east-asian-width (code frames' columns).
    expect(["hono", "chevrotain", "get-east-asian-width"]).toContain(specifier.split("/")[0]);
  }
});

it("answers a Request with a Response without listening", async () => {
  const emulator = createEmulator({ seed: 12 });
  const response = await emulator.fetch(
    new Request("https://anywhere.example/client/v4/accounts/a/images/v2?per_page=10", { headers: { authorization: "Bearer x" } }),
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result: { images: { variants: string[] }[]; continuation_token: string } };
  expect(body.result.images).toHaveLength(10);
  expect(body.result.continuation_token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  // URLs the emulator hands out point back at the origin the request came to.
  expect(body.result.images[0]!.variants[0]).toMatch(/^https:\/\/anywhere\.example\/imagedelivery\//);
});
