/**
 * The box as assistive technology should know it: a one-line combobox (ARIA 1.2) whose list is expanded
 * while completions show. CodeMirror's completion adds `aria-autocomplete`, `aria-controls` and
 * `aria-activedescendant`; the role and `aria-expanded` are added here. CodeMirror writes two attributes
 * of a textbox that a combobox may not have (`aria-multiline`, and `aria-placeholder` with a placeholder):
 * they are taken off (CodeMirror writes an attribute again only when its value changes).
 */
import { completionStatus } from "@codemirror/autocomplete";
import type { Extension } from "@codemirror/state";
import { EditorView, ViewPlugin } from "@codemirror/view";

/** What a textbox may have and a combobox may not. */
const TEXTBOX_ONLY = ["aria-multiline", "aria-placeholder"];

/** The combobox role and its expanded state on the editable element. */
export function comboboxRoles(): Extension {
  const strip = ViewPlugin.define((view) => {
    const remove = (): void => {
      for (const name of TEXTBOX_ONLY) if (view.contentDOM.hasAttribute(name)) view.contentDOM.removeAttribute(name);
    };
    remove();
    return { update: remove };
  });
  return [
    EditorView.contentAttributes.of((view) => ({
      role: "combobox",
      "aria-expanded": completionStatus(view.state) === "active" ? "true" : "false",
    })),
    strip,
  ];
}
