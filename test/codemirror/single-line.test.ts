/** The box holds one line: line breaks typed or pasted become spaces, and the selection stays in place. */
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { imgmetaFilter, singleLine } from "../../src/codemirror/index.js";

describe("singleLine", () => {
  it.each<[string, string]>([
    ["a = 1\nand b = 2", "a = 1 and b = 2"],
    ["a = 1\r\nand b = 2", "a = 1 and b = 2"],
    ["a = 1\rand b = 2", "a = 1 and b = 2"],
    ["\n\n", "  "],
    ["a = 1", "a = 1"],
  ])("a paste of %j gives %j", (pasted, expected) => {
    for (const extension of [singleLine(), imgmetaFilter()]) {
      const state = EditorState.create({ doc: "", extensions: extension });
      const next = state.update({ changes: { from: 0, insert: pasted }, selection: { anchor: pasted.replace(/\r\n/g, "\n").length }, userEvent: "input.paste" });
      expect(next.state.doc.toString()).toBe(expected);
      expect(next.state.doc.lines).toBe(1);
      expect(next.state.selection.main.head).toBe(expected.length);
      expect(next.isUserEvent("input.paste")).toBe(true);
    }
  });

  it("rewrites several changes of one transaction", () => {
    const state = EditorState.create({ doc: "a = 1 and b = 2", extensions: singleLine() });
    const next = state.update({ changes: [{ from: 5, insert: "\n" }, { from: 9, to: 10, insert: "\n" }] }).state;
    expect(next.doc.toString()).toBe("a = 1  and b = 2");
  });

  it("Enter's line break included", () => {
    const state = EditorState.create({ doc: "a = 1", selection: { anchor: 5 }, extensions: singleLine() });
    expect(state.update(state.replaceSelection("\n")).state.doc.toString()).toBe("a = 1 ");
  });
});
