/**
 * The Workers Images binding's metadata filter (`env.IMAGES.hosted.list({ filter })`), evaluated as the
 * REST API documents its semantics (`/work/shared/reference/workers-binding-filter.md`, and the README's
 * `toBindingFilter` paragraph): a test oracle for what `toBindingFilter`'s output selects.
 *
 * - Every key is ANDed, and so is every operator on one key; a bare value means `eq`.
 * - A key is a path split on `.`, walked from `meta ?? {}` through **own properties of objects**, never
 *   into arrays (Miniflare's local copy walks `tags.0` and reads `length`: a difference the library
 *   deliberately does not copy); anything else on the way means the value is missing.
 * - `eq` is `===` (no coercion); `in` is any element `===`, and matches nothing unless it is an array;
 *   `gt`/`gte`/`lt`/`lte` need a stored number; an unknown operator matches nothing; an operators object
 *   with none (`{}`) matches every image, even one without the key.
 *
 * Outputs that would lean on the looser corners (`{}`, `undefined`, unknown operators, empty lists,
 * non-number bounds) are also named by {@link bindingOutputProblems}: `toBindingFilter` must emit none.
 */
import type { ImageRecord } from "../../src/index.js";
import type { BindingFilter } from "../../src/integrations.js";

const RANGES = new Set(["gt", "gte", "lt", "lte"]);

/** The value a binding key (`region.name`) selects in an image's `meta`, or undefined when it is missing. */
export function bindingValueAt(meta: unknown, key: string): unknown {
  let value: unknown = meta ?? {};
  for (const name of key.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** Whether one operator holds for a stored value. */
function operatorHolds(operator: string, operand: unknown, stored: unknown): boolean {
  if (operator === "eq") return stored === operand;
  if (operator === "in") return Array.isArray(operand) && operand.some((value) => value === stored);
  if (!RANGES.has(operator) || typeof stored !== "number") return false;
  // The bound is compared as the binding compares it (a non-number would coerce: bindingOutputProblems names it).
  const bound = operand as number;
  if (operator === "gt") return stored > bound;
  if (operator === "gte") return stored >= bound;
  if (operator === "lt") return stored < bound;
  return stored <= bound;
}

/** Whether the binding's filter selects `image`. */
export function bindingSelects(filter: BindingFilter, image: ImageRecord): boolean {
  for (const [key, condition] of Object.entries(filter.metadata ?? {})) {
    const stored = bindingValueAt(image.meta, key);
    const operators: [string, unknown][] = typeof condition === "object" && condition !== null ? Object.entries(condition) : [["eq", condition]];
    if (!operators.every(([operator, operand]) => operatorHolds(operator, operand, stored))) return false;
  }
  return true;
}

function isScalar(value: unknown): boolean {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/**
 * What `toBindingFilter` must never emit (the reference's list), as one line each: `{}` as a key's
 * condition, `undefined` anywhere, unknown operators, an empty, mixed or non-array `in`, a non-number or
 * non-finite range bound, an empty `metadata`, anything beside `metadata` (the binding's creator is an
 * option of `list()`, not of its filter). Empty when the output is well-formed.
 */
export function bindingOutputProblems(output: unknown): string[] {
  if (typeof output !== "object" || output === null || Array.isArray(output)) return ["the output is not an object"];
  const problems = Object.keys(output)
    .filter((key) => key !== "metadata")
    .map((key) => `unexpected key ${JSON.stringify(key)} beside metadata`);
  if (!("metadata" in output)) return problems;
  const metadata = (output as { metadata: unknown }).metadata;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return [...problems, "metadata is not an object"];
  const entries = Object.entries(metadata);
  if (entries.length === 0) problems.push("metadata is empty (matches every image: the output of no condition is {})");
  for (const [key, condition] of entries) {
    if (isScalar(condition)) continue;
    if (typeof condition !== "object" || condition === null || Array.isArray(condition)) {
      problems.push(`${key}: ${condition === undefined ? "undefined" : JSON.stringify(condition)} is not a value or operators`);
      continue;
    }
    const operators = Object.entries(condition);
    if (operators.length === 0) problems.push(`${key}: {} matches every image`);
    for (const [operator, operand] of operators) {
      if (operator === "eq") {
        if (!isScalar(operand)) problems.push(`${key}.eq is not a string, a finite number or a boolean`);
      } else if (operator === "in") {
        const list: unknown[] = Array.isArray(operand) ? operand : [];
        const kinds = new Set(list.map((value) => (isScalar(value) ? typeof value : "bad")));
        if (list.length === 0 || kinds.size !== 1 || kinds.has("bad") || kinds.has("boolean")) {
          problems.push(`${key}.in is not a non-empty list of strings or of numbers`);
        }
      } else if (RANGES.has(operator)) {
        if (typeof operand !== "number" || !Number.isFinite(operand)) problems.push(`${key}.${operator} is not a finite number`);
      } else {
        problems.push(`${key}: unknown operator ${JSON.stringify(operator)}`);
      }
    }
  }
  return problems;
}
