/**
 * `check`: parse and validate in one call, for search boxes. It never throws, whatever the string (only
 * an invalid limit in the options, a mistake in the calling code, is a RangeError), and
 * reports everything at once: every syntax error (Chevrotain's recovery reads on past each one), the
 * API's rules, and with a field schema, unknown fields, wrong types and values outside an enum.
 */
import type { Filter } from "../syntax/ast.js";
import { hasErrors, locateIssues, sortIssues, type Issue } from "../syntax/issues.js";
import { resolveLimits, type LimitOptions } from "./limits.js";
import { normalize } from "./normalize.js";
import { checkFields, type FieldSchema } from "./schema.js";
import { readFilter } from "../syntax/read.js";
import { validateNormal } from "./validate.js";

/** Options for {@link check}. */
export interface CheckOptions extends LimitOptions {
  /** What is known of the metadata fields, to check names, types and enum values. */
  readonly fields?: FieldSchema;
}

/** The outcome of {@link check}. */
export interface CheckResult {
  /** True when there is no error-severity issue: the filter can be sent to the API as it is. */
  readonly ok: boolean;
  /**
   * The filter. With syntax errors, the best partial filter recovery could build (what was understood),
   * or none; without, the whole filter, even when the API cannot express it.
   */
  readonly filter?: Filter;
  /** Every issue, in text order, with line and column. */
  readonly issues: readonly Issue[];
}

/** Parses and validates `text`, returning every issue instead of throwing. */
export function check(text: string, options?: CheckOptions): CheckResult {
  if (typeof text !== "string") {
    return { ok: false, issues: [{ code: "not-a-string", message: "the filter must be a string", severity: "error", start: 0, end: 0 }] };
  }
  const limits = resolveLimits(options);
  const { filter, issues: syntax } = readFilter(text, limits);
  const issues: Issue[] = [...syntax];
  if (filter) {
    issues.push(...validateNormal(normalize(filter), limits));
    if (options?.fields) issues.push(...checkFields(filter, options.fields));
  }
  sortIssues(issues);
  const located = locateIssues(text, issues);
  const ok = !hasErrors(located);
  return filter ? { ok, filter, issues: located } : { ok, issues: located };
}
