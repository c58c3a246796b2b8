/**
 * Base64 (RFC 4648, with padding) for image bytes in JSON: seed files and store exports. Web-standard
 * (`btoa`/`atob`), for every platform.
 */

/** What `atob` would accept, and nothing looser: the alphabet, then at most two `=`, in groups of four. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `bytes` in base64. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // In slices: one `fromCharCode` call per byte of a 10 MB image would be slow, and one call with
  // every byte as an argument would overflow the stack.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** The bytes of base64 `text`, or `undefined` when it is not base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
