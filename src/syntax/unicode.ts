/**
 * Well-formed Unicode: text that UTF-8 can carry unchanged, as URLs, JSON bodies, SQL drivers and
 * `jsonb` need it.
 */

/** Half of a surrogate pair, alone (with the `u` flag, a whole pair is one code point, not `Cs`). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when `text` holds a lone surrogate: it has no UTF-8 form, so `encodeURIComponent` throws on it
 * and `TextEncoder` writes U+FFFD in its place.
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
