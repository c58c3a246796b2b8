/**
 * Diagnostics from `check`: each issue at its span with its severity and message, and a did-you-mean
 * `replacement` as a one-click fix. They run when typing pauses (CodeMirror's linter), not on every key.
 */
import { linter, type Diagnostic } from "@codemirror/lint";
import type { Extension } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { check, type CheckOptions, type Issue } from "../index.js";

/** What `check` is given: the field schema, the limits and the target. */
export type DiagnosticOptions = Pick<CheckOptions, "fields" | "limits" | "target">;

/** The diagnostics of a text: `check`'s issues, each clamped to the text. */
export function filterDiagnostics(text: string, options: DiagnosticOptions = {}): Diagnostic[] {
  return check(text, options).issues.map((issue) => diagnostic(issue, text.length));
}

function diagnostic(issue: Issue, length: number): Diagnostic {
  const from = Math.min(issue.start, length);
  const to = Math.min(Math.max(issue.end, from), length);
  const replacement = issue.replacement;
  return {
    from,
    to,
    severity: issue.severity,
    source: issue.code,
    message: issue.message,
    ...(replacement === undefined
      ? {}
      : {
          actions: [
            {
              name: `Replace with ${replacement}`,
              apply: (view: EditorView, at: number, end: number) => view.dispatch({ changes: { from: at, to: end, insert: replacement }, userEvent: "input.complete" }),
            },
          ],
        }),
  };
}

/** The linter: {@link filterDiagnostics} of the document, `delay` ms after the last change. */
export function filterLinter(options: DiagnosticOptions, delay: number): Extension {
  return linter((view) => filterDiagnostics(view.state.doc.toString(), options), { delay });
}
