/**
 * Every `curl` example of the README, run as written against `imgmeta serve` (on a free port instead of
 * 8787, seeded as `npm start` seeds it), in README order, from a scratch folder (the export example
 * writes a file the import example reads). Each must succeed; a list answers exactly the images the
 * library's predicate selects among the demo images, as many as the README states.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromSearchParams, toPredicate } from "../../src/index.js";
import { DEFAULT_SEED } from "../../src/server/cli.js";
import { demoImages } from "../../src/server/index.js";
import { examples, readme, runShell, splitComment } from "../support/readme.js";
import { serve } from "../support/serve.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCUMENTED_HOST = "http://127.0.0.1:8787";

/** The images a List V2 URL selects among the demo images, by the library's predicate (ids, upload order aside). */
function selected(url: URL): string[] {
  const matches = toPredicate(fromSearchParams(url.searchParams));
  return demoImages(DEFAULT_SEED)
    .filter((image) => matches(image))
    .map((image) => image.id)
    .sort();
}

describe("the README's curl examples", () => {
  const curls = examples(readme(ROOT), (command) => command.startsWith("curl "));

  it("include the List images V2 documentation's filters, each with -g for its raw brackets", () => {
    const lists = curls.filter((example) => example.command.includes("/images/v2?"));
    expect(lists.length).toBeGreaterThanOrEqual(6);
    const withBrackets = curls.filter((each) => /http:\/\/[^"' ]*\[/.test(splitComment(each.command).command));
    expect(withBrackets.length).toBeGreaterThanOrEqual(6);
    for (const example of withBrackets) expect(example.command, `README.md:${example.line}`).toMatch(/^curl -g /);
  });

  it("run against imgmeta serve, and answer what the README says", { timeout: 120_000 }, async () => {
    const scratch = await mkdtemp(join(tmpdir(), "imgmeta-curl-"));
    const serving = await serve(["--quiet"]);
    try {
      // Without -g, curl refuses the raw brackets itself, as the README says.
      const [first] = curls.filter((example) => example.command.includes("/images/v2?"));
      const unglobbed = await runShell(first!.command.replace("curl -g ", "curl ").replace(DOCUMENTED_HOST, serving.url), { cwd: scratch, timeout: 30_000 });
      expect(unglobbed.code).toBe(3);
      expect(unglobbed.stderr).toContain("bad range in URL");

      for (const example of curls) {
        const where = `README.md:${example.line}: ${example.command}`;
        const command = example.command.replaceAll(DOCUMENTED_HOST, serving.url);
        const result = await runShell(command, { cwd: scratch, timeout: 30_000 });
        expect(result.code, where).toBe(0);
        if (result.stdout === "") {
          // The export, written to a file.
          expect(command, where).toMatch(/_imgmeta\/export" > store\.jsonl$/);
          expect(JSON.parse((await readFile(join(scratch, "store.jsonl"), "utf8")).split("\n")[0]!), where).toMatchObject({ format: "imgmeta-store", version: 1 });
          continue;
        }
        const body = JSON.parse(result.stdout) as { success: boolean; result: { images?: { id: string }[]; continuation_token?: string | null; id?: string; uploadURL?: string } };
        expect(body.success, where).toBe(true);
        const url = /"(http:\/\/[^"]+\/images\/v2\?[^"]+)"/.exec(command)?.[1];
        const stated = /^(\d+) images?/.exec(example.output ?? "");
        if (url !== undefined) {
          const ids = body.result.images!.map((image) => image.id);
          expect(stated, `${where}: the README states how many images`).not.toBeNull();
          expect(ids.length, where).toBe(Number(stated![1]));
          const expected = selected(new URL(url));
          if (body.result.continuation_token) expect(expected, where).toEqual(expect.arrayContaining(ids));
          else expect(ids.sort(), where).toEqual(expected);
          expect(Boolean(body.result.continuation_token), where).toBe(/continuation_token/.test(example.output ?? ""));
        } else if (command.includes("/direct_upload")) {
          expect(body.result, where).toMatchObject({ id: expect.any(String), uploadURL: expect.stringContaining(body.result.id!) });
        }
      }
    } finally {
      await serving.stop();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
