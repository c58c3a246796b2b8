/**
 * `imgmeta/codemirror`: a search box for the imgmeta language on CodeMirror 6, as one extension.
 *
 * ```ts
 * import { EditorView } from "@codemirror/view";
 * import { imgmetaFilter } from "imgmeta/codemirror";
 *
 * new EditorView({
 *   parent: document.querySelector("#search")!,
 *   extensions: [imgmetaFilter({ fields, target: "plan", onSubmit: (filter, text) => search(filter, text) })],
 * });
 * ```
 * @module
 */
import { autocompletion } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import type { Extension } from "@codemirror/state";
import { keymap, type EditorView } from "@codemirror/view";
import { check, type CheckTarget, type FieldSchema, type Filter, type LimitOptions } from "../index.js";
import { comboboxRoles } from "./aria.js";
import { filterCompletionSource } from "./completion.js";
import { filterLinter } from "./diagnostics.js";
import { filterHighlighting } from "./highlight.js";
import { filterKeys } from "./keys.js";
import { singleLine } from "./single-line.js";

export { completesWord, completionText, filterCompletionSource, type FilterCompletion } from "./completion.js";
export { filterDiagnostics, type DiagnosticOptions } from "./diagnostics.js";
export { tokenDecorations } from "./highlight.js";
export { singleLine } from "./single-line.js";

/** Options of {@link imgmetaFilter}. */
export interface ImgmetaFilterOptions extends LimitOptions {
  /** The metadata fields: completions offer their names and values; diagnostics check names, types and values. */
  readonly fields?: FieldSchema;
  /**
   * What the box feeds (`check`'s `target`): `"api"` (the default), a filter sent to the API as its
   * parameters, where `or`, negation and a sixth filter are errors; `"plan"`, a filter that goes through
   * `plan` or `listImages`, where they are information ("applied locally").
   */
  readonly target?: CheckTarget;
  /**
   * Called when the user presses Enter (and no completion is being accepted): the filter when the text
   * has no error for the target, otherwise undefined, and the text.
   */
  readonly onSubmit?: (filter: Filter | undefined, text: string) => void;
  /** Milliseconds after the last change before diagnostics are drawn (default 150). */
  readonly diagnosticsDelay?: number;
}

/**
 * The extension: a one-line box with highlighting (`tokenize`), diagnostics (`check`, with did-you-mean
 * fixes), completions (`suggest`), the keys of a search box (with undo), and combobox roles. To change
 * the options later (say, fields loaded after the box), put it in a `Compartment` and reconfigure it.
 */
export function imgmetaFilter(options: ImgmetaFilterOptions = {}): Extension {
  const limits: LimitOptions = options.limits === undefined ? {} : { limits: options.limits };
  const fields = options.fields === undefined ? {} : { fields: options.fields };
  const target = options.target === undefined ? {} : { target: options.target };
  const submit = (view: EditorView): void => {
    const text = view.state.doc.toString();
    const result = check(text, { ...limits, ...fields, ...target });
    options.onSubmit?.(result.ok ? result.filter : undefined, text);
  };
  return [
    singleLine(),
    filterHighlighting(limits),
    filterLinter({ ...limits, ...fields, ...target }, options.diagnosticsDelay ?? 150),
    autocompletion({
      override: [filterCompletionSource({ ...limits, ...fields })],
      defaultKeymap: false,
      icons: false,
      interactionDelay: 0,
    }),
    filterKeys(submit),
    // Undo and the editing keys people expect of any text box (CodeMirror's defaults; Enter is ours).
    history(),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    comboboxRoles(),
  ];
}
