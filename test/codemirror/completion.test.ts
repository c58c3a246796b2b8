/**
 * The completion source on an EditorState: what opens the list while typing and what does not, what
 * Ctrl+Space offers, and the spaces an accepted completion brings.
 */
import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { completesWord, filterCompletionSource, type FilterCompletion } from "../../src/codemirror/index.js";
import { completionChange } from "../../src/codemirror/completion.js";
import { suggest, type FieldSchema } from "../../src/index.js";

const fields: FieldSchema = {
  status: { type: "string", values: ["active", "archived", "pending"] },
  priority: "number",
  "region.name": { type: "string", values: ["eu-west", "us-east"] },
};
const source = filterCompletionSource({ fields });

/** The completions at the `|` of `marked`, asked while typing or explicitly (Ctrl+Space). */
function complete(marked: string, explicit = false): { labels: string[]; from: number; to: number | undefined } | null {
  const pos = marked.indexOf("|");
  const doc = marked.slice(0, pos) + marked.slice(pos + 1);
  const result = source(new CompletionContext(EditorState.create({ doc }), pos, explicit)) as CompletionResult | null;
  return result && { labels: result.options.map((option) => option.label), from: result.from, to: result.to };
}

describe("what opens the list while typing", () => {
  it.each<[string, string[]]>([
    ["sta|", ["status"]],
    ["s|", ["status"]],
    ["reg|", ["region.name"]],
    ["region.n|", ["region.name"]],
    ["status = a|", ["active", "archived"]],
    ['status = "p|', ["pending"]],
    ["status = active a|", ["and"]],
    ["status = active o|", ["or"]],
    ["priority i|", ["in"]],
    ["not s|", ["status"]],
    ["(st|", ["status"]],
    ["status = active and pri|", ["priority"]],
    ["region.name = e|", ["eu-west"]],
    ["status = a| and priority = 1", ["active", "archived"]],
  ])("%s opens %j", (marked, labels) => {
    expect(complete(marked)?.labels).toEqual(labels);
  });

  it.each([
    "|",
    "status |",
    "status =|",
    "status = |",
    'status = "active"|',
    'status = "active" |',
    "status = active|",
    "status = active and|",
    "status = active and |",
    "status = active and priority in (4, 5)|",
    "status = active and priority in (4, 5|",
    "priority in (|",
    "(|",
    "region.|",
    "not |",
    "status = active and priority >= 4|",
    "status ~ |",
  ])("%s opens nothing", (marked) => {
    expect(complete(marked)).toBeNull();
  });
});

describe("Ctrl+Space", () => {
  it.each<[string, string[]]>([
    ["|", ["not", "(", "creator", "status", "priority", "region.name"]],
    ["status |", ["=", "!=", "in", "not in"]],
    ["priority |", ["=", "!=", "<", "<=", ">", ">=", "in", "not in"]],
    ["status = |", ["active", "archived", "pending"]],
    ['status = "active" |', ["and", "or"]],
    ["region.|", ["region.name"]],
    ["(a = 1 |", ["and", "or", ")"]],
    ["priority in (4 |", [",", ")"]],
  ])("at %s offers %j", (marked, labels) => {
    expect(complete(marked, true)?.labels.sort()).toEqual([...labels].sort());
  });

  it("offers what suggest offers, at every position of a filter, over the range suggest replaces", () => {
    const text = 'status = "active" and (priority in (4, 5) or region.name != eu-west) and not creator = "u1"';
    for (let pos = 0; pos <= text.length; pos++) {
      const expected = suggest(text, pos, { fields });
      const got = complete(`${text.slice(0, pos)}|${text.slice(pos)}`, true);
      if (expected.items.length === 0) expect(got).toBeNull();
      else expect(got).toEqual({ labels: expected.items.map((item) => item.label), from: expected.from, to: expected.to });
    }
  });

  it("and while typing, opens only where a word is being typed, with the same items", () => {
    const text = 'status = "active" and (priority in (4, 5) or region.name != eu-west) and not creator = "u1"';
    let opened = 0;
    for (let pos = 0; pos <= text.length; pos++) {
      const got = complete(`${text.slice(0, pos)}|${text.slice(pos)}`);
      if (got === null) continue;
      opened++;
      const expected = suggest(text, pos, { fields });
      expect(got.labels).toEqual(expected.items.map((item) => item.label));
      expect(/^[\p{L}\p{N}_"'`-]/u.test(text.slice(expected.from, pos))).toBe(true);
    }
    expect(opened).toBeGreaterThan(10);
  });
});

describe("accepting", () => {
  const item = (marked: string, label: string) => {
    const pos = marked.indexOf("|");
    const doc = marked.slice(0, pos) + marked.slice(pos + 1);
    const result = source(new CompletionContext(EditorState.create({ doc }), pos, true)) as CompletionResult;
    const option = result.options.find((candidate) => candidate.label === label) as FilterCompletion;
    return { doc, pos, option, from: result.from, to: result.to ?? pos };
  };
  const accept = (marked: string, label: string) => {
    const { doc, option, from, to } = item(marked, label);
    const change = completionChange(doc, option.suggestion, from, to);
    return doc.slice(0, change.from) + change.insert + doc.slice(change.to);
  };

  it.each<[string, string, string]>([
    ['status = "active" |', "and", 'status = "active" and '],
    ['status = "active" a|', "and", 'status = "active" and '],
    ["sta|", "status", "status "],
    ["sta| = active", "status", "status = active"],
    ["status = a|", "active", 'status = "active" '],
    ["region.|", "region.name", "region.name "],
    ["(|", "status", "(status "],
    ["priority in (4 |", ",", "priority in (4, "],
    ["(a = 1 |", ")", "(a = 1) "],
    ["(a = 1   |", ")", "(a = 1) "],
    ["|", "(", "("],
    ["status |", "in", "status in "],
    ["status |", "=", "status = "],
    ["status|", "status", "status "],
  ])("%s + %s gives %j", (marked, label, expected) => {
    expect(accept(marked, label)).toBe(expected);
  });

  it("an option completes the word being typed only when something was typed and it adds to it", () => {
    const partial = item("sta|", "status");
    expect(completesWord(partial.option, partial.doc, partial.pos)).toBe(true);
    const whole = item("status|", "status");
    expect(completesWord(whole.option, whole.doc, whole.pos)).toBe(false);
    const bare = item("status = active|", "active");
    expect(completesWord(bare.option, bare.doc, bare.pos)).toBe(false); // typed as a bareword: "active" adds only quotes
    const nothing = item('status = "active" |', "and");
    expect(completesWord(nothing.option, nothing.doc, nothing.pos)).toBe(false);
  });
});
