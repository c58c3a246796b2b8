/**
 * `check`: parse and validate in one call, for search boxes. It never throws, whatever the string.
 */
import type { Filter } from "./ast.js";
import { hasErrors, locateIssues, type Issue } from "./issues.js";
import { resolveLimits, type LimitOptions } from "./limits.js";
import { normalize } from "./normalize.js";
import { readFilter } from "./syntax/read.js";
import { validateNormal } from "./validate.js";

/** Options for {@link check}. */
export type CheckOptions = LimitOptions;

/** The outcome of {@link check}. */
export interface CheckResult {
  /** True when there is no error-severity issue: the filter can be sent to the API as it is. */
  readonly ok: boolean;
  /** The parsed filter when the text parsed (even if the API cannot express it). */
  readonly filter?: Filter;
  /** Every syntax and validation issue, in text order, with line and column. */
  readonly issues: readonly Issue[];
}

/** Parses and validates `text`, returning every issue instead of throwing. */
export function check(text: string, options?: CheckOptions): CheckResult {
  if (typeof text !== "string") {
    return { ok: false, issues: [{ code: "not-a-string", message: "the filter must be a string", severity: "error", start: 0, end: 0 }] };
  }
  const limits = resolveLimits(options);
  const { filter, issues: syntax } = readFilter(text, limits);
  if (syntax.length > 0 || !filter) {
    return { ok: false, issues: locateIssues(text, syntax) };
  }
  const issues = locateIssues(text, validateNormal(normalize(filter), limits));
  return { ok: !hasErrors(issues), filter, issues };
}
