/**
 * Unguessable tokens (continuation tokens, direct-upload URLs): 128 random bits as 22 base64url
 * characters, and a comparison whose time does not depend on where two tokens first differ.
 */

/** The shape of every token {@link randomToken} makes. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** 128 bits from `crypto.getRandomValues`, base64url without padding (22 characters). */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  // Base64 has "=" only as padding at the end (and `/=+$/` would be quadratic on a run of them).
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "");
}

/**
 * True when two tokens are equal. Every character is compared whatever the first difference, so the
 * answer's timing does not tell an attacker how many leading characters they guessed right. (Lengths
 * are public: every token has 22 characters.)
 */
export function sameToken(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}
