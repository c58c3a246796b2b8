/**
 * The Cloudflare v4 response envelope, and errors as data. Every failure the emulator reports is an
 * {@link ApiError} value turned into `{ success: false, errors, messages: [], result: null }` with a non-2xx
 * status, because the official SDK only looks at the status to decide that a call failed.
 */

/** One item of `errors[]`, as the API shapes it. */
export interface ErrorItem {
  readonly code: number;
  readonly message: string;
  /** Extra detail the real API adds to auth failures. */
  readonly error_chain?: readonly { readonly code: number; readonly message: string }[];
}

/**
 * The numeric codes the emulator uses. The auth and routing codes are the real API's (observed);
 * the Images ones are the emulator's own choice, since the real ones are not documented.
 */
export const ErrorCode = {
  /** No credentials at all (real API). */
  missingCredentials: 9106,
  /** Credentials in the wrong shape (real API), with an `error_chain` naming the header. */
  invalidHeaders: 6003,
  /** A token or key that is not the configured one (real API). */
  authentication: 10000,
  /** No route for the URI (real API). */
  noRoute: 7003,
  /** A malformed request: bad multipart or JSON body, bad form field, bad custom id, bad expiry. */
  badRequest: 5400,
  /** One library issue of a metadata filter (one error item per issue). */
  invalidFilter: 5401,
  /** `per_page`, `sort_order`, `page` or `continuation_token` out of range or malformed. */
  invalidListParameter: 5402,
  /** Metadata over 1024 bytes of JSON, or not an object. */
  invalidMetadata: 5403,
  /** No image with this id (or nothing uploaded to a draft yet). */
  notFound: 5404,
  /** An image with this custom id exists already. */
  idTaken: 5409,
  /** A direct-upload URL used a second time. */
  uploadUrlUsed: 5410,
  /** A direct-upload URL past its expiry. */
  uploadUrlExpired: 5411,
  /** A request body or file over the size limit; also request line and headers over Node's limit (431). */
  tooLarge: 5413,
  /** A file whose bytes are not a supported image format. */
  unsupportedFormat: 5415,
  /** `url` uploads: the emulator cannot fetch from outside. */
  urlUploadUnsupported: 5416,
  /** A bug in the emulator: reported, never a crash. */
  internal: 5500,
} as const;

/** A failure as data: the HTTP status and the error items. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: readonly ErrorItem[];

  constructor(status: number, errors: readonly ErrorItem[]) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join("; "));
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }

  /** A failure with a single error item. */
  static of(status: number, code: number, message: string): ApiError {
    return new ApiError(status, [{ code, message }]);
  }
}

/** Headers for every JSON response. */
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;

/** A success envelope around `result`. */
export function successResponse(result: unknown, status = 200, extra?: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ success: true, errors: [], messages: [], result, ...extra }), {
    status,
    headers: JSON_HEADERS,
  });
}

/**
 * How a server may take a finished answer without a web `Response` being built for it; `listen()` on
 * Node offers one for GET requests (see node-http.ts). It matters for list pages under load: on Node 20,
 * every `Response` with a body makes a `ReadableStream` for it, a native-backed object that outlives
 * the scavenges of the young generation and leaves ~500 bytes per answer for a full GC to collect.
 */
export interface DirectAnswer {
  /** Sends the answer; returns what the handler returns to the router in place of a `Response`. */
  send(status: number, headers: Readonly<Record<string, string>>, body: Uint8Array): Response;
}

/** The success envelope's text before and after a result that is JSON already (see `successBytesResponse`). */
export const SUCCESS_ENVELOPE = { before: '{"success":true,"errors":[],"messages":[],"result":', after: "}" } as const;

/**
 * A success envelope as UTF-8 bytes, made by the caller around its result with {@link SUCCESS_ENVELOPE}
 * (list pages, rendered without building objects: see `renderImages`); sent directly when the server
 * offers it.
 */
export function successBytesResponse(body: Uint8Array<ArrayBuffer>, direct?: DirectAnswer): Response {
  return direct ? direct.send(200, JSON_HEADERS, body) : new Response(body, { status: 200, headers: JSON_HEADERS });
}

/**
 * The headers of every failure: JSON, and `x-should-retry: false`, because the SDK would otherwise retry
 * a 409, a 429 or a 5xx, which here would fail again the same way (the emulator's answers are
 * deterministic).
 */
export const ERROR_HEADERS = { ...JSON_HEADERS, "x-should-retry": "false" } as const;

/** The failure envelope's JSON text. */
export function errorBody(error: ApiError): string {
  return JSON.stringify({ success: false, errors: error.errors, messages: [], result: null });
}

/** The failure envelope as a `Response`, with {@link ERROR_HEADERS}. */
export function errorResponse(error: ApiError): Response {
  // No `connection: close` on a 413, although the refused body was not read: closing a socket with
  // unread bytes resets it, and the reset can discard the 413 before the client reads it (seen under
  // load). On Node the server instead discards the rest of the body for a moment (never buffering it)
  // and then closes, by which time the answer has arrived.
  return new Response(errorBody(error), { status: error.status, headers: ERROR_HEADERS });
}

/** The answer for any path or method the emulator does not serve (the real API's 404). */
export function noRoute(): ApiError {
  return ApiError.of(404, ErrorCode.noRoute, "No route for the URI");
}

/** Told about a problem the emulator recovers from, with the detail no answer carries (`EmulatorOptions.onWarning`). */
export type Warn = (message: string) => void;

/**
 * The answer for an unexpected exception: a 500 with the envelope, never a crash or an HTML page. The
 * message is plain, whatever the exception: its own text can name files under the data directory (an
 * `ENOENT … open '/…/blobs/.tmp-…'`), so it goes to `warn` only, with the stack.
 */
export function internalError(cause: unknown, warn?: Warn): ApiError {
  warn?.(`internal error, answered with a 500: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  return ApiError.of(500, ErrorCode.internal, "Internal emulator error (the emulator's warnings have the details)");
}

/** The answer of an emulator whose stored data could not be loaded (`ready` rejects with the reason, which names files). */
export function notLoaded(): ApiError {
  return ApiError.of(500, ErrorCode.internal, "The emulator's stored data could not be loaded; its start-up error says why");
}
