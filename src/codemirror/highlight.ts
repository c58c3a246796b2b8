/**
 * Colours from `tokenize`: one mark decoration per token, for the part of the line in sight only (and a
 * margin). The tokens are read once per change of the text, not once per scroll.
 */
import { RangeSetBuilder, StateEffect, type Extension } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { tokenize, type HighlightToken, type LimitOptions, type TokenKind } from "../index.js";

/** One decoration per kind of token, shared by every box: class `cm-imgmeta-<kind>`. */
const MARKS = new Map<TokenKind, Decoration>(
  (["field", "keyword", "operator", "string", "number", "boolean", "punctuation", "error"] as const).map((kind) => [kind, Decoration.mark({ class: `cm-imgmeta-${kind}` })]),
);

/**
 * The decorations of `tokens` that overlap `ranges` (each `{ from, to }`, in order), whitespace left out.
 * Tokens are in text order and cover the text, so each range is found by binary search.
 */
export function tokenDecorations(tokens: readonly HighlightToken[], ranges: readonly { from: number; to: number }[]): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  let last = -1;
  for (const { from, to } of ranges) {
    for (let i = Math.max(last + 1, firstEndingAfter(tokens, from)); i < tokens.length && tokens[i]!.start < to; i++) {
      const token = tokens[i]!;
      const mark = MARKS.get(token.type);
      if (mark && token.end > token.start) builder.add(token.start, token.end, mark);
      last = i;
    }
  }
  return builder.finish();
}

/** The index of the first token that ends after `offset`. */
function firstEndingAfter(tokens: readonly HighlightToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.end <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Token colours for a light background (override the `cm-imgmeta-*` classes to restyle). */
const theme = EditorView.baseTheme({
  ".cm-imgmeta-field": { color: "#0550ae" },
  ".cm-imgmeta-keyword": { color: "#8250df", fontWeight: "600" },
  ".cm-imgmeta-operator": { color: "#cf222e" },
  ".cm-imgmeta-string": { color: "#0a3069" },
  ".cm-imgmeta-number": { color: "#0550ae" },
  ".cm-imgmeta-boolean": { color: "#953800" },
  ".cm-imgmeta-punctuation": { color: "#57606a" },
  ".cm-imgmeta-error": { color: "#cf222e", backgroundColor: "#ffebe9" },
});

/** Characters highlighted on each side of what shows (a long line is drawn whole up to 4,000 characters). */
const MARGIN = 100;

/** Asks the highlighter to look again at what shows (after a horizontal scroll). */
const rehighlight = StateEffect.define<null>();

/**
 * The highlighting of filter text, with `limits` as `tokenize` takes them. The box is one line that
 * scrolls sideways, so only the columns in sight (and a margin) are marked: every mark is an element to
 * lay out on each key, and a long filter would have thousands.
 */
export function filterHighlighting(options: LimitOptions = {}): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      tokens: HighlightToken[];
      decorations: DecorationSet;
      /** The marked character range: what shows, and the margin (at first, the start of the line). */
      marked = { from: -MARGIN, to: 4 * MARGIN };
      constructor(readonly view: EditorView) {
        this.tokens = tokenize(view.state.doc.toString(), options);
        this.decorations = this.marks();
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) {
          this.tokens = tokenize(update.state.doc.toString(), options);
          // Keep the marked range on the cursor, where the text changes and where the view will scroll.
          const head = update.state.selection.main.head;
          if (head < this.marked.from + MARGIN / 2 || head > this.marked.to - MARGIN / 2) this.marked = { from: head - 2 * MARGIN, to: head + 2 * MARGIN };
        }
        if (update.docChanged || update.viewportChanged || update.transactions.some((tr) => tr.effects.some((effect) => effect.is(rehighlight)))) {
          this.decorations = this.marks();
        }
      }
      marks(): DecorationSet {
        const ranges = this.view.visibleRanges.map((range) => ({ from: Math.max(range.from, this.marked.from), to: Math.min(range.to, this.marked.to) }));
        return tokenDecorations(this.tokens, ranges.filter((range) => range.from < range.to));
      }
      /** The character range in sight between two horizontal offsets of the scroller, with the margin. */
      inSight(left: number, right: number): { from: number; to: number } {
        const width = this.view.defaultCharacterWidth || 8;
        return { from: Math.floor(left / width) - MARGIN, to: Math.ceil(right / width) + MARGIN };
      }
      /** After a scroll: when what shows nears the edge of the marked range, mark around what shows. */
      scrolled(): void {
        const { scrollLeft, clientWidth } = this.view.scrollDOM;
        const sight = this.inSight(scrollLeft, scrollLeft + clientWidth);
        if (sight.from + MARGIN / 2 >= this.marked.from && sight.to - MARGIN / 2 <= this.marked.to) return;
        this.marked = sight;
        this.view.dispatch({ effects: rehighlight.of(null) });
      }
    },
    { decorations: (value) => value.decorations, eventObservers: { scroll() { this.scrolled(); } } },
  );
  return [plugin, theme];
}
