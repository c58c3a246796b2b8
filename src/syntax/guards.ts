/**
 * The parser's own guards: how much text it reads, and how deep it lets parentheses and `not`s nest.
 * They protect the reader (time, stack), whatever the filter is for; the Images API's numbers are
 * another matter and live with its rules (`semantics/limits.ts`).
 */

/** The bounds the reader keeps. */
export interface ParserGuards {
  /** Characters of filter text; longer input is refused before it is read. */
  readonly maxInputLength: number;
  /**
   * Nesting of parentheses and `not`s; deeper input is refused before it is parsed. At most
   * {@link NESTING_CEILING}, whatever is given (`Infinity` included).
   */
  readonly maxNestingDepth: number;
}

/** The defaults: far below any stack overflow, and above any filter people type. */
export const DEFAULT_GUARDS: Readonly<ParserGuards> = Object.freeze({
  maxInputLength: 10_000,
  maxNestingDepth: 100,
});

/**
 * The deepest nesting of parentheses and `not`s that any function reads, whatever `maxNestingDepth` says:
 * a raised limit, `Infinity` included, means "up to this". Every function walks a filter recursively,
 * the parser most of all (about 2 KB of stack per parenthesis), so beyond some depth any of them would
 * overflow the stack. Measured cold, the parser reads 494 nested parentheses on Node and 446 in workerd,
 * 459 on Chromium's main thread and 233 in a Chromium web worker (whose stack is half as big); the other
 * functions go 3 to 7 times deeper. A hand-built filter nested deeper (counted as its text would nest)
 * is refused with the same `nesting-too-deep` issue by every function that takes one.
 */
export const NESTING_CEILING = 128;

/**
 * A limit as given, checked: `undefined` keeps the default (so that `{ maxFilters: config.max }` with no
 * `max` configured still applies one), a whole number from 0 up or `Infinity` is taken.
 * @throws RangeError for anything else (NaN would switch a limit off silently).
 */
export function limitValue(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !((Number.isInteger(value) && value >= 0) || value === Infinity)) {
    throw new RangeError(`limits.${name} must be a whole number from 0 up, or Infinity, not ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
  }
  return value;
}

/** The guards of a `limits` option (`maxNestingDepth` capped at {@link NESTING_CEILING}). */
export function resolveGuards(given: { readonly maxInputLength?: unknown; readonly maxNestingDepth?: unknown } | undefined): ParserGuards {
  if (!given) return DEFAULT_GUARDS;
  return {
    maxInputLength: limitValue("maxInputLength", given.maxInputLength, DEFAULT_GUARDS.maxInputLength),
    maxNestingDepth: Math.min(limitValue("maxNestingDepth", given.maxNestingDepth, DEFAULT_GUARDS.maxNestingDepth), NESTING_CEILING),
  };
}
