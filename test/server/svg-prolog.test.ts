/**
 * The SVG check reads a file's prolog (BOM, `<?xml ...?>`, comments, doctypes) in one forward pass. It
 * was a regular expression that backtracked exponentially on repeated comments: 280 bytes of `<!---->`
 * froze the emulator for hours. The scanner must decide exactly as that expression did wherever the
 * expression finished, and answer hostile prologs at once, over HTTP too, without stalling other clients.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/server/errors.js";
import { detectFormat } from "../../src/server/formats.js";
import { SEED } from "../support/arbitraries.js";
import { ACCOUNT, AUTH, envelope } from "../support/emulator.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The expression `isSvg` used before the scanner: the oracle, on inputs small enough for it to finish. */
const FORMER_PROLOG = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>/]/i;

/** The pieces a prolog is made of, their near misses, case variants and characters that fold oddly. */
const PIECES = [
  " ", "\n", "\t", "\uFEFF", "\u00a0", "\u3000", "\u2028",
  "<?xml", "<?XmL", "?", "?>", ">", "<", "!", "-", "--", "<!--", "-->", "<!-", "<!---->",
  "<!DOCTYPE", "<!doctype", "<!DocType", "<!DOCTYP", " svg", "svg",
  "<svg", "<SVG", "<sVg", "<svg>", "<svg/>", "<svg ", "<svgx", "/", "x",
  "\u017f", "\u212a", "\u0130", "<html>",
];

/** Prologs of pieces in any order, mostly near misses. */
const jumbleArb = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 2, unit: "binary" }) }), {
    maxLength: 10,
  })
  .map((pieces) => pieces.join(""));

const join = (parts: fc.Arbitrary<string[]>): fc.Arbitrary<string> => parts.map((pieces) => pieces.join(""));
const spaceArb = join(fc.array(fc.constantFrom(" ", "\n", "\uFEFF", "\u3000"), { maxLength: 2 }));
/** What may stand inside a declaration, comment or doctype, the ends of other items included. */
const innerArb = join(fc.array(fc.constantFrom(" ", "x", "-", "--", ">", "?", "-->", "<!--", "<svg>", "<!DOCTYPE"), { maxLength: 3 }));
const itemArb = fc.oneof(
  join(fc.tuple(fc.constant("<!--"), innerArb, fc.constantFrom("-->", "->", "--", ""))),
  join(fc.tuple(fc.constantFrom("<!DOCTYPE", "<!doctype", "<!DOCTYP"), innerArb, fc.constantFrom(">", ""))),
);

/** Prologs built as the expression reads them (declaration, items, root), each part sometimes broken. */
const structuredArb = join(
  fc.tuple(
    spaceArb,
    fc.option(join(fc.tuple(fc.constantFrom("<?xml", "<?XML"), innerArb, fc.constantFrom("?>", ">", ""), spaceArb)), { nil: "" }),
    join(fc.array(join(fc.tuple(itemArb, spaceArb)), { maxLength: 4 })),
    fc.constantFrom("<svg>", "<svg/", "<SVG ", "<svg\u3000", "<svgx", "<svg", "svg>", "x", ""),
  ),
);

const prologArb = fc.oneof(jumbleArb, structuredArb);

describe("the SVG prolog scanner", () => {
  it("accepts and refuses exactly what the former expression did", () => {
    let accepted = 0;
    fc.assert(
      fc.property(prologArb, (prolog) => {
        const bytes = text(prolog);
        const expected = FORMER_PROLOG.test(new TextDecoder().decode(bytes));
        if (expected) accepted++;
        expect(detectFormat(bytes)?.name).toBe(expected ? "svg" : undefined);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
    // Not vacuous: a fair share of the generated prologs are SVG.
    expect(accepted).toBeGreaterThan(1000);
  });

  it("agrees with it on the cases that matter, a comment ending at a later `-->` included", () => {
    for (const [prolog, svg] of [
      ['<?xml version="1.0"?>\n<!-- a -->\n<!DOCTYPE svg>\n<svg xmlns="x"/>', true],
      ["\uFEFF\uFEFF \n<SVG>", true],
      ["<!-- a --> junk --> <svg>", true],
      ["<!-- a --> junk <svg>", false],
      ["<!--><svg>", false],
      ["<!----><svg>", true],
      ["<!-- a --><!--><svg>", true],
      ["<?xml><svg>", false],
      ["<?xml?><svg>", true],
      ["<?xml ?> <?xml ?><svg>", false],
      ["<!DOCTYPE <svg> <svg>", true],
      ["<!DOCTYPE svg", false],
      ["<svg", false],
      ["<svgx>", false],
      ["<\u017fvg>", false],
    ] as const) {
      expect(FORMER_PROLOG.test(prolog), prolog).toBe(svg);
      expect(detectFormat(text(prolog))?.name, prolog).toBe(svg ? "svg" : undefined);
    }
  });

  it("answers the prologs that made the expression backtrack for hours at once", () => {
    for (const hostile of [
      "<!---->".repeat(40) + "x",
      "<!---->".repeat(585) + "x", // the whole 4 KiB looked at
      "<!--".repeat(1024),
      "-->".repeat(1365),
      "<!-- " + "--> ".repeat(1000),
      "<!DOCTYPE".repeat(455),
      "<!DOCTYPE >".repeat(372) + "x",
      "<?xml ?>" + " ".repeat(4000),
    ]) {
      expect(detectFormat(text(hostile))).toBeUndefined();
    }
    expect(detectFormat(text("<!---->".repeat(500) + "<svg/>"))?.name).toBe("svg");
    expect(detectFormat(text("<!-- -->\n".repeat(400) + "<!DOCTYPE svg>\n".repeat(20) + "<svg>"))?.name).toBe("svg");
  });
});

describe("a hostile SVG upload, over HTTP", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGKILL");
  });

  /** The emulator in a process of its own, so that a frozen one fails this test instead of freezing the suite. */
  function start(): Promise<string> {
    const started = spawn(process.execPath, ["--import", "tsx", "src/server/start.ts", "--port", "0", "--seed", "0"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    let stderr = "";
    started.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      createInterface({ input: started.stdout! }).on("line", (line) => {
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match) resolve(match[1]!);
      });
      started.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${stderr}`)));
    });
  }

  it("is answered 400/5415, and another client is served meanwhile", { timeout: 30_000 }, async () => {
    const url = await start();
    const api = `${url}/client/v4/accounts/${ACCOUNT}`;
    const upload = (body: string): Promise<Response> => {
      const form = new FormData();
      form.append("file", new Blob([body]), "b.svg");
      return fetch(`${api}/images/v1`, { method: "POST", headers: AUTH, body: form });
    };
    const [small, large, list] = await Promise.all([
      upload("<!---->".repeat(40) + "x"),
      upload("<!---->".repeat(585) + "x"),
      fetch(`${api}/images/v2`, { headers: AUTH }),
    ]);
    for (const response of [small, large]) {
      expect(response.status).toBe(400);
      expect((await envelope(response)).errors.map((error) => error.code)).toEqual([ErrorCode.unsupportedFormat]);
    }
    expect(list.status).toBe(200);
    expect((await envelope(list)).success).toBe(true);
  });
});
