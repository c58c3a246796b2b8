/**
 * Request bodies, size-limited before they are buffered: a `content-length` over the limit is refused
 * without reading, and the streamed bytes are counted too (a body may come chunked, or lie).
 */
import { ApiError, ErrorCode } from "./errors.js";

function tooLarge(limit: number): ApiError {
  return ApiError.of(413, ErrorCode.tooLarge, `request body is over the limit of ${limit} bytes`);
}

/** The whole body, or a 413 as soon as it passes `limit` bytes. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      throw ApiError.of(400, ErrorCode.badRequest, "the request body could not be read");
    }
    if (step.done) break;
    size += step.value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(step.value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}

/**
 * A multipart (or urlencoded) form, parsed by the platform's `Request.formData()`. An empty body with
 * no content type is an empty form: the SDK sends one for a call without parameters.
 */
export async function readForm(request: Request, limit: number): Promise<FormData> {
  const body = await readBody(request, limit);
  const type = request.headers.get("content-type");
  if (type === null && body.length === 0) return new FormData();
  if (type === null || !/^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
    throw ApiError.of(400, ErrorCode.badRequest, "the request body must be multipart/form-data");
  }
  try {
    return await new Request("http://body.invalid/", { method: "POST", headers: { "content-type": type }, body }).formData();
  } catch {
    throw ApiError.of(400, ErrorCode.badRequest, "the request body is not valid multipart/form-data");
  }
}

/**
 * A JSON body (a PATCH), size-limited; a 400 when it is not JSON. With `optional`, an empty body (a bare
 * `curl -X POST`) is `undefined` rather than a 400.
 */
export async function readJson(request: Request, limit: number, optional = false): Promise<unknown> {
  const body = await readBody(request, limit);
  if (optional && body.length === 0) return undefined;
  const text = new TextDecoder().decode(body);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw ApiError.of(400, ErrorCode.badRequest, "the request body must be a JSON object");
  }
}
