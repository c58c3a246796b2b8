/**
 * `listImages`: every image a filter selects, from the real API (or the emulator), whatever the filter.
 * The part the API can evaluate is sent as query parameters (see `targets/plan.ts`), `continuation_token` pages are
 * walked, and the residual is applied locally.
 */
import type { Filter, FilterNode } from "../syntax/ast.js";
import { formatQuery, listParams } from "../semantics/parameters.js";
import { planOf } from "../targets/plan.js";
import { predicateOf, type ImageRecord } from "../targets/predicate.js";
import { listParamsOf } from "../targets/sdk.js";

/** An image as List images V2 returns it (every field optional, as the official SDK types it). */
export interface Image extends ImageRecord {
  readonly id?: string | undefined;
  readonly filename?: string | undefined;
  readonly requireSignedURLs?: boolean | undefined;
  readonly uploaded?: string | undefined;
  readonly variants?: readonly string[] | undefined;
}

/** One page of List images V2. */
interface Page {
  readonly images?: readonly Image[] | null | undefined;
  readonly continuation_token?: string | null | undefined;
}

/** The part of the official `cloudflare` SDK client that `listImages` uses: `client.images.v2.list`. */
export interface ImagesSdkClient {
  readonly images: {
    readonly v2: {
      list(
        params: {
          account_id: string;
          meta?: Record<string, string>;
          creator?: string;
          per_page?: number;
          sort_order?: "asc" | "desc";
          continuation_token?: string;
        },
        options?: { signal?: AbortSignal | undefined | null },
      ): PromiseLike<Page>;
    };
  };
}

/** Plain `fetch` against the REST API (or the emulator). */
export interface FetchSource {
  /** An API token with Images Read. */
  readonly apiToken: string;
  /** Default `https://api.cloudflare.com/client/v4`. */
  readonly baseURL?: string;
  /** Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Retries of 429 and 5xx answers and network failures: how many, and the first delay (doubling). */
  readonly retry?: { readonly attempts?: number; readonly baseDelayMs?: number; readonly maxDelayMs?: number };
}

/** Options for `listImages`. */
export interface ListImagesOptions {
  readonly accountId: string;
  /** The filter, in any form the language allows; default: every image. */
  readonly filter?: FilterNode | string;
  /** Images per request (10..10,000; the API's default is 1,000). */
  readonly perPage?: number;
  /** By upload time; the API's default is `desc`. */
  readonly sortOrder?: "asc" | "desc";
  /** Stops the walk: the iterator rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** An error answer of the API, with its Cloudflare error codes. */
export class ImagesApiError extends Error {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The envelope's `errors`: `[{ code: 10000, message: "Authentication error" }]`. */
  readonly errors: readonly { readonly code: number; readonly message: string }[];

  /** `detail` says what was wrong when the answer carries no error items (an answer that is not a page). */
  constructor(status: number, errors: readonly { code: number; message: string }[], options?: { cause?: unknown; detail?: string }) {
    const detail = errors.map((error) => `${error.code} ${error.message}`).join("; ") || options?.detail || "no error details";
    super(`Images API answered ${status}: ${detail}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ImagesApiError";
    this.status = status;
    this.errors = errors;
  }

  /** The Cloudflare error codes, e.g. `[10000]`. */
  get codes(): number[] {
    return this.errors.map((error) => error.code);
  }
}

/**
 * Yields exactly the images `filter` selects (not `options.filter`: the entry point has read it), walking
 * every page; `options` are checked by the caller (`listOptionIssues`).
 * @throws ImagesApiError when the API answers with an error (after the retries), with something that is
 *   not a page of images, or with a continuation token it gave before (no endless walk); the error of
 *   `fetch` when no answer comes (after the retries); the signal's reason when aborted.
 */
export async function* imagesOf(source: ImagesSdkClient | FetchSource, filter: Filter, options: ListImagesOptions): AsyncGenerator<Image, void, undefined> {
  const sdk = isSdkClient(source);
  const { params, residual, pushed } = planOf(filter, { uniqueKeys: sdk });
  const keep = residual ? predicateOf(residual) : undefined;
  const fetchPage = sdk ? sdkPages(source, pushed, options) : restPages(source, params, options);
  // Tokens already followed: a server that hands one out again would otherwise be walked forever.
  const followed = new Set<string>();
  let token: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await fetchPage(token);
    if (typeof page !== "object" || page === null || (page.images != null && !Array.isArray(page.images))) {
      throw new ImagesApiError(200, [], { detail: "the answer is not a page of images" });
    }
    for (const image of page.images ?? []) {
      options.signal?.throwIfAborted();
      if (!keep || keep(image)) yield image;
    }
    token = page.continuation_token || undefined;
    if (token !== undefined) {
      if (followed.has(token)) throw new ImagesApiError(200, [], { detail: `continuation_token ${JSON.stringify(token)} came back a second time; stopping rather than walking forever` });
      followed.add(token);
    }
  } while (token !== undefined);
}

/** The envelope's `errors` as far as they are error items; anything else is no items. */
function errorItems(value: unknown): { code: number; message: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is { code: unknown; message: unknown } => typeof item === "object" && item !== null)
    .map((item) => ({ code: typeof item.code === "number" ? item.code : NaN, message: typeof item.message === "string" ? item.message : String(item.message) }));
}

function isSdkClient(source: ImagesSdkClient | FetchSource): source is ImagesSdkClient {
  return typeof (source as Partial<ImagesSdkClient>).images?.v2?.list === "function";
}

type PageFetcher = (token: string | undefined) => Promise<Page>;

function sdkPages(client: ImagesSdkClient, pushed: FilterNode, options: ListImagesOptions): PageFetcher {
  // The plan pushed one condition per key, so the SDK's meta object can hold them all.
  const { meta, creator } = listParamsOf(pushed);
  return async (token) => {
    try {
      return await client.images.v2.list(
        {
          account_id: options.accountId,
          meta,
          ...(creator !== undefined && { creator }),
          ...(options.perPage !== undefined && { per_page: options.perPage }),
          ...(options.sortOrder !== undefined && { sort_order: options.sortOrder }),
          ...(token !== undefined && { continuation_token: token }),
        },
        { signal: options.signal },
      );
    } catch (error) {
      // Aborted: the signal's reason, as with the fetch source (the SDK throws its own APIUserAbortError).
      options.signal?.throwIfAborted();
      // The SDK's APIError subclasses carry `status` and the envelope's `errors`.
      const { status, errors } = error as { status?: unknown; errors?: unknown };
      if (typeof status === "number" && Array.isArray(errors)) throw new ImagesApiError(status, errorItems(errors), { cause: error });
      throw error;
    }
  };
}

function restPages(source: FetchSource, params: URLSearchParams, options: ListImagesOptions): PageFetcher {
  const base = withoutTrailingSlashes(source.baseURL ?? "https://api.cloudflare.com/client/v4");
  const doFetch = source.fetch ?? fetch;
  const attempts = source.retry?.attempts ?? 3;
  const baseDelay = source.retry?.baseDelayMs ?? 500;
  const maxDelay = source.retry?.maxDelayMs ?? 8000;
  return async (token) => {
    const query = [...params, ...listParams({ ...options, ...(token !== undefined && { continuationToken: token }) })];
    // Spaces as %20, as the official SDK sends them (URLSearchParams would write +).
    const url = `${base}/accounts/${encodeURIComponent(options.accountId)}/images/v2?${formatQuery(query)}`;
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { authorization: `Bearer ${source.apiToken}`, accept: "application/json" },
          ...(options.signal && { signal: options.signal }),
        });
      } catch (error) {
        if (options.signal?.aborted || attempt >= attempts) throw error;
        await sleep(backoff(attempt, baseDelay, maxDelay, null), options.signal);
        continue;
      }
      const body = (await response.json().catch(() => undefined)) as { success?: boolean; result?: Page; errors?: unknown } | undefined;
      // A body cut short by an abort reads as no JSON: the signal's reason, not an API error.
      options.signal?.throwIfAborted();
      if (response.ok && body?.success !== false && body?.result) return body.result;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= attempts) throw new ImagesApiError(response.status, errorItems(body?.errors));
      await sleep(backoff(attempt, baseDelay, maxDelay, response.headers.get("retry-after")), options.signal);
    }
  };
}

/** `url` without the slashes it ends with (a loop: `/\/+$/` is quadratic on a long run of slashes). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end--;
  return url.slice(0, end);
}

/** Exponential backoff with jitter, or the server's `Retry-After` (seconds or an HTTP date), capped. */
function backoff(attempt: number, base: number, max: number, retryAfter: string | null): number {
  const asked = retryAfter === null || retryAfter.trim() === "" ? NaN : retryAfterMs(retryAfter.trim());
  if (Number.isFinite(asked)) return Math.min(Math.max(0, asked), max);
  return Math.min(max, base * 2 ** attempt * (0.75 + Math.random() / 2));
}

function retryAfterMs(value: string): number {
  return /^\d+(?:\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}
