/** Highlighting: `tokenize`'s tokens as mark decorations, for the visible ranges only. */
import { describe, expect, it } from "vitest";
import { tokenDecorations } from "../../src/codemirror/index.js";
import { tokenize } from "../../src/index.js";

function marks(text: string, ranges = [{ from: 0, to: text.length }]): [string, string][] {
  const out: [string, string][] = [];
  const cursor = tokenDecorations(tokenize(text), ranges).iter();
  for (; cursor.value; cursor.next()) out.push([text.slice(cursor.from, cursor.to), String(cursor.value.spec.class)]);
  return out;
}

describe("tokenDecorations", () => {
  it("marks every token but whitespace with its kind", () => {
    expect(marks('status = "active" and priority in (4, 5) ~')).toEqual([
      ["status", "cm-imgmeta-field"],
      ["=", "cm-imgmeta-operator"],
      ['"active"', "cm-imgmeta-string"],
      ["and", "cm-imgmeta-keyword"],
      ["priority", "cm-imgmeta-field"],
      ["in", "cm-imgmeta-keyword"],
      ["(", "cm-imgmeta-punctuation"],
      ["4", "cm-imgmeta-number"],
      [",", "cm-imgmeta-punctuation"],
      ["5", "cm-imgmeta-number"],
      [")", "cm-imgmeta-punctuation"],
      ["~", "cm-imgmeta-error"],
    ]);
  });

  it("marks only the tokens that overlap the visible ranges, each once", () => {
    const text = Array.from({ length: 1000 }, (_, i) => `k${i} = ${i}`).join(" and ");
    const visible = [
      { from: 5000, to: 5040 },
      { from: 5030, to: 5060 },
      { from: 9000, to: 9010 },
    ];
    const shown = marks(text, visible);
    const expected = tokenize(text).filter((t) => t.type !== "whitespace" && visible.some((r) => t.start < r.to && t.end > r.from));
    expect(shown.map(([piece]) => piece)).toEqual(expected.map((t) => text.slice(t.start, t.end)));
    expect(shown.length).toBeLessThan(40);
  });
});
