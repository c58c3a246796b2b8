/**
 * Turns token images into values (Langium calls this the value converter): unescapes quoted strings and
 * names, reads numbers. Escape problems come back as offsets so the parser can point at them.
 */

/** The escapes accepted in quoted strings and names (JSON's, plus `\'` and `` \` ``). */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  "`": "`",
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** The result of unquoting: the value, or where the first bad escape is (relative to the image). */
export type Unquoted =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly start: number; readonly end: number; readonly escape: string };

/**
 * Removes the quotes around `image` (its first and last character) and decodes its escapes.
 * `\uXXXX` yields the UTF-16 code unit as is, so lone surrogates survive a round trip.
 */
export function unquote(image: string): Unquoted {
  const body = image.slice(1, -1);
  if (!body.includes("\\")) return { ok: true, value: body };
  let out = "";
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== "\\") {
      out += ch;
      i++;
      continue;
    }
    const next = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next === "u") {
      const hex = body.slice(i + 2, i + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const bad = body.slice(i, i + 2 + hex.match(/^[0-9a-fA-F]*/)![0].length);
      return { ok: false, start: 1 + i, end: 1 + i + bad.length, escape: bad };
    }
    const bad = body.slice(i, i + 2);
    return { ok: false, start: 1 + i, end: 1 + i + bad.length, escape: bad };
  }
  return { ok: true, value: out };
}

/** Reads a number token (JSON syntax). Too large a number gives ±Infinity, which the validator refuses. */
export function readNumber(image: string): number {
  return Number(image);
}
