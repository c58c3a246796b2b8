/**
 * The CLI, run in-process through `main` (the built binary is tested in test/package, and every example
 * of the README from a fresh clone by `npm run test:readme`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main, USAGE, type CliOptions } from "../../src/cli/main.js";
import { format, plan } from "../../src/index.js";
import { apiFilterArb, filterArb, SEED } from "../support/arbitraries.js";

async function run(argv: string[], stdin = "", options: CliOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: async () => stdin }, options);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("imgmeta compile", () => {
  it("prints the query string", async () => {
    expect(await run(["compile", 'status = "active" and priority in (4, 5)'])).toEqual({
      code: 0,
      stdout: "meta.status[eq:string]=active&meta.priority[in:number]=4|5",
      stderr: "",
    });
  });

  it("reads standard input when no filter is given, and takes list options", async () => {
    const result = await run(["compile", "--per-page", "50", "--sort-order", "asc"], "rating >= 4\n");
    expect(result.stdout).toBe("meta.rating[gte:number]=4&per_page=50&sort_order=asc");
  });

  it("exits 1 with a code frame when the API cannot express the filter", async () => {
    const result = await run(["compile", "a = 1 or b = 2"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[or-not-supported]");
    expect(result.stderr).toContain("^~~~");
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  it.each([
    ["or", "a = 1 or b = 2"],
    ["a negation", "not status = deleted"],
    ["more filters than the API takes", "a = 1 and b = 2 and c = 3 and d = 4 and e = 5 and f = 6"],
    ["a list value with a pipe", 'tag in ("a|b", c)'],
  ])("points at `imgmeta plan` for a filter with %s, with the command to run", async (_, filter) => {
    const result = await run(["compile", filter]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("hint: the API cannot evaluate this filter whole; `imgmeta plan` shows the part it can, and what to apply locally:");
    expect(result.stderr.split("\n").at(-1)).toBe(`  imgmeta plan '${filter}'`);
  });

  it("quotes the suggested command for the shell, and gives no hint for a filter that does not read", async () => {
    expect((await run(["compile", "it's = 1 or b = 2"])).stderr).not.toContain("hint");
    expect((await run(["compile", 'name = "it\'s" or b = 2'])).stderr.split("\n").at(-1)).toBe(`  imgmeta plan 'name = "it'\\''s" or b = 2'`);
    const unreadable = await run(["compile", "a = 1 or"]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain("error[expected-field]");
    expect(unreadable.stderr).not.toContain("hint");
  });

  it("reports bad options plainly, as bad usage (exit 2)", async () => {
    for (const flag of [["--per-page", "5"], ["--per-page", "abc"], ["--sort-order", "up"]]) {
      const result = await run(["compile", ...flag, "a = 1"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^imgmeta compile: --(per-page must be a whole number from 10 to 10000|sort-order must be asc or desc), not "/);
    }
  });

  it("tells a mistyped flag in one line, with the closest flag", async () => {
    expect(await run(["compile", "--perpage", "100", "a = 1"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "imgmeta compile: unknown flag --perpage; did you mean --per-page? (imgmeta --help lists the commands and flags)",
    });
    expect((await run(["compile", "--sort", "asc", "a = 1"])).stderr).toMatch(/^imgmeta compile: unknown flag --sort \(/);
    expect((await run(["check", "--jsno", "a = 1"])).stderr).toMatch(/^imgmeta check: unknown flag --jsno; did you mean --json\? /);
    expect((await run(["compile", "--per-page"])).stderr).toMatch(/^imgmeta compile: --per-page needs a value /);
    expect((await run(["check", "--json=yes", "a = 1"])).stderr).toMatch(/^imgmeta check: --json takes no value /);
    for (const flags of [["--perpage"], ["--per-page"], ["--json=1"], ["-x"]]) {
      const result = await run(["compile", ...flags, "a = 1"]);
      expect(result.code).toBe(2);
      expect(result.stderr.split("\n")).toHaveLength(1);
      expect(result.stderr).not.toContain("To specify a positional argument"); // Node's own message
    }
  });
});

describe("imgmeta check", () => {
  it("says ok with the canonical filter", async () => {
    expect(await run(["check", "status:active && n IN (1)"])).toMatchObject({ code: 0, stdout: 'ok: status = "active" and n in (1)' });
    expect((await run(["check", ""], "")).stdout).toBe("ok: (matches every image)");
  });

  it("prints every issue with a code frame and exits 1", async () => {
    const result = await run(["check", 'a ~ 1 and b = "x']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("error[unexpected-character]");
    expect(result.stdout).toContain("error[unterminated-string]");
    expect(result.stdout.split("\n")).toContain(" 1 | a ~ 1 and b = \"x");
  });

  it("prints JSON on request", async () => {
    const result = await run(["check", "--json", "a = 1 or b = 2"]);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; filter: string; issues: { code: string }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.filter).toBe("a = 1 or b = 2");
    expect(parsed.issues.map((i) => i.code)).toEqual(["or-not-supported"]);
  });
});

describe("imgmeta explain", () => {
  it("prints the filter a query string means", async () => {
    expect((await run(["explain", "meta.status%5Beq%5D=active&meta.priority[in:number]=4|5&per_page=10"])).stdout).toBe(
      'status = "active" and priority in (4, 5)',
    );
    expect((await run(["explain"], "https://api.cloudflare.com/client/v4/accounts/a/images/v2?creator=u\n")).stdout).toBe('creator = "u"');
  });

  it("exits 1 on a malformed query", async () => {
    const result = await run(["explain", "meta.x[foo]=1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[unknown-operator]");
  });
});

describe("imgmeta plan", () => {
  it("prints what is sent to the API and what is applied locally", async () => {
    expect(await run(["plan", 'status = "active" and (priority = 1 or region.name = "eu-west")'])).toEqual({
      code: 0,
      stdout: ["sent to the API:  meta.status[eq:string]=active", 'applied locally:  priority = 1 or region.name = "eu-west"'].join("\n"),
      stderr: "",
    });
    expect((await run(["plan", "a = 1 or a = 2"])).stdout).toBe(
      ["sent to the API:  meta.a[in:number]=1|2", "applied locally:  nothing (the API evaluates the whole filter)"].join("\n"),
    );
    expect((await run(["plan"], "a = 1 or b = 2\n")).stdout).toBe(["sent to the API:  nothing (the API lists every image)", "applied locally:  a = 1 or b = 2"].join("\n"));
  });

  it("prints JSON on request, and keeps one condition per key with --unique-keys", async () => {
    const result = await run(["plan", "--json", 'status != "x" and rating >= 4']);
    expect(JSON.parse(result.stdout)).toEqual({ query: "meta.rating[gte:number]=4", sent: "rating >= 4", local: 'status != "x"', exact: false });
    const unique = await run(["plan", "--json", "--unique-keys", "a = 1 and a = 2"]);
    expect(JSON.parse(unique.stdout)).toEqual({ query: "meta.a[eq:number]=1", sent: "a = 1", local: "a = 2", exact: false });
  });

  it("exits 1 with a code frame for a filter that does not read", async () => {
    const result = await run(["plan", "a = 1 or"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[expected-field]");
  });

  it("prints the plan's own parameters, in the readable form compile uses, and the residual that goes with them", () => {
    fc.assert(
      fc.asyncProperty(fc.oneof(apiFilterArb, filterArb), async (filter) => {
        let expected: ReturnType<typeof plan>;
        try {
          expected = plan(filter);
        } catch {
          return; // a filter plan refuses (a NaN, ...) is refused by the CLI too
        }
        const text = format(filter);
        const result = await run(["plan", "--json", text]);
        const printed = JSON.parse(result.stdout) as { query: string; local: string | null };
        expect([...new URLSearchParams(printed.query)]).toEqual([...plan(text).params]);
        expect(printed.local).toBe(expected.residual && format(expected.residual));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("usage", () => {
  it("prints help, and exits 2 on unknown commands, naming the closest", async () => {
    expect(await run(["--help"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect(await run(["compile", "--help"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect((await run([])).code).toBe(2);
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('imgmeta: unknown command "frobnicate" (imgmeta --help lists the commands and flags)');
    for (const name of ["toString", "__proto__", "constructor"]) {
      expect(await run([name], "", { commands: { serve: async () => 0 } })).toEqual({ code: 2, stdout: "", stderr: `imgmeta: unknown command "${name}" (imgmeta --help lists the commands and flags)` });
    }
    expect((await run(["compil", "a = 1"])).stderr).toMatch(/^imgmeta: unknown command "compil"; did you mean "compile"\? /);
    expect((await run(["serv"], "", { commands: { serve: async () => 0 } })).stderr).toMatch(/did you mean "serve"\?/);
    expect((await run(["--verison"])).stderr).toMatch(/^imgmeta: unknown flag --verison; did you mean --version\? /);
  });

  it("prints the version it is given", async () => {
    for (const flag of ["--version", "-v"]) expect(await run([flag], "", { version: () => "1.2.3" })).toEqual({ code: 0, stdout: "1.2.3", stderr: "" });
  });

  it("hands extra commands their arguments", async () => {
    const seen: string[][] = [];
    const result = await run(["serve", "--port", "1"], "", { commands: { serve: async (argv) => void seen.push(argv) } });
    expect(result.code).toBe(0);
    expect(seen).toEqual([["--port", "1"]]);
  });
});
