/**
 * Deep filters, as text and built by hand, and every public function that reads one: shared by
 * `test/nesting.test.ts` and the child process it runs on a small stack (`nesting-child.ts`).
 */
import type { FilterNode } from "../../src/syntax/ast.js";
import {
  check,
  FilterError,
  format,
  normalize,
  parse,
  plan,
  suggest,
  tokenize,
  toPredicate,
  toQueryString,
  toSearchParams,
  validate,
  type Issue,
} from "../../src/index.js";
import { listImages, toBindingFilter, toListParams } from "../../src/integrations.js";
import { toSql } from "../../src/sql.js";

/** Every limit that could stop a deep filter earlier, raised as far as it goes. */
export const RAISED = { limits: { maxNestingDepth: Infinity, maxInputLength: Infinity } } as const;

/** Texts nested `n` deep, each in its own way. */
export const TEXT_SHAPES: Readonly<Record<string, (n: number) => string>> = {
  "not chain": (n) => "not ".repeat(n) + "a = 1",
  "! chain": (n) => "!".repeat(n) + "a = 1",
  "nested parentheses": (n) => "(".repeat(n) + "a = 1" + ")".repeat(n),
  "mixed not (": (n) => {
    let open = "";
    let close = "";
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) open += "not ";
      else {
        open += "(b = 2 or ";
        close += ")";
      }
    }
    return open + "a = 1" + close;
  },
};

const leaf: FilterNode = { type: "compare", op: "eq", field: { type: "meta", path: ["a"] }, value: { value: 1 } };
const other: FilterNode = { type: "compare", op: "eq", field: { type: "meta", path: ["b"] }, value: { value: "x" } };

/** Filters built by hand, nested `n` deep as their text would be (the most nodes per level for and/or). */
export const TREE_SHAPES: Readonly<Record<string, (n: number) => FilterNode>> = {
  "not chain": (n) => {
    let node: FilterNode = leaf;
    for (let i = 0; i < n; i++) node = { type: "not", operand: node };
    return node;
  },
  // and(or(and(or(...)))): each `or` under an `and` is a level, each `and` under an `or` is not, so two nodes per level.
  "and/or alternation": (n) => {
    let node: FilterNode = { type: "and", operands: [leaf, other] };
    for (let i = 0; i < n; i++) node = { type: "and", operands: [{ type: "or", operands: [node, leaf] }, other] };
    return node;
  },
  "not/and alternation": (n) => {
    let node: FilterNode = leaf;
    for (let i = 0; i < n; i++) node = i % 2 === 0 ? { type: "not", operand: node } : { type: "and", operands: [node, other] };
    return node;
  },
};

/** A filter that contains itself: only a hand-built one can. */
export function cyclicFilter(): FilterNode {
  const operands: FilterNode[] = [leaf];
  const node: FilterNode = { type: "and", operands };
  operands.push({ type: "not", operand: node });
  return node;
}

/** Every public function that takes a filter, on one built by hand (with every limit raised where it takes limits). */
export const FILTER_READERS: Readonly<Record<string, (filter: FilterNode) => unknown>> = {
  validate: (f) => throwNesting(validate(f, RAISED)),
  normalize: (f) => normalize(f),
  format: (f) => format(f),
  toPredicate: (f) => toPredicate(f, RAISED)({ meta: { a: 1, b: "x" } }),
  toSearchParams: (f) => toSearchParams(f, RAISED),
  toQueryString: (f) => toQueryString(f, RAISED),
  plan: (f) => plan(f, RAISED),
  toListParams: (f) => toListParams(f, RAISED),
  toBindingFilter: (f) => toBindingFilter(f, RAISED),
  "toSql (sqlite)": (f) => toSql(f, { ...RAISED, dialect: "sqlite" }),
  "toSql (postgres)": (f) => toSql(f, { ...RAISED, dialect: "postgres" }),
  listImages: (f) => firstImage(f), // (it takes no limits: a built filter is how a deep one reaches it)
};

/** Every public function that reads filter text, with every limit raised; those that take only a filter get what `parse` read. */
export const TEXT_READERS: Readonly<Record<string, (text: string) => unknown>> = {
  parse: (text) => parse(text, RAISED),
  check: (text) => throwNesting(check(text, RAISED).issues),
  suggest: (text) => suggest(text, text.length, RAISED),
  tokenize: (text) => tokenize(text, RAISED),
  validate: (text) => validate(parse(text, RAISED), RAISED),
  normalize: (text) => normalize(parse(text, RAISED)),
  format: (text) => format(parse(text, RAISED)),
  toPredicate: (text) => toPredicate(text, RAISED)({ meta: { a: 1, b: "x" } }),
  toSearchParams: (text) => toSearchParams(text, RAISED),
  toQueryString: (text) => toQueryString(text, RAISED),
  plan: (text) => plan(text, RAISED),
  toListParams: (text) => toListParams(text, RAISED),
  toBindingFilter: (text) => toBindingFilter(text, RAISED),
  "toSql (sqlite)": (text) => toSql(text, { ...RAISED, dialect: "sqlite" }),
  "toSql (postgres)": (text) => toSql(text, { ...RAISED, dialect: "postgres" }),
};

/**
 * `check` and `validate` never throw: their `nesting-too-deep` issues are thrown here, so that `outcome`
 * reports them as it reports the other functions' errors.
 */
function throwNesting(issues: readonly Issue[]): void {
  if (issues.some((issue) => issue.code === "nesting-too-deep")) throw new FilterError([...issues]);
}

/** What `listImages` does with the filter before any request, run to its first request. */
async function firstImage(filter: FilterNode): Promise<unknown> {
  const source = { apiToken: "t", fetch: async () => Response.json({ success: true, errors: [], result: { images: [], continuation_token: null } }) };
  for await (const image of listImages(source, { accountId: "a", filter })) return image;
  return undefined;
}

/** How a call ended: "ok", the issue codes of a FilterError, or the name of anything else thrown. */
export async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (error instanceof Error && error.name === "FilterError") {
      return (error as Error & { issues: { code: string }[] }).issues.map((issue) => issue.code).join(",");
    }
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
