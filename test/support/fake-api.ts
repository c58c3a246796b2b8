/**
 * A minimal in-process stand-in for `GET /accounts/{id}/images/v2`, as a `fetch` function: enough to test
 * clients (`listImages`, the official SDK) without a server. It reads filters with the library itself.
 */
import { FilterError, fromSearchParams, toPredicate, type Image } from "../../src/index.js";

export interface FakeApiOptions {
  /** Statuses to answer with, one per request, before answering normally (e.g. [429, 503]). */
  readonly failures?: number[];
  /** Every request URL, in order. */
  readonly requests?: string[];
}

function envelope(status: number, body: object): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function fakeImagesApi(images: readonly Image[], options: FakeApiOptions = {}): typeof fetch {
  const failures = [...(options.failures ?? [])];
  return async (input, init) => {
    const request = new Request(input, init);
    options.requests?.push(request.url);
    const failure = failures.shift();
    if (failure !== undefined) return envelope(failure, { success: false, errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }], messages: [], result: null });
    if (!request.headers.get("authorization")) return envelope(400, { success: false, errors: [{ code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" }], messages: [], result: null });
    const url = new URL(request.url);
    let keep: (image: Image) => boolean;
    try {
      keep = toPredicate(fromSearchParams(url.searchParams));
    } catch (error) {
      const issues = (error as FilterError).issues;
      return envelope(400, { success: false, errors: issues.map((issue) => ({ code: 5400, message: issue.message })), messages: [], result: null });
    }
    const desc = url.searchParams.get("sort_order") !== "asc";
    const sorted = images
      .filter(keep)
      .sort((a, b) => (a.uploaded! < b.uploaded! ? -1 : a.uploaded! > b.uploaded! ? 1 : a.id! < b.id! ? -1 : 1) * (desc ? -1 : 1));
    const perPage = Number(url.searchParams.get("per_page") ?? 1000);
    const offset = Number(url.searchParams.get("continuation_token") || 0);
    const page = sorted.slice(offset, offset + perPage);
    const next = offset + perPage < sorted.length ? String(offset + perPage) : null;
    return envelope(200, { success: true, errors: [], messages: [], result: { images: page, continuation_token: next } });
  };
}

/** Images with ids img-000…, uploaded one second apart, with varied metadata. */
export function demoImages(count: number): Image[] {
  const statuses = ["active", "pending", "deleted", "flagged"];
  return Array.from({ length: count }, (_, i) => ({
    id: `img-${String(i).padStart(3, "0")}`,
    uploaded: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    creator: i % 3 === 0 ? null : `user${i % 4}`,
    meta: { status: statuses[i % 4], priority: (i % 5) + 1, region: { name: i % 2 ? "eu-west" : "us-east" }, tag: i % 7 === 0 ? "a|b" : "plain" },
  }));
}
