/**
 * AST → canonical text. `parse(format(f))` gives back `f` (spans aside): every string is double-quoted,
 * numbers keep their sign (`-0`) and size (`1e999`), parentheses appear exactly where the tree needs them,
 * and path segments are backtick-quoted when they are not plain names.
 */
import type { Field, FilterNode, Literal, Scalar } from "./ast.js";
import { FilterError, issueAt } from "./issues.js";
import { KEYWORDS } from "./tokens.js";

const OPERATOR_TEXT = { eq: "=", ne: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

/** Precedence of each node kind when written: higher binds tighter. */
function precedence(node: FilterNode): number {
  switch (node.type) {
    case "or":
      return 1;
    case "and":
      return 2;
    case "not":
      return 3;
    default:
      return 4;
  }
}

/**
 * Writes a filter as canonical text, e.g. `status = "active" and priority in (4, 5)`.
 * The empty filter (matches everything) is the empty string.
 * @throws FilterError (`non-finite-number`) for a `NaN` value, which a filter built by hand can hold but
 * no text can: written `NaN`, it would read back as the word "NaN", a string, and change the meaning.
 */
export function format(filter: FilterNode): string {
  const nan = findNaN(filter);
  if (nan) throw new FilterError([issueAt("non-finite-number", "NaN has no text form (no number in the language reads as NaN)", nan.span)]);
  return canonicalText(filter);
}

function findNaN(node: FilterNode): Literal | undefined {
  switch (node.type) {
    case "all":
      return undefined;
    case "compare":
      return Number.isNaN(node.value.value) ? node.value : undefined;
    case "in":
      return node.values.find((literal) => Number.isNaN(literal.value));
    case "not":
      return findNaN(node.operand);
    case "and":
    case "or":
      for (const operand of node.operands) {
        const found = findNaN(operand);
        if (found) return found;
      }
      return undefined;
  }
}

/**
 * {@link format} without the check for `NaN` (written `NaN`): a key for structural equality, which
 * holds for every tree.
 */
export function canonicalText(filter: FilterNode): string {
  switch (filter.type) {
    case "all":
      return "";
    case "compare":
      return `${formatField(filter.field)} ${OPERATOR_TEXT[filter.op]} ${formatLiteral(filter.value)}`;
    case "in":
      return `${formatField(filter.field)} ${filter.negated ? "not in" : "in"} (${filter.values
        .map(formatLiteral)
        .join(", ")})`;
    case "not":
      return `not ${operand(filter.operand, 3)}`;
    case "and":
    case "or": {
      // An operand of the same kind is parenthesised too, so the tree's shape survives a round trip.
      const own = precedence(filter);
      return filter.operands.map((child) => operand(child, own + 1)).join(` ${filter.type} `);
    }
  }
}

function operand(node: FilterNode, min: number): string {
  const text = canonicalText(node);
  return precedence(node) < min ? `(${text})` : text;
}

/** Writes a field: `creator`, `status`, `region.name`, `` `my key`.x ``, `meta.creator`. */
export function formatField(field: Field): string {
  if (field.type === "creator") return "creator";
  const text = field.path.map(formatSegment).join(".");
  // Keep the meaning of paths that would otherwise read as the creator or lose a leading `meta`.
  const first = field.path[0];
  const needsPrefix = (field.path.length === 1 && first === "creator") || (field.path.length > 1 && first === "meta");
  return needsPrefix ? `meta.${text}` : text;
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Writes one path segment: as it is if it is a plain name, else in backticks. */
export function formatSegment(segment: string): string {
  if (PLAIN_NAME.test(segment) && !KEYWORDS.includes(segment.toLowerCase())) return segment;
  return "`" + segment.replace(/[\\`]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f]/g, escapeControl) + "`";
}

function escapeControl(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Writes a literal value as the language reads it. */
export function formatLiteral(literal: Literal): string {
  return formatScalar(literal.value);
}

/** Writes a scalar: strings JSON-quoted, numbers in JSON syntax (with `-0` and `±1e999`), booleans bare. */
export function formatScalar(value: Scalar): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return numberText(value);
  return value ? "true" : "false";
}

/**
 * A number in the text form both the language and the query string read back to the same value:
 * `String(n)` except for `-0`, and `1e999`/`-1e999` for the infinities (which the validator refuses).
 */
export function numberText(value: number): string {
  if (Object.is(value, -0)) return "-0";
  if (value === Infinity) return "1e999";
  if (value === -Infinity) return "-1e999";
  return String(value);
}
