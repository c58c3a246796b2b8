/**
 * No regular expression in `src/` can backtrack super-linearly, checked with recheck's ReDoS analysis.
 *
 * The patterns are not listed by hand: every `.ts` file under `src/` is parsed with the TypeScript
 * compiler, and every regular expression literal and every `RegExp(...)` / `new RegExp(...)` with a
 * literal source is checked, with its own flags. A `RegExp` built from a value the test cannot read (or a
 * `match`/`matchAll`/`search` given a string, which builds one) fails the test unless it is one of the
 * explained exceptions below, which say how that site is checked instead.
 *
 * The token patterns are also checked as Chevrotain applies them (anchored at the current offset):
 * imgmeta's own lexer scans without them, but they are the tokens' definition, and whoever builds a
 * Chevrotain lexer from them (as `test/syntax/lexer.test.ts` does) gets a linear one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSync } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { allTokens, KEYWORD_TOKENS, KEYWORDS } from "../src/syntax/tokens.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A regular expression found in the source, where it is written. */
interface FoundPattern {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

/** A place that builds a regular expression from something that is not a literal. */
interface DynamicSite {
  readonly file: string;
  readonly where: string;
  readonly code: string;
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.isFile() && entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The text of a string literal, or undefined when the expression is anything else. */
function literalText(node: ts.Expression | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

function isRegExpConstructor(callee: ts.Expression): boolean {
  return (ts.isIdentifier(callee) && callee.text === "RegExp") || (ts.isPropertyAccessExpression(callee) && callee.name.text === "RegExp");
}

/**
 * True for `createToken({ pattern: /.../ })`: Chevrotain applies a token's pattern at the current offset
 * only (it adds the sticky flag), and nothing else in `src/` applies token patterns, so they are checked
 * as sticky patterns. (Unanchored, a string pattern is quadratic: it would scan from every quote.)
 */
function isTokenPattern(node: ts.RegularExpressionLiteral): boolean {
  const property = node.parent;
  const object = property?.parent;
  const call = object?.parent;
  return (
    ts.isPropertyAssignment(property) &&
    ts.isIdentifier(property.name) &&
    property.name.text === "pattern" &&
    ts.isObjectLiteralExpression(object) &&
    ts.isCallExpression(call) &&
    ts.isIdentifier(call.expression) &&
    call.expression.text === "createToken"
  );
}

/** Methods that turn a string argument into a regular expression. */
const IMPLICIT_REGEXP_METHODS = new Set(["match", "matchAll", "search"]);

function findRegExps(): { patterns: FoundPattern[]; dynamic: DynamicSite[] } {
  const patterns: FoundPattern[] = [];
  const dynamic: DynamicSite[] = [];
  for (const path of typescriptFiles(join(ROOT, "src"))) {
    const file = relative(ROOT, path).split("\\").join("/");
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    const whereOf = (node: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const slash = node.text.lastIndexOf("/");
        const flags = node.text.slice(slash + 1);
        patterns.push({ where: whereOf(node), source: node.text.slice(1, slash), flags: isTokenPattern(node) ? `${flags}y` : flags });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isRegExpConstructor(node.expression)) {
        const [sourceArg, flagsArg] = node.arguments ?? [];
        const text = literalText(sourceArg);
        const flags = flagsArg === undefined ? "" : literalText(flagsArg);
        if (text !== undefined && flags !== undefined) patterns.push({ where: whereOf(node), source: text, flags });
        else dynamic.push({ file, where: whereOf(node), code: node.getText() });
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        IMPLICIT_REGEXP_METHODS.has(node.expression.name.text) &&
        !(node.arguments[0] && ts.isRegularExpressionLiteral(node.arguments[0]))
      ) {
        dynamic.push({ file, where: whereOf(node), code: node.getText() });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { patterns, dynamic };
}

/**
 * The sites that build a regular expression from a value, each with the reason it is safe and a check
 * of that reason. A new site fails the test until it is handled here (or, better, written as a literal).
 */
const EXPLAINED_DYNAMIC_SITES: readonly { file: string; code: string; why: string; verify: () => void }[] = [
  {
    file: "src/syntax/tokens.ts",
    code: 'new RegExp(word, "i")',
    why: "keyword() builds the pattern of each keyword token from its word: the patterns it makes are the keyword tokens' PATTERNs, checked with the token patterns",
    verify: () => {
      expect(KEYWORDS).toEqual(["and", "or", "not", "in", "true", "false"]);
      for (const token of KEYWORD_TOKENS) {
        expect(allTokens).toContain(token);
        expect(token.PATTERN).toBeInstanceOf(RegExp);
        // A plain word: it matches one way or not at all.
        expect((token.PATTERN as RegExp).source).toMatch(/^[a-z]+$/);
      }
    },
  },
];

const found = findRegExps();

/** recheck's flags: `d` (match indices) changes what a match reports, not how it is found. */
const checkedFlags = (flags: string): string => flags.replace("d", "");

describe("every regular expression in src/", () => {
  it("is found: the search sees the patterns it should (it cannot pass on an empty list)", () => {
    expect(found.patterns.length).toBeGreaterThan(20);
    const has = (file: string, source: string, flags = ""): boolean =>
      found.patterns.some((pattern) => pattern.where.startsWith(`${file}:`) && pattern.source === source && pattern.flags === flags);
    expect(has("src/targets/from-search-params.ts", String.raw`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`)).toBe(true);
    expect(has("src/syntax/unicode.ts", String.raw`\p{Cs}`, "u")).toBe(true);
    expect(has("src/server/auth.ts", String.raw`^Bearer ([A-Za-z0-9\-._~+/]+=*)$`)).toBe(true);
    expect(has("src/syntax/tokens.ts", String.raw`"(?:[^"\\]|\\[^])*"|'(?:[^'\\]|\\[^])*'`, "y")).toBe(true);
    expect(has("src/targets/sql.ts", String.raw`["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`, "g")).toBe(true);
    // The two that backtracked are gone for good: the SVG prolog and the filter key are read by scanners.
    expect(found.patterns.filter((pattern) => pattern.source.includes("<!--") || pattern.source.includes("<svg"))).toEqual([]);
    expect(found.patterns.filter((pattern) => pattern.source.startsWith(String.raw`^meta\.`))).toEqual([]);
  });

  const unique = [...new Map(found.patterns.map((pattern) => [`/${pattern.source}/${pattern.flags}`, pattern])).values()];
  it.each(unique.map((pattern) => [`${pattern.where} /${pattern.source}/${pattern.flags}`, pattern] as const))("%s is linear", (_name, pattern) => {
    const result = checkSync(pattern.source, checkedFlags(pattern.flags));
    expect(result.status, result.status === "vulnerable" ? `attack: ${result.attack.pattern}` : undefined).toBe("safe");
  });

  it("is written as a literal, or built at a site explained above and checked there", () => {
    const explained = (site: DynamicSite): boolean =>
      EXPLAINED_DYNAMIC_SITES.some((exception) => exception.file === site.file && exception.code === site.code);
    expect(found.dynamic.filter((site) => !explained(site))).toEqual([]);
    for (const exception of EXPLAINED_DYNAMIC_SITES) {
      // An exception for a site that no longer exists would hide the next one.
      expect(found.dynamic.some((site) => site.file === exception.file && site.code === exception.code), exception.why).toBe(true);
      exception.verify();
    }
  });
});

describe("lexer patterns, as Chevrotain applies them (sticky)", () => {
  const patterns = allTokens.flatMap((token) => (token.PATTERN instanceof RegExp ? [[token.name, token.PATTERN] as const] : []));

  it.each(patterns)("%s is linear", (_name, pattern) => {
    const result = checkSync(pattern.source, `${pattern.flags}y`);
    expect(result.status).toBe("safe");
  });
});

describe("the checker", () => {
  it("does catch vulnerable patterns: exponential, quadratic, and the two this project had", () => {
    expect(checkSync("^(?:(a+)+$)", "").status).toBe("vulnerable");
    expect(checkSync("=+$", "").status).toBe("vulnerable");
    expect(checkSync(String.raw`^meta\.(.+)\[([^\]:]*)(?::([^\]]*))?\]$`, "").status).toBe("vulnerable");
    expect(checkSync(String.raw`^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>/]`, "i").status).toBe("vulnerable");
  });

  it("reads the sticky flag as anchoring", () => {
    expect(checkSync("=+$", "y").status).toBe("safe");
  });
});
