/**
 * A field schema inferred from sample metadata, for the playground's completions: every path to a
 * scalar, its most common type, and for strings and numbers with few distinct values, those values.
 */
import type { FieldSchema, FieldSpec, Scalar, ScalarType } from "../index.js";

const MAX_DEPTH = 5;
const MAX_ENUM = 12;

interface Seen {
  readonly types: Map<ScalarType, number>;
  readonly values: Map<string, Scalar>;
}

/** Infers a schema from a sample of `meta` objects. */
export function inferSchema(sample: readonly unknown[]): FieldSchema {
  const seen = new Map<string, Seen>();
  const visit = (value: unknown, path: string[]): void => {
    if (value === null || Array.isArray(value)) return;
    if (typeof value === "object") {
      if (path.length >= MAX_DEPTH) return;
      for (const [key, child] of Object.entries(value)) {
        // The schema is keyed by dotted paths, so names holding a dot cannot be described.
        if (!key.includes(".")) visit(child, [...path, key]);
      }
      return;
    }
    if (path.length === 0) return; // metadata that is not an object has no fields
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return;
    const key = path.join(".");
    let entry = seen.get(key);
    if (!entry) seen.set(key, (entry = { types: new Map(), values: new Map() }));
    const type = typeof value as ScalarType;
    entry.types.set(type, (entry.types.get(type) ?? 0) + 1);
    if (entry.values.size <= MAX_ENUM) entry.values.set(`${type}:${String(value)}`, value);
  };
  for (const meta of sample) visit(meta, []);

  const schema: Record<string, FieldSpec> = {};
  for (const [key, { types, values }] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const type = [...types].sort((a, b) => b[1] - a[1])[0]![0];
    const ofType = [...values.values()].filter((value) => typeof value === type);
    const isEnum = type !== "boolean" && values.size <= MAX_ENUM;
    schema[key] = isEnum ? { type, values: ofType.sort(), description: `${ofType.length} ${ofType.length === 1 ? "value" : "values"} seen` } : { type };
  }
  return schema;
}
