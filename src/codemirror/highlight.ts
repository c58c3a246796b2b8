/**
 * Colours from `tokenize`: one mark decoration per token, drawn for the visible part of the text only
 * (CodeMirror draws a long line in part, and so do we). The tokens are read once per change of the text,
 * not once per scroll.
 */
import { RangeSetBuilder, type Extension } from "@codemirror/state";
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

/** The highlighting of filter text, with `limits` as `tokenize` takes them. */
export function filterHighlighting(options: LimitOptions = {}): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      tokens: HighlightToken[];
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.tokens = tokenize(view.state.doc.toString(), options);
        this.decorations = tokenDecorations(this.tokens, view.visibleRanges);
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) this.tokens = tokenize(update.state.doc.toString(), options);
        if (update.docChanged || update.viewportChanged) this.decorations = tokenDecorations(this.tokens, update.view.visibleRanges);
      }
    },
    { decorations: (value) => value.decorations },
  );
  return [plugin, theme];
}
