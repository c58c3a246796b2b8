/** Test helper: a deep copy of an AST without spans, for comparing trees by structure. */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripSpans) as T;
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== "span" && key !== "segmentSpans") out[key] = stripSpans(value);
  }
  return out as T;
}
