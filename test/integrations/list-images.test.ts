/**
 * `listImages` (src/integrations/list-images.ts): every image a filter selects, walking every page through
 * the official SDK or `fetch`, the part the API can evaluate sent as parameters and the residual applied
 * locally; retries, aborts, and answers that are not pages.
 */
import Cloudflare from "cloudflare";
import { describe, expect, it } from "vitest";
import { FilterError, toPredicate, type Image } from "../../src/index.js";
import { ImagesApiError, listImages } from "../../src/integrations.js";
import { demoImages, emulatorWith } from "../support/list-images.js";

describe("listImages", () => {
  // Against the emulator, in this process: it reads filters with the library, pages by continuation
  // tokens, and injects the failures the retry tests need (see test/server/faults.test.ts for more).
  const images = demoImages(57);
  const ids = (list: readonly Image[]) => list.map((image) => image.id);
  async function collect(iterable: AsyncIterable<Image>): Promise<Image[]> {
    const out: Image[] = [];
    for await (const image of iterable) out.push(image);
    return out;
  }
  const expected = (filter: string) => ids(images.filter(toPredicate(filter)).sort((a, b) => (a.uploaded! < b.uploaded! ? 1 : -1)));
  /** The query strings of the requests sent, decoded as the emulator's request log shows them. */
  const sent = (emulator: ReturnType<typeof emulatorWith>["emulator"]) => emulator.recentRequests().map((record) => record.path);

  it("walks every page and applies the residual (fetch source)", async () => {
    const { emulator, fetch } = emulatorWith(images);
    const filter = 'status != "deleted" and (priority = 1 or region.name = "eu-west") and tag in ("a|b", plain) and creator != user0';
    const found = await collect(listImages({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch }, { accountId: "acc", filter, perPage: 10 }));
    expect(ids(found)).toEqual(expected(filter));
    expect(found.length).toBeGreaterThan(0);
    expect(sent(emulator).length).toBeGreaterThan(1);
    expect(sent(emulator).every((path) => !path.includes("meta.") && !path.includes("creator"))).toBe(true); // nothing pushable

    const pushed = emulatorWith(images);
    const byCreator = await collect(listImages({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: pushed.fetch }, { accountId: "acc", filter: "creator = user1 and priority > 2" }));
    expect(ids(byCreator)).toEqual(expected("creator = user1 and priority > 2"));
    expect(sent(pushed.emulator)[0]).toContain("creator=user1");
  });

  it("drops the slashes a base URL ends with, however many", async () => {
    for (const baseURL of ["http://api.test/client/v4/", "http://api.test/client/v4" + "/".repeat(10_000)]) {
      const { fetch, requests } = emulatorWith(images);
      await collect(listImages({ apiToken: "t", baseURL, fetch }, { accountId: "acc", filter: "creator = user1" }));
      expect(requests[0]).toBe("http://api.test/client/v4/accounts/acc/images/v2?creator=user1");
    }
  });

  it("walks every page with the official SDK as the source", async () => {
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: emulatorWith(images).fetch, maxRetries: 0 });
    const filter = "priority > 1 and priority > 2 and not status = pending"; // two ranges on one key: one stays local
    const found = await collect(listImages(client, { accountId: "acc", filter, perPage: 10 }));
    expect(ids(found)).toEqual(expected(filter));
  });

  it("sends spaces as %20, as the official SDK does", async () => {
    const { fetch, requests } = emulatorWith(images);
    await collect(listImages({ apiToken: "t", fetch }, { accountId: "acc", filter: 'status = "in review" and tag = "a+b"' }));
    expect(requests[0]).toContain("meta.status[eq:string]=in%20review&meta.tag[eq:string]=a%2Bb");
  });

  it("sorts as asked", async () => {
    const found = await collect(listImages({ apiToken: "t", fetch: emulatorWith(images).fetch }, { accountId: "acc", sortOrder: "asc", perPage: 10 }));
    expect(ids(found)).toEqual(ids(images));
  });

  it("retries 429 and 5xx a bounded number of times", async () => {
    const flaky = emulatorWith(images, { faults: ["list:429:retry-after=0:times=1", "list:503:times=1"] });
    const source = { apiToken: "t", fetch: flaky.fetch, retry: { baseDelayMs: 0 } };
    expect(await collect(listImages(source, { accountId: "acc", filter: "priority = 5" }))).toHaveLength(images.filter(toPredicate("priority = 5")).length);
    expect(flaky.emulator.recentRequests().map((record) => record.status)).toEqual([429, 503, 200]);

    const down = emulatorWith(images, { faults: ["list:503"] });
    const failing = { apiToken: "t", fetch: down.fetch, retry: { attempts: 2, baseDelayMs: 0 } };
    const error = await collect(listImages(failing, { accountId: "acc" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).status).toBe(503);
    expect(down.requests).toHaveLength(3);
  });

  it("surfaces API errors with their Cloudflare codes, without retrying 4xx", async () => {
    const { emulator, fetch } = emulatorWith(images);
    const noAuth: typeof fetch = (input, init) => fetch(input, { ...init, headers: {} });
    const error = await collect(listImages({ apiToken: "t", fetch: noAuth }, { accountId: "acc" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).codes).toEqual([9106]);
    expect(sent(emulator)).toHaveLength(1);

    const refusing = emulatorWith(images, { faults: ["list:400:code=971"] });
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: refusing.fetch, maxRetries: 0 });
    const sdkError = await collect(listImages(client, { accountId: "acc" })).catch((e: unknown) => e);
    expect(sdkError).toBeInstanceOf(ImagesApiError);
    expect((sdkError as ImagesApiError).codes).toEqual([971]);
  });

  it("honours an AbortSignal between pages", async () => {
    const controller = new AbortController();
    const seen: Image[] = [];
    const walk = async () => {
      for await (const image of listImages({ apiToken: "t", fetch: emulatorWith(images).fetch }, { accountId: "acc", perPage: 10, signal: controller.signal })) {
        seen.push(image);
        if (seen.length === 10) controller.abort(new Error("enough"));
      }
    };
    await expect(walk()).rejects.toThrow("enough");
    expect(seen).toHaveLength(10);
  });

  // The tests below need answers no API gives (a request that never ends, a body cut short, the same
  // token again, HTML): hand-made `fetch` functions.
  it("rejects with the signal's reason when aborted during a request, with either source", async () => {
    const reason = new Error("stop");
    // A fetch that aborts the walk when called, then waits for the abort like a slow server.
    const aborting = (controller: AbortController): typeof fetch => (_input, init) => {
      controller.abort(reason);
      return new Promise((_resolve, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener("abort", () => reject(signal.reason));
      });
    };
    const viaSdk = new AbortController();
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: aborting(viaSdk), maxRetries: 0 });
    await expect(collect(listImages(client, { accountId: "acc", signal: viaSdk.signal }))).rejects.toBe(reason);
    const viaFetch = new AbortController();
    await expect(collect(listImages({ apiToken: "t", fetch: aborting(viaFetch) }, { accountId: "acc", signal: viaFetch.signal }))).rejects.toBe(reason);

    // Aborted while the body arrives: not an API error for a body cut short.
    const midBody = new AbortController();
    const partial: typeof fetch = async () =>
      new Response(
        new ReadableStream({
          start(stream) {
            stream.enqueue(new TextEncoder().encode('{"success":true,"result":{"images":['));
            midBody.abort(reason);
            stream.error(reason);
          },
        }),
        { status: 200 },
      );
    await expect(collect(listImages({ apiToken: "t", fetch: partial }, { accountId: "acc", signal: midBody.signal }))).rejects.toBe(reason);

    // Aborted with a 503 in hand: no backoff first (a minute here).
    const mid503 = new AbortController();
    const busy: typeof fetch = async () => {
      mid503.abort(reason);
      return new Response("{}", { status: 503 });
    };
    await expect(collect(listImages({ apiToken: "t", fetch: busy, retry: { baseDelayMs: 60_000 } }, { accountId: "acc", signal: mid503.signal }))).rejects.toBe(reason);
  });

  it("waits what a Retry-After date asks: one already past means at once, not the backoff", async () => {
    // The emulator sends Retry-After in seconds; the HTTP-date form, by hand.
    const inner = emulatorWith(images).fetch;
    let first = true;
    const limited: typeof fetch = async (input, init) => {
      if (!first) return inner(input, init);
      first = false;
      return new Response('{"success":false,"errors":[{"code":971,"message":"slow down"}]}', { status: 429, headers: { "retry-after": new Date(0).toUTCString() } });
    };
    // Without the date read, the backoff would wait a minute and the test would time out.
    const found = await collect(listImages({ apiToken: "t", fetch: limited, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } }, { accountId: "acc", filter: "priority = 5" }));
    expect(found).toHaveLength(images.filter(toPredicate("priority = 5")).length);
  });

  it("stops with an ImagesApiError, never a hang or a TypeError, on answers that are not pages", async () => {
    let calls = 0;
    // The same continuation token every time (a count guards against walking forever without the check).
    const looping: typeof fetch = async () => {
      if (++calls > 5) throw new Error("walked on past a repeated token");
      return new Response(JSON.stringify({ success: true, errors: [], messages: [], result: { images: [], continuation_token: "again" } }), { status: 200 });
    };
    const loop = await collect(listImages({ apiToken: "t", fetch: looping }, { accountId: "acc" })).catch((e: unknown) => e);
    expect(loop).toBeInstanceOf(ImagesApiError);
    expect((loop as ImagesApiError).message).toContain("came back a second time");
    expect(calls).toBe(2);

    const oddErrors: typeof fetch = async () => new Response('{"success":false,"errors":"nope"}', { status: 400 });
    const odd = await collect(listImages({ apiToken: "t", fetch: oddErrors }, { accountId: "acc" })).catch((e: unknown) => e);
    expect(odd).toBeInstanceOf(ImagesApiError);
    expect((odd as ImagesApiError).codes).toEqual([]);

    const html: typeof fetch = async () => new Response("<html>maintenance</html>", { status: 200, headers: { "content-type": "text/html" } });
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: html, maxRetries: 0 });
    const notPage = await collect(listImages(client, { accountId: "acc" })).catch((e: unknown) => e);
    expect(notPage).toBeInstanceOf(ImagesApiError);
    expect((notPage as ImagesApiError).message).toContain("not a page of images");
  });

  it("checks perPage and sortOrder before any request", async () => {
    const { fetch, requests } = emulatorWith(images);
    const source = { apiToken: "t", fetch };
    await expect(collect(listImages(source, { accountId: "acc", perPage: 5 }))).rejects.toThrow(FilterError);
    await expect(collect(listImages(source, { accountId: "acc", sortOrder: "up" as "asc" }))).rejects.toThrow(FilterError);
    expect(requests).toEqual([]);
  });

  it("refuses a filter that does not parse before any request", async () => {
    const { fetch, requests } = emulatorWith(images);
    await expect(collect(listImages({ apiToken: "t", fetch }, { accountId: "acc", filter: "a = " }))).rejects.toThrow(FilterError);
    expect(requests).toEqual([]);
  });
});
