/**
 * The numbers that bound a filter: the Images API's documented limits, and (from the syntax layer) the
 * parser's own guards. Every one can be overridden per call with `{ limits: { ... } }`.
 */
import { DEFAULT_GUARDS, limitValue, resolveGuards, type ParserGuards } from "../syntax/guards.js";

/** The Images API's limits on one request's filters. */
export interface ApiLimits {
  /** Metadata filters per request (the API's limit; `creator` does not count). */
  readonly maxFilters: number;
  /** Segments in one metadata path (the API's "5 levels of nesting"). */
  readonly maxPathSegments: number;
  /** Values in one `in` list (the API's limit for list operators). */
  readonly maxListValues: number;
}

/** Every limit a call can set: the API's, and the parser's guards. */
export interface Limits extends ApiLimits, ParserGuards {}

/** The defaults: the API's documented limits, and parser guards far below any stack overflow. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFilters: 5,
  maxPathSegments: 5,
  maxListValues: 10,
  ...DEFAULT_GUARDS,
});

/** Options shared by the functions that accept limits. */
export interface LimitOptions {
  /**
   * Overrides for {@link DEFAULT_LIMITS}: each a whole number from 0 up, or `Infinity` for none
   * (`maxNestingDepth` is capped at `NESTING_CEILING`: `Infinity` means up to that, since
   * deeper filters would overflow the stack). A limit left out or given as `undefined` keeps its
   * default. Any other value is a RangeError from every function that takes limits, those that never
   * throw for any text (`check`, `suggest`, `tokenize`) included: it is a mistake in the calling code,
   * not in the input.
   */
  readonly limits?: { readonly [K in keyof Limits]?: Limits[K] | undefined };
}

/**
 * The effective limits for a call (`maxNestingDepth` capped at `NESTING_CEILING`). `undefined`
 * keeps a default, so that `{ maxFilters: config.max }` with no `max` configured still applies the API's
 * limit instead of none.
 * @throws RangeError when a limit is not a whole number from 0 up or `Infinity` (NaN would switch it off).
 */
export function resolveLimits(options: LimitOptions | undefined): Limits {
  const given = options?.limits;
  if (!given) return DEFAULT_LIMITS;
  return {
    maxFilters: limitValue("maxFilters", given.maxFilters, DEFAULT_LIMITS.maxFilters),
    maxPathSegments: limitValue("maxPathSegments", given.maxPathSegments, DEFAULT_LIMITS.maxPathSegments),
    maxListValues: limitValue("maxListValues", given.maxListValues, DEFAULT_LIMITS.maxListValues),
    ...resolveGuards(given),
  };
}
