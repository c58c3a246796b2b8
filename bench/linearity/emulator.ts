/**
 * The emulator's readers of untrusted input, through its web-standard `fetch` in this process (no HTTP,
 * so that sockets do not blur the figure): request bodies (multipart uploads, their metadata JSON, the
 * SDK's `metadata[a][b]` fields, urlencoded forms, PATCH JSON), uploaded files (the SVG check), and
 * the list route's query.
 *
 * An upload that would succeed names the id of an image that exists already: the request is read and
 * checked in full, then refused with 409, so that the store does not grow from sample to sample.
 */
import { MAX_FILE_BYTES } from "../../src/server/uploads.js";
import { server } from "../server-lib.js";
import { count, repeat, type Shape } from "./measure.js";

const { createEmulator } = server;

const ORIGIN = "http://emulator.test";
const API = `${ORIGIN}/client/v4/accounts/a/images`;
const AUTH = { authorization: "Bearer x" };
/** The image every upload names (so each is refused with 409 after it was read) and every PATCH changes. */
const TAKEN = "taken";
/** The emulator's limit on a PATCH body (`MAX_JSON_BYTES` of src/server/app.ts). */
const MAX_JSON_BYTES = 64 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A file the emulator takes for a PNG (it looks at the signature only), of `size` bytes. */
function png(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(PNG_SIGNATURE);
  return bytes;
}

const encoder = new TextEncoder();

/** A request made afresh for each sample (a body is read once), from bytes prepared once. */
interface Prepared {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array<ArrayBuffer> | (() => ReadableStream<Uint8Array>);
}

function request({ method, url, headers, body }: Prepared): Request {
  if (typeof body === "function") return new Request(url, { method, headers, body: body(), duplex: "half" } as RequestInit);
  return new Request(url, { method, headers, ...(body ? { body } : {}) });
}

/** A multipart upload, serialised once: its bytes and its content type (with the boundary). */
async function upload(fields: readonly (readonly [string, string | Blob])[]): Promise<Prepared> {
  const form = new FormData();
  for (const [name, value] of fields) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, "upload");
  }
  const made = new Request(`${API}/v1`, { method: "POST", body: form });
  const headers = { ...AUTH, "content-type": made.headers.get("content-type")! };
  return { method: "POST", url: `${API}/v1`, headers, body: new Uint8Array(await made.arrayBuffer()) };
}

const file = (bytes: Uint8Array<ArrayBuffer> = png(64)): [string, Blob] => ["file", new Blob([bytes])];
const taken: [string, string] = ["id", TAKEN];

function patch(body: string): Prepared {
  return { method: "PATCH", url: `${API}/v1/${TAKEN}`, headers: { ...AUTH, "content-type": "application/json" }, body: encoder.encode(body) };
}

function list(query: string): Prepared {
  return { method: "GET", url: `${API}/v2?${query}`, headers: AUTH };
}

/** A body of `size` bytes that arrives in 64 KB chunks, with no length declared (chunked, or a lying client). */
function streamed(size: number): () => ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024);
  return () => {
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
  };
}

/** One emulator shape: the request at n and at 10·n, and the answer it must get (status, and error code). */
interface RequestShape {
  readonly make: (n: number) => Prepared | Promise<Prepared>;
  /** n; the larger request is made of 10·n. */
  readonly n: number;
  /** What n counts, for the note. */
  readonly unit: string;
  readonly status: number;
  readonly code?: number;
}

const fields = (n: number, item: (i: number) => [string, string]): [string, string][] => Array.from({ length: n }, (_, i) => item(i));

const shapes: Record<string, RequestShape> = {
  // Multipart uploads (POST images/v1).
  "upload, a file of n bytes": { make: (n) => upload([taken, file(png(n))]), n: 100_000, unit: "bytes of file", status: 409 },
  "upload, metadata JSON within its 1024 bytes": {
    make: (n) => upload([taken, ["metadata", JSON.stringify({ note: "x".repeat(n) })], file()]),
    n: 90,
    unit: "characters of metadata",
    status: 409,
  },
  "upload, metadata JSON over its limit (refused)": {
    make: (n) => upload([taken, ["metadata", JSON.stringify({ note: "x".repeat(n) })], file()]),
    n: 20_000,
    unit: "characters of metadata",
    status: 400,
    code: 5403,
  },
  "upload, metadata JSON nested n deep (refused)": {
    make: (n) => upload([taken, ["metadata", `{"a":${"[".repeat(n)}${"]".repeat(n)}}`], file()]),
    n: 2_000,
    unit: "levels",
    status: 400,
    code: 5403,
  },
  "upload, many form fields": { make: (n) => upload([taken, ...fields(n, (i) => [`f${i}`, "x"]), file()]), n: 100, unit: "fields", status: 409 },
  "upload, one field given many times (refused)": { make: (n) => upload([...fields(n, () => ["creator", "x"]), file()]), n: 100, unit: "fields", status: 400, code: 5400 },
  "upload, metadata[…] fields within 1024 bytes": {
    make: (n) => upload([taken, ...fields(n, (i) => [`metadata[k${i}]`, "v"]), file()]),
    n: 10,
    unit: "fields",
    status: 409,
  },
  "upload, metadata[…] fields over the limit (refused)": {
    make: (n) => upload([taken, ...fields(n, (i) => [`metadata[k${i}]`, "v"]), file()]),
    n: 200,
    unit: "fields",
    status: 400,
    code: 5403,
  },
  "upload, one metadata[a][a]… field n deep (refused)": {
    make: (n) => upload([taken, [`metadata${"[a]".repeat(n)}`, "v"], file()]),
    n: 300,
    unit: "levels",
    status: 400,
    code: 5403,
  },
  "upload, the field metadata[[[… (refused)": {
    make: (n) => upload([taken, [`metadata[${"[".repeat(n)}]`, "v"], file()]),
    n: 1_500,
    unit: "brackets",
    status: 400,
    code: 5403,
  },
  // The SVG check reads at most the first 4 KiB: n and 10·n stay within them.
  "upload, an SVG prolog of n comments (refused)": {
    make: (n) => upload([taken, file(encoder.encode(`${"<!---->".repeat(n)}x`))]),
    n: 50,
    unit: "comments",
    status: 400,
    code: 5415,
  },
  "upload, an SVG prolog of n doctypes (refused)": {
    make: (n) => upload([taken, file(encoder.encode(`${"<!doctype a>".repeat(n)}x`))]),
    n: 30,
    unit: "doctypes",
    status: 400,
    code: 5415,
  },
  "upload, an SVG prolog of one comment closed n times (refused)": {
    make: (n) => upload([taken, file(encoder.encode(`<!--${"-->".repeat(n)}x`))]),
    n: 120,
    unit: "closes",
    status: 400,
    code: 5415,
  },
  // Past the limit, a body is refused once the limit has been read, however long it goes on (and before
  // anything is read when its declared length is over the limit). Streamed as a socket brings it.
  "upload, a body over 10 MB streamed without a length (refused)": {
    make: (n) => ({ method: "POST", url: `${API}/v1`, headers: { ...AUTH, "content-type": "multipart/form-data; boundary=x" }, body: streamed(n) }),
    n: 2 * MAX_FILE_BYTES,
    unit: "bytes",
    status: 413,
    code: 5413,
  },
  // A urlencoded form (POST images/v2/direct_upload).
  "direct upload, an urlencoded form of many fields": {
    make: (n) => ({
      method: "POST",
      url: `${API}/v2/direct_upload`,
      headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
      body: encoder.encode(`id=${TAKEN}&${repeat(n, (i) => `f${i}=x`, "&")}`),
    }),
    n: 500,
    unit: "fields",
    status: 409,
  },
  // PATCH images/v1/:id, a JSON body of at most 64 KB.
  "PATCH, a JSON body with a long ignored key": { make: (n) => patch(JSON.stringify({ metadata: { v: 1 }, note: "x".repeat(n) })), n: 6_000, unit: "characters", status: 200 },
  "PATCH, metadata over its limit (refused)": { make: (n) => patch(JSON.stringify({ metadata: { note: "x".repeat(n) } })), n: 6_000, unit: "characters", status: 400, code: 5403 },
  "PATCH, not JSON: [[[… (refused)": { make: (n) => patch("[".repeat(n)), n: 6_000, unit: "characters", status: 400, code: 5400 },
  "PATCH, a body over 64 KB, its length declared (refused)": {
    make: (n) => ({ ...patch(""), headers: { ...AUTH, "content-type": "application/json", "content-length": String(n) }, body: streamed(n) }),
    n: 2 * MAX_JSON_BYTES,
    unit: "bytes",
    status: 413,
    code: 5413,
  },
  // GET images/v2: the list route's query.
  "list, a filter per parameter (refused: over 5)": { make: (n) => list(repeat(n, (i) => `meta.k${i}[eq]=${i}`, "&")), n: 50, unit: "filters", status: 400, code: 5401 },
  "list, the key meta.[[[… (refused)": { make: (n) => list(`meta.${"[".repeat(n)}=1`), n: 1_500, unit: "brackets", status: 400, code: 5401 },
  "list, an in list of many values (refused)": { make: (n) => list(`meta.a[in]=${repeat(n, (i) => `v${i}`, "|")}`), n: 300, unit: "values", status: 400, code: 5401 },
  "list, per_page given many times (refused)": { make: (n) => list(repeat(n, () => "per_page=10", "&")), n: 150, unit: "parameters", status: 400, code: 5402 },
  "list, many &": { make: (n) => list(`${"&".repeat(n)}meta.a[eq]=1`), n: 1_500, unit: "characters", status: 200 },
};

/** Sends a request and reads the whole answer; returns its status and first error code. */
async function send(emulator: ReturnType<typeof createEmulator>, prepared: Prepared): Promise<{ status: number; code: number | undefined }> {
  const response = await emulator.fetch(request(prepared));
  const body = (await response.json()) as { errors?: { code: number }[] };
  return { status: response.status, code: body.errors?.[0]?.code };
}

/** The emulator rows, and the emulator they use (to close once measured). */
export async function emulatorShapes(): Promise<{ shapes: Shape[]; close: () => Promise<void> }> {
  const emulator = createEmulator();
  const created = await send(emulator, await upload([taken, file()]));
  if (created.status !== 200) throw new Error(`the image ${TAKEN} could not be made: ${created.status}`);
  const rows: Shape[] = [];
  for (const [name, { make, n, unit, status, code }] of Object.entries(shapes)) {
    const small = await make(n);
    const large = await make(n * 10);
    const answer = await send(emulator, large);
    if (answer.status !== status || (code !== undefined && answer.code !== code)) {
      throw new Error(`emulator "${name}": expected ${status}${code ? `/${code}` : ""}, got ${answer.status}/${answer.code}`);
    }
    rows.push({
      subject: `emulator: ${name}`,
      sizes: `${count(n)} → ${count(n * 10)} ${unit}`,
      small: () => send(emulator, small),
      large: () => send(emulator, large),
    });
  }
  return { shapes: rows, close: () => emulator.close() };
}
