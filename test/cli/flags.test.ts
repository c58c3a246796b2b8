/**
 * Flags read as Node's strict `parseArgs` reads them, with each mistake told in one plain line.
 */
import { describe, expect, it } from "vitest";
import { closestName, readFlags, UsageError, type FlagSpecs } from "../../src/cli/flags.js";

const FLAGS: FlagSpecs = {
  "per-page": { type: "string" },
  port: { type: "string" },
  fault: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

function mistake(argv: string[], allowPositionals = true): string {
  try {
    readFlags(argv, FLAGS, allowPositionals);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(" ")} was read`);
}

describe("readFlags", () => {
  it("reads what strict parseArgs reads", () => {
    expect(readFlags(["--per-page", "10", "a = 1", "--json", "--fault=x", "--fault", "y", "-h"], FLAGS, true)).toEqual({
      values: { "per-page": "10", json: true, fault: ["x", "y"], help: true },
      positionals: ["a = 1"],
    });
    expect(readFlags(["--port=--x"], FLAGS, false).values).toEqual({ port: "--x" });
    expect(readFlags(["--", "--json"], FLAGS, true).positionals).toEqual(["--json"]);
  });

  it.each([
    [["--perpage", "10"], "unknown flag --perpage; did you mean --per-page?"],
    [["--prot", "9000"], "unknown flag --prot; did you mean --port?"],
    [["--JSON"], "unknown flag --JSON; did you mean --json?"],
    [["--faults", "x"], "unknown flag --faults; did you mean --fault?"],
    [["--bogus"], "unknown flag --bogus"],
    [["-x"], "unknown flag -x"],
    [["--per-page"], "--per-page needs a value"],
    [["--port", "--json"], "--port needs a value"],
    [["--port", "-1"], "--port needs a value"],
    [["--json=true"], "--json takes no value"],
  ])("%j: %s", (argv, message) => {
    expect(mistake(argv)).toBe(message);
  });

  it("refuses an argument where the command takes none", () => {
    expect(mistake(["--port", "1", "extra"], false)).toBe('unexpected argument "extra"');
  });
});

describe("closestName", () => {
  const known = ["--per-page", "--sort-order", "--json", "--port", "--host", "compile", "check"];

  it("finds a plausible typo: one edit in three characters, a swap of neighbours counting one", () => {
    expect(closestName("--perpage", known)).toBe("--per-page");
    expect(closestName("--sort_order", known)).toBe("--sort-order");
    expect(closestName("--hsot", known)).toBe("--host");
    expect(closestName("chekc", known)).toBe("check");
    expect(closestName("compiel", known)).toBe("compile");
  });

  it("suggests nothing for a word unlike any, one or two letters, or a long paste", () => {
    expect(closestName("--frobnicate", known)).toBeUndefined();
    expect(closestName("-j", known)).toBeUndefined();
    expect(closestName("--" + "x".repeat(1000), known)).toBeUndefined();
  });
});
