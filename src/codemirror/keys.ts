/**
 * The keys of a search box. Enter searches: it accepts a completion only when the user moved to it (arrows,
 * or asked for the list with Ctrl+Space) or when it completes the word being typed, and otherwise closes
 * the list and submits. Tab accepts the open list's choice, and when no list is open it is left to the
 * browser, so that it moves the focus on. Escape closes the list; the arrows move in it.
 */
import { acceptCompletion, closeCompletion, completionStatus, moveCompletionSelection, selectedCompletion, startCompletion } from "@codemirror/autocomplete";
import { Prec, StateEffect, StateField, type Extension } from "@codemirror/state";
import { keymap, type Command, type EditorView } from "@codemirror/view";
import { completesWord, type FilterCompletion } from "./completion.js";

/** The user chose in the list (moved with the arrows, or opened it with Ctrl+Space). */
const chose = StateEffect.define<boolean>();

/** Whether the user chose in the open list since the text last changed. */
const userChose: StateField<boolean> = StateField.define<boolean>({
  create: () => false,
  update: (value, tr) => {
    for (const effect of tr.effects) if (effect.is(chose)) return effect.value;
    return tr.docChanged ? false : value;
  },
});

/** A command that also records that the user chose, when it did something. */
function choosing(command: Command): Command {
  return (view) => {
    if (!command(view)) return false;
    view.dispatch({ effects: chose.of(true) });
    return true;
  };
}

/** Whether Enter should accept the list's selected completion rather than submit. */
function enterAccepts(view: EditorView): boolean {
  const { state } = view;
  if (completionStatus(state) !== "active") return false;
  const option = selectedCompletion(state) as FilterCompletion | null;
  if (!option) return false;
  return state.field(userChose) || completesWord(option, state.doc.toString(), state.selection.main.head);
}

/** The keymap, ahead of every other (CodeMirror's own Enter would insert a line break). */
export function filterKeys(submit: (view: EditorView) => void): Extension {
  const enter: Command = (view) => {
    if (enterAccepts(view) && acceptCompletion(view)) return true;
    closeCompletion(view);
    submit(view);
    return true;
  };
  const tab: Command = (view) => completionStatus(view.state) === "active" && acceptCompletion(view);
  return [
    userChose,
    Prec.highest(
      keymap.of([
        { key: "Enter", run: enter },
        { key: "Mod-Enter", run: enter },
        { key: "Tab", run: tab },
        { key: "Escape", run: closeCompletion },
        { key: "ArrowDown", run: choosing(moveCompletionSelection(true)) },
        { key: "ArrowUp", run: choosing(moveCompletionSelection(false)) },
        { key: "PageDown", run: choosing(moveCompletionSelection(true, "page")) },
        { key: "PageUp", run: choosing(moveCompletionSelection(false, "page")) },
        { key: "Ctrl-Space", run: choosing(startCompletion) },
        { mac: "Alt-`", run: choosing(startCompletion) },
      ]),
    ),
  ];
}
