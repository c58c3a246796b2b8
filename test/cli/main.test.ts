/**
 * The CLI, run in-process through `main` (the built binary is tested in test/package).
 */
import { describe, expect, it } from "vitest";
import { main, type ExtraCommand } from "../../src/cli/main.js";

async function run(argv: string[], stdin = "", extra: Record<string, ExtraCommand> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: async () => stdin }, extra);
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

  it("reports bad options plainly, as bad usage (exit 2)", async () => {
    for (const flag of [["--per-page", "5"], ["--per-page", "abc"], ["--sort-order", "up"]]) {
      const result = await run(["compile", ...flag, "a = 1"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^imgmeta compile: --(per-page must be a whole number from 10 to 10000|sort-order must be asc or desc), not "/);
    }
    const unknown = await run(["compile", "--bogus", "a = 1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
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

describe("usage", () => {
  it("prints help, and exits 2 on unknown commands", async () => {
    expect((await run(["--help"])).code).toBe(0);
    expect((await run([])).code).toBe(2);
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it("hands extra commands their arguments", async () => {
    const seen: string[][] = [];
    const result = await run(["serve", "--port", "1"], "", { serve: async (argv) => void seen.push(argv) });
    expect(result.code).toBe(0);
    expect(seen).toEqual([["--port", "1"]]);
  });
});
