/**
 * Completions from `suggest`, opened as in the search boxes people know: while a word is typed (a name, a
 * value, a keyword) or on Ctrl+Space, never after a finished condition, a `)` or an operator. An accepted
 * completion brings the spaces it needs (`status = "active"` + `and` gives `status = "active" and `).
 */
import { pickedCompletion, type Completion, type CompletionContext, type CompletionResult, type CompletionSource } from "@codemirror/autocomplete";
import type { EditorView } from "@codemirror/view";
import { suggest, type Suggestion, type SuggestOptions } from "../index.js";

/** A completion of this box: the suggestion it came from, and where the word it completes starts. */
export interface FilterCompletion extends Completion {
  readonly suggestion: Suggestion;
  /** Where the completed range starts (what was typed of the word is `from` to the cursor). */
  readonly from: number;
}

/** What starts a word being typed: a letter, a digit, `_`, `-` (a number's sign), a quote or a backtick. */
const WORD_START = /^[\p{L}\p{N}_"'`-]/u;

/**
 * The completion source: `suggest`'s items at the cursor. Asked while typing (`context.explicit` false),
 * it answers only when a word is being typed and something would complete it (not when the only item is
 * what was typed already); asked explicitly (Ctrl+Space), whenever there are items.
 */
export function filterCompletionSource(options: SuggestOptions = {}): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const { from, to, items } = suggest(text, context.pos, options);
    if (items.length === 0) return null;
    const typed = text.slice(from, context.pos);
    if (!context.explicit) {
      if (!WORD_START.test(typed)) return null;
      if (items.length === 1 && isTyped(items[0]!, typed)) return null;
    }
    return { from, to, filter: false, options: items.map((item): FilterCompletion => completion(item, from)) };
  };
}

function completion(suggestion: Suggestion, from: number): FilterCompletion {
  return { label: suggestion.label, detail: suggestion.detail, type: suggestion.kind, apply: applySuggestion, suggestion, from };
}

/** Whether `typed` is already the whole of the item (its label or what it inserts, case aside). */
function isTyped(item: Suggestion, typed: string): boolean {
  const lower = typed.toLowerCase();
  return lower === item.label.toLowerCase() || lower === item.insert.toLowerCase();
}

/** Whether accepting `option` would add to the word typed up to `cursor` (something typed, and not all of it). */
export function completesWord(option: FilterCompletion, text: string, cursor: number): boolean {
  const typed = text.slice(option.from, cursor);
  return typed !== "" && !isTyped(option.suggestion, typed);
}

/** The text to insert for a suggestion over `[from, to)` of `text`, with the spaces around it it needs. */
export function completionText(text: string, suggestion: Suggestion, from: number, to: number): string {
  const before = text[from - 1];
  const after = text[to];
  const { insert, kind } = suggestion;
  // Nothing before a field after a dot (`region.name`), a list's comma or parenthesis, or at the start.
  const joined = before === undefined || /\s/.test(before) || before === "(" || before === "." || insert === "," || insert === ")";
  // Nothing after an opening parenthesis, before what already follows, or inside a path (a field that ends with a dot).
  const closed = insert === "(" || (after !== undefined && (/\s/.test(after) || after === ")" || after === ",")) || (kind === "field" && after === ".");
  return `${joined ? "" : " "}${insert}${closed ? "" : " "}`;
}

/**
 * The change accepting a suggestion makes: {@link completionText} over `[from, to)`, and a list's comma or
 * closing parenthesis also takes the spaces typed before it (`in (4 ` + `,` gives `in (4, `).
 */
export function completionChange(text: string, suggestion: Suggestion, from: number, to: number): { from: number; to: number; insert: string } {
  let start = from;
  if (suggestion.insert === "," || suggestion.insert === ")") while (start > 0 && /\s/.test(text[start - 1]!)) start--;
  return { from: start, to, insert: completionText(text, suggestion, start, to) };
}

function applySuggestion(view: EditorView, option: Completion, from: number, to: number): void {
  const { suggestion } = option as FilterCompletion;
  const change = completionChange(view.state.doc.toString(), suggestion, from, to);
  const { insert } = change;
  view.dispatch({
    changes: change,
    selection: { anchor: change.from + insert.length },
    annotations: pickedCompletion.of(option),
    userEvent: "input.complete",
    scrollIntoView: true,
  });
}
