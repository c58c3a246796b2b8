import { expect } from "vitest";
import { FilterError } from "../../src/index.js";

/** Test helper: the issue codes of the FilterError that `run` throws (fails the test if it throws none). */
export function codes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return (error as FilterError).issues.map((issue) => issue.code);
  }
  throw new Error("expected a FilterError");
}
