/**
 * Placeholder images for seeded records that come without bytes: a small PNG filled with one colour
 * derived from the image's id, so that each seeded image is delivered, and told apart at a glance.
 *
 * Written here byte by byte, for every platform (`node:zlib` is Node-only): the PNG signature, an IHDR
 * chunk (8-bit RGB), one IDAT chunk holding a zlib stream whose deflate data is a single stored
 * (uncompressed) block, which any inflater reads, and IEND; each chunk with its CRC-32.
 */

/** Width and height of a placeholder, in pixels. */
export const PLACEHOLDER_SIZE = 16;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The colour of an id's placeholder: FNV-1a over its UTF-16 code units, three bytes of it. */
export function placeholderColour(id: string): readonly [number, number, number] {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return [(hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
}

/** A {@link PLACEHOLDER_SIZE}-pixel square PNG of the id's colour. */
export function placeholderPng(id: string): Uint8Array<ArrayBuffer> {
  const [red, green, blue] = placeholderColour(id);
  // The image data: per row, filter type 0 (none) and the row's RGB pixels.
  const rowLength = 1 + PLACEHOLDER_SIZE * 3;
  const raw = new Uint8Array(rowLength * PLACEHOLDER_SIZE);
  for (let row = 0; row < PLACEHOLDER_SIZE; row++) {
    for (let x = 0; x < PLACEHOLDER_SIZE; x++) raw.set([red, green, blue], row * rowLength + 1 + x * 3);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, PLACEHOLDER_SIZE);
  view.setUint32(4, PLACEHOLDER_SIZE);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  return concat([Uint8Array.from(SIGNATURE), chunk("IHDR", header), chunk("IDAT", storedZlib(raw)), chunk("IEND", new Uint8Array(0))]);
}

/**
 * A zlib stream (RFC 1950) of `data` in one stored deflate block (RFC 1951, BTYPE 00): a valid stream
 * that compresses nothing, for data of at most 65,535 bytes.
 */
export function storedZlib(data: Uint8Array): Uint8Array<ArrayBuffer> {
  if (data.length > 0xffff) throw new RangeError("a single stored block holds at most 65,535 bytes");
  const out = new Uint8Array(2 + 5 + data.length + 4);
  // CMF 0x78: deflate, 32 KB window; FLG 0x01: no dictionary, lowest level, and (CMF*256 + FLG) % 31 === 0.
  out.set([0x78, 0x01]);
  // BFINAL 1, BTYPE 00, then LEN and its ones' complement NLEN, little-endian.
  out.set([0x01, data.length & 0xff, data.length >>> 8, ~data.length & 0xff, (~data.length >>> 8) & 0xff], 2);
  out.set(data, 7);
  new DataView(out.buffer).setUint32(7 + data.length, adler32(data));
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG and zlib use it). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
