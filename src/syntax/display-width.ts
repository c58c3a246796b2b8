/**
 * How many columns of a monospace terminal a text takes, so that a code frame's caret sits under the
 * characters it points at: CJK and emoji are two columns wide, combining marks and joiners none.
 *
 * Widths of single code points are Unicode's East Asian Width (the `get-east-asian-width` package:
 * Wide and Fullwidth are two columns, the rest one). What a terminal draws as one character is a
 * grapheme cluster (`Intl.Segmenter`), whose width is that of its first visible code point, plus any
 * spacing marks after it; an emoji sequence (a flag, a keycap, a ZWJ sequence, a character with the
 * emoji presentation selector) is two columns. The same rules as the `string-width` package, which is
 * not used here: it builds `v`-flag regular expressions and a segmenter when it loads, which would make
 * the whole root entry fail to load in a browser without them, where this module creates its segmenter
 * on first use and does without one.
 */
import { eastAsianWidth } from "get-east-asian-width";

/** Code points drawn in no column of their own: combining marks, format characters (joiners, bidi marks) and other default-ignorables (variation selectors). */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** Marks drawn beside their base (as in Devanagari कि), which take columns of their own. */
const SPACING_MARK = /\p{Mc}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const REGIONAL_INDICATOR = /\p{Regional_Indicator}/u;

const ZWJ = "\u200d";
const EMOJI_PRESENTATION = "\ufe0f";
const KEYCAP = "\u20e3";

/** Grapheme clusters where the runtime has `Intl.Segmenter` (every current one); made on first use. */
let graphemes: Intl.Segmenter | null | undefined;

function clusters(text: string): Iterable<string> {
  if (graphemes === undefined) {
    graphemes = typeof Intl === "object" && typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  }
  // Without a segmenter, each code point stands alone: marks and joiners still take no column, but a
  // flag or a skin-toned emoji counts the columns of its parts.
  return graphemes === null ? text : (function* (segments) {
    for (const { segment } of segments) yield segment;
  })(graphemes.segment(text));
}

/** Whether a cluster is an emoji sequence that terminals draw two columns wide whatever its first code point. */
function isEmojiSequence(cluster: string): boolean {
  if (cluster.includes(EMOJI_PRESENTATION) || cluster.includes(KEYCAP)) return true;
  const [first, second] = cluster;
  if (first !== undefined && second !== undefined && REGIONAL_INDICATOR.test(first) && REGIONAL_INDICATOR.test(second)) return true;
  if (!cluster.includes(ZWJ)) return false;
  let pictographs = 0;
  for (const char of cluster) if (PICTOGRAPHIC.test(char) && ++pictographs === 2) return true;
  return false;
}

function clusterWidth(cluster: string): number {
  let width = 0;
  let based = false;
  for (const char of cluster) {
    if (ZERO_WIDTH.test(char)) continue;
    if (!based) {
      if (isEmojiSequence(cluster)) return 2;
      width = eastAsianWidth(char.codePointAt(0)!);
      based = true;
    } else if (SPACING_MARK.test(char)) {
      width += eastAsianWidth(char.codePointAt(0)!);
    }
  }
  return width;
}

/**
 * The columns `text` takes in a monospace terminal. Control characters count one column each (code
 * frames show them as spaces).
 */
export function displayWidth(text: string): number {
  // Printable ASCII, the common case, is one column a character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const cluster of clusters(text)) width += clusterWidth(cluster);
  return width;
}
