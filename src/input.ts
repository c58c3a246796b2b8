/**
 * The one opening of every public function that takes "a filter or its text": text is read once, here,
 * with the limits of the call (by `parse.ts`, which an entry point may load only when text comes); a
 * filter built by hand is checked at the door (`semantics/shape.ts`); and the issues a target finds later
 * point into the text they came from. The layers below take a `Filter`, never text.
 */
import type { Filter } from "./syntax/ast.js";
import { FilterError, locateIssues, type Issue } from "./syntax/issues.js";
import type { LimitOptions } from "./semantics/limits.js";
import { checkedFilter } from "./semantics/shape.js";

/** Turns text into a filter, or throws a `FilterError` with the text's issues (see `parse.ts`). */
export type TextReader = (text: string, options?: LimitOptions) => Filter;

/**
 * Runs `use` on the filter a public function was given: text read with `read` (`parse`, which an entry
 * point may load lazily), or a filter checked at the door. A `FilterError` that `use` throws about a
 * filter read from text is thrown again with the issues located in that text, so that its message shows
 * code frames.
 * @throws FilterError for text that does not parse, something that is not a well-formed filter
 *   (`invalid-filter`) or is nested too deep (`nesting-too-deep`), and whatever `use` throws.
 */
export function withFilter<T>(filterOrText: Filter | string, options: LimitOptions | undefined, use: (filter: Filter) => T, read: TextReader): T {
  if (typeof filterOrText !== "string") return use(checkedFilter(filterOrText));
  const filter = read(filterOrText, options);
  try {
    return use(filter);
  } catch (error) {
    if (error instanceof FilterError && error.text === undefined) throw new FilterError(locateIssues(filterOrText, error.issues), filterOrText);
    throw error;
  }
}

/**
 * Throws the issues of a call's options (its `perPage`, a SQL dialect...), which are checked before the
 * filter is read: they are not part of the text, so they come without a code frame.
 * @throws FilterError when there is any.
 */
export function refuseOptions(issues: readonly Issue[]): void {
  if (issues.length > 0) throw new FilterError(issues);
}
