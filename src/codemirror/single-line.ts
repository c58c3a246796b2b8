/**
 * The box holds one line: a line break typed or pasted becomes a space (one character for one, so that
 * the selection and every position after it stay where they were).
 */
import { EditorState, Transaction, type Extension } from "@codemirror/state";

/** Replaces every line break a change would insert with a space. */
export function singleLine(): Extension {
  return EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || tr.newDoc.lines === 1) return tr;
    const changes: { from: number; to: number; insert: string }[] = [];
    tr.changes.iterChanges((from, to, _fromB, _toB, inserted) => {
      changes.push({ from, to, insert: inserted.sliceString(0, inserted.length, " ") });
    });
    const userEvent = tr.annotation(Transaction.userEvent);
    return {
      changes,
      selection: tr.selection,
      effects: tr.effects,
      scrollIntoView: tr.scrollIntoView,
      ...(userEvent === undefined ? {} : { userEvent }),
    };
  });
}
