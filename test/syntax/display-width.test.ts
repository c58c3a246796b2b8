/**
 * Columns in a monospace terminal: what code frames place their caret by.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { displayWidth } from "../../src/syntax/display-width.js";
import { SEED } from "../support/arbitraries.js";

/** Pieces of text with the columns a terminal gives them; each starts a grapheme cluster of its own. */
const PIECES: readonly (readonly [string, number])[] = [
  ["a", 1],
  [" ", 1],
  ["=", 1],
  ["é", 1], // precomposed
  ["e\u0301", 1], // e + combining acute accent
  ["a\u0308\u0304", 1], // two combining marks
  ["中", 2],
  ["日本語", 6],
  ["한", 2], // a precomposed Hangul syllable
  ["\u1100\u1161", 2], // the same shape from conjoining jamo (L + V)
  ["ｱ", 1], // halfwidth katakana
  ["Ａ", 2], // fullwidth Latin
  ["😀", 2],
  ["👍🏽", 2], // emoji + skin tone modifier
  ["👨‍👩‍👧", 2], // ZWJ sequence
  ["🏳️‍🌈", 2], // ZWJ sequence whose first emoji is text-style without its selector
  ["🇫🇷", 2], // flag: two regional indicators
  ["🏴󠁧󠁢󠁳󠁣󠁴󠁿", 2], // subdivision flag: tag sequence
  ["❤️", 2], // a text-style character with the emoji presentation selector
  ["1️⃣", 2], // keycap
  ["\u0915\u093f", 2], // Devanagari: a consonant and a spacing vowel sign
  ["…", 1], // East Asian ambiguous: narrow outside CJK locales
  ["\u200b", 0], // zero-width space
  ["\u00ad", 0], // soft hyphen
  ["\t", 1], // control characters: one column (code frames show them as spaces)
];

describe("displayWidth", () => {
  it.each(PIECES)("%j takes %i columns", (text, columns) => {
    expect(displayWidth(text)).toBe(columns);
  });

  it("adds up over any sequence of pieces", () => {
    const pieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 });
    fc.assert(
      fc.property(pieces, (chosen) => {
        const text = chosen.map(([piece]) => piece).join("");
        expect(displayWidth(text)).toBe(chosen.reduce((sum, [, columns]) => sum + columns, 0));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("gives a lone combining mark no column, and ASCII one a character", () => {
    expect(displayWidth("\u0301")).toBe(0);
    expect(displayWidth("")).toBe(0);
    expect(displayWidth('status = "active"')).toBe(17);
  });
});

describe("displayWidth without Intl.Segmenter (older browsers)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("loads and measures code point by code point", async () => {
    vi.stubGlobal("Intl", { ...Intl, Segmenter: undefined });
    vi.resetModules();
    const { displayWidth: withoutSegmenter } = await import("../../src/syntax/display-width.js");
    expect(withoutSegmenter("日本語 = e\u0301")).toBe(10);
    expect(withoutSegmenter("😀")).toBe(2);
  });
});
