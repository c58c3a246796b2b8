/**
 * The box as assistive technology should know it: a one-line combobox (ARIA 1.2) whose list is expanded
 * while completions show. CodeMirror's completion adds `aria-autocomplete`, `aria-controls` and
 * `aria-activedescendant`; the role and `aria-expanded` are added here.
 */
import { completionStatus } from "@codemirror/autocomplete";
import type { Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

/** The combobox role and its expanded state on the editable element. */
export function comboboxRoles(): Extension {
  return EditorView.contentAttributes.of((view) => ({
    role: "combobox",
    // CodeMirror says a textbox of many lines; this box has one.
    "aria-multiline": "false",
    "aria-expanded": completionStatus(view.state) === "active" ? "true" : "false",
  }));
}
