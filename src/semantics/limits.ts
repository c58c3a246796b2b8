/**
 * The numbers that bound a filter: the Images API's documented limits and the parser's own guards.
 * Every one can be overridden per call with `{ limits: { ... } }`.
 */

/** Limits applied by the parser and the validator. */
export interface Limits {
  /** Metadata filters per request (the API's limit; `creator` does not count). */
  readonly maxFilters: number;
  /** Segments in one metadata path (the API's "5 levels of nesting"). */
  readonly maxPathSegments: number;
  /** Values in one `in` list (the API's limit for list operators). */
  readonly maxListValues: number;
  /** Characters of filter text; longer input is refused before it is read. */
  readonly maxInputLength: number;
  /**
   * Nesting of parentheses and `not`s; deeper input is refused before it is parsed. At most
   * {@link NESTING_CEILING}, whatever is given (`Infinity` included).
   */
  readonly maxNestingDepth: number;
}

/** The defaults: the API's documented limits, and parser guards far below any stack overflow. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFilters: 5,
  maxPathSegments: 5,
  maxListValues: 10,
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

/** The API's bounds for `per_page` on List images V2. */
export const PER_PAGE_RANGE: Readonly<{ min: number; max: number }> = Object.freeze({
  min: 10,
  max: 10_000,
});

/** The longest `continuation_token` the API's schema allows. */
export const MAX_CONTINUATION_TOKEN_LENGTH = 32;

/** Options shared by the functions that accept limits. */
export interface LimitOptions {
  /**
   * Overrides for {@link DEFAULT_LIMITS}: each a whole number from 0 up, or `Infinity` for none
   * (`maxNestingDepth` is capped at {@link NESTING_CEILING}: `Infinity` means up to that, since
   * deeper filters would overflow the stack). A limit left out or given as `undefined` keeps its
   * default. Any other value is a RangeError from every function that takes limits, those that never
   * throw for any text (`check`, `suggest`, `tokenize`) included: it is a mistake in the calling code,
   * not in the input.
   */
  readonly limits?: { readonly [K in keyof Limits]?: Limits[K] | undefined };
}

/**
 * The effective limits for a call (`maxNestingDepth` capped at {@link NESTING_CEILING}). `undefined`
 * keeps a default, so that `{ maxFilters: config.max }` with no `max` configured still applies the API's
 * limit instead of none.
 * @throws RangeError when a limit is not a whole number from 0 up or `Infinity` (NaN would switch it off).
 */
export function resolveLimits(options: LimitOptions | undefined): Limits {
  const given = options?.limits;
  if (!given) return DEFAULT_LIMITS;
  const limits: { -readonly [K in keyof Limits]: number } = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value: unknown = given[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !((Number.isInteger(value) && value >= 0) || value === Infinity)) {
      throw new RangeError(`limits.${key} must be a whole number from 0 up, or Infinity, not ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
    limits[key] = key === "maxNestingDepth" ? Math.min(value, NESTING_CEILING) : value;
  }
  return limits;
}
