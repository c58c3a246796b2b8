/**
 * Field schemas: what a search box knows about the metadata it filters. With one, `check` also reports
 * unknown fields (warnings, with "did you mean"), values of the wrong type, and values outside an enum;
 * `suggest` completes field names and values from it.
 */
import { isRange, scalarType, type CompareNode, type Field, type FilterNode, type InNode, type Literal, type Scalar, type ScalarType } from "../syntax/ast.js";
import { didYouMean } from "../syntax/did-you-mean.js";
import { formatField, formatScalar } from "../syntax/format.js";
import { issueAt, withReplacement, type Issue } from "../syntax/issues.js";

/** What is known of one metadata field. */
export interface FieldSpec {
  /** The type of its values: conditions with another type match nothing and are errors. */
  readonly type: ScalarType;
  /** The allowed values, if the field is an enum. */
  readonly values?: readonly Scalar[];
  /** Shown next to the field in completions. */
  readonly description?: string;
}

/**
 * Fields by dotted path (`"region.name"`), each a {@link FieldSpec} or just its type:
 * `{ status: { type: "string", values: ["active", "pending"] }, priority: "number" }`.
 */
export type FieldSchema = Readonly<Record<string, FieldSpec | ScalarType>>;

/** The spec of a schema entry, with the shorthand expanded. */
export function fieldSpec(entry: FieldSpec | ScalarType): FieldSpec {
  return typeof entry === "string" ? { type: entry } : entry;
}

/** The schema key of a metadata field: its path joined with dots. */
export function schemaKey(field: Field): string | undefined {
  return field.type === "meta" ? field.path.join(".") : undefined;
}

/** Checks every condition of a filter against a schema. */
export function checkFields(filter: FilterNode, fields: FieldSchema): Issue[] {
  const issues: Issue[] = [];
  const visit = (node: FilterNode): void => {
    switch (node.type) {
      case "and":
      case "or":
        node.operands.forEach(visit);
        return;
      case "not":
        visit(node.operand);
        return;
      case "all":
        return;
      case "compare":
      case "in":
        checkCondition(node, fields, issues);
    }
  };
  visit(filter);
  return issues;
}

function checkCondition(node: CompareNode | InNode, fields: FieldSchema, issues: Issue[]): void {
  const field = node.field;
  const values = node.type === "in" ? node.values : [node.value];
  const key = schemaKey(field);
  if (key === undefined) return; // creator: checked by the API rules
  const entry = Object.hasOwn(fields, key) ? fields[key] : undefined;
  if (entry === undefined) {
    const guess = didYouMean(key, Object.keys(fields));
    const replacement = guess === undefined ? undefined : formatField({ type: "meta", path: guess.split(".") });
    const issue = issueAt(
      "unknown-field",
      `unknown field ${JSON.stringify(key)}${replacement ? `; did you mean ${JSON.stringify(guess)}?` : ""}`,
      field.span,
    );
    issues.push(withReplacement({ ...issue, severity: "warning" }, replacement));
    return;
  }
  const spec = fieldSpec(entry);
  if (isRange(node) && spec.type !== "number") {
    issues.push(
      issueAt("type-mismatch", `${key} is a ${spec.type}: <, <=, > and >= apply only to number fields`, node.span),
    );
    return;
  }
  for (const literal of values) {
    const type = scalarType(literal.value);
    if (type !== spec.type) {
      issues.push(typeMismatch(key, spec, literal));
    } else if (spec.values && !isRange(node) && !spec.values.includes(literal.value)) {
      // A range bound need not be one of the values: `priority > 2.5` is fine.
      const guess = typeof literal.value === "string" ? didYouMean(literal.value, spec.values.filter((v): v is string => typeof v === "string")) : undefined;
      const allowed = spec.values.map(formatScalar).join(", ");
      issues.push(
        withReplacement(
          issueAt(
            "unknown-value",
            `${formatScalar(literal.value)} is not a value of ${key} (${allowed})${guess !== undefined ? `; did you mean ${formatScalar(guess)}?` : ""}`,
            literal.span,
          ),
          guess === undefined ? undefined : formatScalar(guess),
        ),
      );
    }
  }
}

function typeMismatch(key: string, spec: FieldSpec, literal: Literal): Issue {
  const value = literal.value;
  const fix = convert(value, spec.type);
  const hint = fix === undefined ? "" : `; write ${formatScalar(fix)}`;
  return withReplacement(
    issueAt("type-mismatch", `${key} is a ${spec.type}, but ${formatScalar(value)} is a ${scalarType(value)}${hint}`, literal.span),
    fix === undefined ? undefined : formatScalar(fix),
  );
}

/** The value the user most likely meant, in the field's type: `"5"` → 5, `ture` → true, 5 → "5". */
function convert(value: Scalar, type: ScalarType): Scalar | undefined {
  if (type === "string") return String(value);
  if (typeof value !== "string") return undefined;
  if (type === "number") {
    const number = value.trim() === "" ? NaN : Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  const guess = didYouMean(value, ["true", "false"]) ?? (value === "true" || value === "false" ? value : undefined);
  return guess === undefined ? undefined : guess === "true";
}
