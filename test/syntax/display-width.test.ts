/**
 * Display width (src/syntax/display-width.ts), seen where it matters: in code frames (`formatIssue`), the
 * caret sits under the characters the issue points at, counted in terminal columns, whatever comes before
 * them on the line.
 */
import { describe, expect, it } from "vitest";
import { check, formatIssue } from "../../src/index.js";

/** The frame of the first issue `check` finds in `text`, as lines. */
function frame(text: string): string[] {
  const issue = check(text).issues[0];
  if (!issue) throw new Error(`no issue in ${JSON.stringify(text)}`);
  return formatIssue(text, issue).split("\n");
}

/** The caret line of a frame, as the columns it marks: where the `^` is and how long the mark is. */
function marked(frameLines: readonly string[]): { column: number; width: number } {
  const line = frameLines[2]!.slice(" 1 | ".length);
  const column = line.indexOf("^");
  return { column, width: line.length - column };
}

describe("code frames place the caret by display width", () => {
  it.each([
    ["CJK", 'title = "日本語" and x ~ 2', 'title = "' + "      " + '" and x '],
    ["an emoji ZWJ sequence", 'tag = "👨‍👩‍👧" and x ~ 2', 'tag = "' + "  " + '" and x '],
    ["a flag", 'country = "🇫🇷" and x ~ 2', 'country = "' + "  " + '" and x '],
    ["emoji with skin tones and the presentation selector", 'r = "👍🏽❤️" and x ~ 2', 'r = "' + "    " + '" and x '],
    ["combining marks", 'name = "e\u0301te\u0301" and x ~ 2', 'name = "' + "ete" + '" and x '],
    ["a tab, shown as a space", 'a = "\tb" and x ~ 2', 'a = "' + " b" + '" and x '],
  ])("after %s", (_, text, before) => {
    const lines = frame(text);
    expect(lines[0]).toMatch(/^error\[unexpected-character\]: the character "~"/);
    expect(marked(lines)).toEqual({ column: before.length, width: 1 });
  });

  it("marks a wide span with as many columns as it takes", () => {
    // 名前 is two wide characters: four columns, so four marks.
    expect(frame("名前 = 1")).toEqual([
      'error[unexpected-character]: bare names and values are ASCII: write "名前" in quotes for a value, or `名前` in backticks for a name',
      " 1 | 名前 = 1",
      "   | ^~~~",
    ]);
    // A flag after a ZWJ sequence: two columns each.
    const flag = frame('tag = "👨‍👩‍👧" and 🇫🇷 = 1');
    expect(marked(flag)).toEqual({ column: 'tag = "  " and '.length, width: 2 });
  });

  it("cuts a long line around the span without splitting a character, and counts the cut in columns", () => {
    const text = `k = "${"😀".repeat(40)}" and x ~ 1`;
    const lines = frame(text);
    const shown = lines[1]!.slice(" 1 | ".length);
    expect(shown.startsWith("…")).toBe(true);
    expect(shown).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/); // no lone surrogate
    // Under the `~`: the "…", then two columns per emoji shown, then `" and x `.
    const emojis = [...shown.slice(1, shown.indexOf('"'))].length;
    expect(marked(lines)).toEqual({ column: 1 + 2 * emojis + '" and x '.length, width: 1 });
  });
});
