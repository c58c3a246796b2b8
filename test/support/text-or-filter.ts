/**
 * For the entry points' tests: what a call gives for a filter's text and for the filter `parse` reads
 * from it must be the same (both an answer, equal; or both a FilterError, with the same issue codes).
 */
import { expect } from "vitest";
import { FilterError, format, parse, type FilterNode } from "../../src/index.js";

/** The text of `filter` and the filter read back from it (limits raised: generated filters can be long). */
export function textAndFilter(filter: FilterNode): [string, FilterNode] {
  const text = format(filter);
  return [text, parse(text, { limits: { maxInputLength: 1e6 } })];
}

/** A call's answer, or the issue codes of the FilterError it throws. */
export function answer<T>(run: () => T): T | { refused: string[] } {
  try {
    return run();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return { refused: (error as FilterError).issues.map((issue) => issue.code) };
  }
}
