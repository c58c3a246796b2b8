/**
 * Predicate pushdown and the integrations: `plan`, `toListParams`, `toBindingFilter`, `listImages`.
 */
import Cloudflare from "cloudflare";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FilterError,
  format,
  fromSearchParams,
  plan,
  toPredicate,
  validate,
  type Image,
  type ImageRecord,
} from "../../src/index.js";
import { ImagesApiError, listImages, toBindingFilter, toListParams, type BindingFilter } from "../../src/integrations.js";
import { codes } from "../support/codes.js";
import { filterArb, imageArb, rootFilterArb, SEED } from "../support/arbitraries.js";
import { demoImages, fakeImagesApi } from "../support/fake-api.js";
import { conformance } from "../conformance/runner.js";


describe("plan", () => {
  it.each<[string, string, string | null]>([
    ['status = "active"', "meta.status[eq:string]=active", null],
    ["a = 1 or b = 2", "", "a = 1 or b = 2"],
    ['status = "active" and (a = 1 or b = 2)', "meta.status[eq:string]=active", "a = 1 or b = 2"],
    ["status != x and rating >= 4", "meta.rating[gte:number]=4", 'status != "x"'],
    ['tag in ("a|b", c) and creator = u', "creator=u", 'tag in ("a|b", "c")'],
    // Six filters: equalities are chosen first, then lists, then ranges (sent in written order); the rest stays local.
    [
      "r > 1 and l in (1, 2, 3) and a = 1 and b = 2 and s in (1, 2) and c = 3",
      "meta.l[in:number]=1|2|3&meta.a[eq:number]=1&meta.b[eq:number]=2&meta.s[in:number]=1|2&meta.c[eq:number]=3",
      "r > 1",
    ],
    ["a = 1 or a = 2", "meta.a[in:number]=1|2", null],
    ["", "", null],
  ])("%s", (text, params, residual) => {
    const result = plan(text);
    expect(decodeURIComponent(result.params.toString().replace(/\+/g, " "))).toBe(params);
    expect(result.residual && format(result.residual)).toBe(residual);
    expect(result.exact).toBe(residual === null);
  });

  it("honours the caller's limits", () => {
    expect(plan("a.b.c.d.e.f = 1", { limits: { maxPathSegments: 10 } }).exact).toBe(true);
    expect(plan(`a in (${Array.from({ length: 11 }, (_, i) => i).join(", ")})`, { limits: { maxListValues: 20 } }).exact).toBe(true);
    expect(plan("a = 1 and b = 2 and c = 3", { limits: { maxFilters: 2 } }).residual).toMatchObject({ type: "compare" });
  });

  it("names the condition a unique key left out when residuals are refused", () => {
    expect(codes(() => plan("a > 1 and a > 2", { uniqueKeys: true, allowResidual: false }))).toEqual(["duplicate-param"]);
  });

  it("can refuse residuals", () => {
    expect(codes(() => plan("a = 1 or b = 2", { allowResidual: false }))).toEqual(["or-not-supported"]);
    expect(plan("a = 1", { allowResidual: false }).exact).toBe(true);
  });

  it("params AND residual select exactly what the filter selects; params always validate", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.array(imageArb, { minLength: 1, maxLength: 8 }), (filter, images) => {
        const { params, residual, exact } = plan(filter);
        const pushed = fromSearchParams(params);
        expect(validate(pushed)).toEqual([]);
        expect(exact).toBe(residual === null);
        const whole = toPredicate(filter);
        const api = toPredicate(pushed);
        const local = residual ? toPredicate(residual) : () => true;
        for (const image of images) expect(api(image) && local(image)).toBe(whole(image));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe("toListParams", () => {
  it("shapes the params for client.images.v2.list", () => {
    expect(toListParams('status = "active" and priority in (4, 5) and creator = ""')).toEqual({
      meta: { "status[eq:string]": "active", "priority[in:number]": "4|5" },
      creator: "",
    });
    expect(toListParams("")).toEqual({ meta: {} });
  });

  it("refuses what the SDK's meta object cannot hold, and what the API cannot express", () => {
    expect(codes(() => toListParams("n > 1 and n > 2"))).toEqual(["duplicate-param"]);
    expect(codes(() => toListParams("a != 1"))).toEqual(["negation-not-supported"]);
  });

  it("goes through the real SDK onto the wire as the API expects", async () => {
    const requests: string[] = [];
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: fakeImagesApi(demoImages(20), { requests }), maxRetries: 0 });
    const page = await client.images.v2.list({ account_id: "acc", ...toListParams('status = "pending" and region.name = "eu-west"') });
    expect(page.images?.map((image) => image.id)).toEqual(["img-017", "img-013", "img-009", "img-005", "img-001"]);
    expect(requests[0]).toContain("meta.status%5Beq%3Astring%5D=pending&meta.region.name%5Beq%3Astring%5D=eu-west");
  });
});

/**
 * The Workers binding's local matcher, as `../shared/reference/workers-binding-filter.md` describes it,
 * used as an oracle: on plain-object metadata without arrays it must agree with `toPredicate`.
 */
function bindingMatches(filter: BindingFilter, image: ImageRecord): boolean {
  for (const [path, condition] of Object.entries(filter.metadata ?? {})) {
    let actual: unknown = image.meta ?? {};
    for (const key of path.split(".")) actual = actual !== null && typeof actual === "object" && Object.hasOwn(actual, key) ? (actual as Record<string, unknown>)[key] : undefined;
    const ops = typeof condition === "object" ? condition : { eq: condition };
    if ("eq" in ops && actual !== ops.eq) return false;
    if (ops.in && !(ops.in as unknown[]).some((value) => value === actual)) return false;
    const number = typeof actual === "number" ? actual : undefined;
    if (ops.gt !== undefined && !(number !== undefined && number > ops.gt)) return false;
    if (ops.gte !== undefined && !(number !== undefined && number >= ops.gte)) return false;
    if (ops.lt !== undefined && !(number !== undefined && number < ops.lt)) return false;
    if (ops.lte !== undefined && !(number !== undefined && number <= ops.lte)) return false;
  }
  return true;
}

describe("toBindingFilter", () => {
  it("merges conditions on one path into one object", () => {
    expect(toBindingFilter('region.name = "eu-west" and priority in (4, 5) and rating >= 4 and rating < 5 and rating >= 3')).toEqual({
      metadata: { "region.name": "eu-west", priority: { in: [4, 5] }, rating: { gte: 4, lt: 5 } },
    });
    expect(toBindingFilter("p in (1, 2, 3) and p in (2, 3, 4)")).toEqual({ metadata: { p: { in: [2, 3] } } });
    expect(toBindingFilter("p in (1, 2) and p = 2 and p > 1")).toEqual({ metadata: { p: { eq: 2, gt: 1 } } });
    expect(toBindingFilter("enabled = true")).toEqual({ metadata: { enabled: true } });
    expect(toBindingFilter("")).toEqual({});
  });

  it("applies the binding's own rules, not those of the query string", () => {
    // A list is a real array there, so "" and | are fine; conditions merged on one path count once.
    expect(toBindingFilter('a in ("", "x|y")')).toEqual({ metadata: { a: { in: ["", "x|y"] } } });
    expect(toBindingFilter("a > 1 and a < 5 and b > 1 and b < 5 and c > 1 and c < 5")).toEqual({
      metadata: { a: { gt: 1, lt: 5 }, b: { gt: 1, lt: 5 }, c: { gt: 1, lt: 5 } },
    });
    expect(codes(() => toBindingFilter("a = 1 and b = 1 and c = 1 and d = 1 and e = 1 and f = 1"))).toEqual(["too-many-filters"]);
  });

  it.each([
    ["a != 1", "negation-not-supported"],
    ["a = 1 or b = 2", "or-not-supported"],
    ["creator = u", "binding-unsupported"],
    ['creator = ""', "binding-unsupported"],
    ["a = 1 and a = 2", "conflicting-conditions"],
    ["a in (1, 2) and a in (3)", "conflicting-conditions"],
    ["a > x", "range-needs-number"],
    ["a in (true, false)", "boolean-list"],
  ])("refuses %s (%s)", (text, code) => {
    expect(codes(() => toBindingFilter(text))).toContain(code);
  });

  it("selects what toPredicate selects, by the binding's own matching rules", () => {
    const plainImage = imageArb.filter((image) => JSON.stringify(image.meta ?? {}).indexOf("[") < 0 && typeof image.meta === "object" && image.meta !== null);
    const expressible = filterArb.filter((filter) => {
      try {
        toBindingFilter(filter);
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(expressible, fc.array(plainImage, { minLength: 1, maxLength: 8 }), (filter, images) => {
        const binding = toBindingFilter(filter);
        const predicate = toPredicate(filter);
        for (const image of images) expect(bindingMatches(binding, image)).toBe(predicate(image));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe("listImages", () => {
  const images = demoImages(57);
  const ids = (list: readonly Image[]) => list.map((image) => image.id);
  async function collect(iterable: AsyncIterable<Image>): Promise<Image[]> {
    const out: Image[] = [];
    for await (const image of iterable) out.push(image);
    return out;
  }
  const expected = (filter: string) => ids(images.filter(toPredicate(filter)).sort((a, b) => (a.uploaded! < b.uploaded! ? 1 : -1)));

  it("walks every page and applies the residual (fetch source)", async () => {
    const requests: string[] = [];
    const filter = 'status != "deleted" and (priority = 1 or region.name = "eu-west") and tag in ("a|b", plain) and creator != user0';
    const found = await collect(listImages({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: fakeImagesApi(images, { requests }) }, { accountId: "acc", filter, perPage: 10 }));
    expect(ids(found)).toEqual(expected(filter));
    expect(found.length).toBeGreaterThan(0);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((url) => !url.includes("meta.") && !url.includes("creator"))).toBe(true); // nothing pushable

    const pushed: string[] = [];
    const byCreator = await collect(listImages({ apiToken: "t", fetch: fakeImagesApi(images, { requests: pushed }) }, { accountId: "acc", filter: "creator = user1 and priority > 2" }));
    expect(ids(byCreator)).toEqual(expected("creator = user1 and priority > 2"));
    expect(pushed[0]).toContain("creator=user1");
  });

  it("drops the slashes a base URL ends with, however many", async () => {
    for (const baseURL of ["http://api.test/client/v4/", "http://api.test/client/v4" + "/".repeat(10_000)]) {
      const requests: string[] = [];
      await collect(listImages({ apiToken: "t", baseURL, fetch: fakeImagesApi(images, { requests }) }, { accountId: "acc", filter: "creator = user1" }));
      expect(requests[0]).toBe("http://api.test/client/v4/accounts/acc/images/v2?creator=user1");
    }
  });

  it("walks every page with the official SDK as the source", async () => {
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: fakeImagesApi(images), maxRetries: 0 });
    const filter = "priority > 1 and priority > 2 and not status = pending"; // two ranges on one key: one stays local
    const found = await collect(listImages(client, { accountId: "acc", filter, perPage: 10 }));
    expect(ids(found)).toEqual(expected(filter));
  });

  it("sends spaces as %20, as the official SDK does", async () => {
    const requests: string[] = [];
    await collect(listImages({ apiToken: "t", fetch: fakeImagesApi(images, { requests }) }, { accountId: "acc", filter: 'status = "in review" and tag = "a+b"' }));
    expect(requests[0]).toContain("meta.status[eq:string]=in%20review&meta.tag[eq:string]=a%2Bb");
  });

  it("sorts as asked", async () => {
    const found = await collect(listImages({ apiToken: "t", fetch: fakeImagesApi(images) }, { accountId: "acc", sortOrder: "asc", perPage: 10 }));
    expect(ids(found)).toEqual(ids(images));
  });

  it("retries 429 and 5xx a bounded number of times", async () => {
    const requests: string[] = [];
    const source = { apiToken: "t", fetch: fakeImagesApi(images, { failures: [429, 503], requests }), retry: { baseDelayMs: 0 } };
    expect(await collect(listImages(source, { accountId: "acc", filter: "priority = 5" }))).toHaveLength(images.filter(toPredicate("priority = 5")).length);
    expect(requests).toHaveLength(3);

    const failing = { apiToken: "t", fetch: fakeImagesApi(images, { failures: [503, 503, 503] }), retry: { attempts: 2, baseDelayMs: 0 } };
    const error = await collect(listImages(failing, { accountId: "acc" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).status).toBe(503);
  });

  it("surfaces API errors with their Cloudflare codes, without retrying 4xx", async () => {
    const requests: string[] = [];
    const noAuth: typeof fetch = (input, init) => fakeImagesApi(images, { requests })(input, { ...init, headers: {} });
    const error = await collect(listImages({ apiToken: "t", fetch: noAuth }, { accountId: "acc" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).codes).toEqual([9106]);
    expect(requests).toHaveLength(1);

    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch: fakeImagesApi(images, { failures: [400] }), maxRetries: 0 });
    const sdkError = await collect(listImages(client, { accountId: "acc" })).catch((e: unknown) => e);
    expect(sdkError).toBeInstanceOf(ImagesApiError);
    expect((sdkError as ImagesApiError).codes).toEqual([971]);
  });

  it("honours an AbortSignal between pages", async () => {
    const controller = new AbortController();
    const seen: Image[] = [];
    const walk = async () => {
      for await (const image of listImages({ apiToken: "t", fetch: fakeImagesApi(images) }, { accountId: "acc", perPage: 10, signal: controller.signal })) {
        seen.push(image);
        if (seen.length === 10) controller.abort(new Error("enough"));
      }
    };
    await expect(walk()).rejects.toThrow("enough");
    expect(seen).toHaveLength(10);
  });

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
    const requests: string[] = [];
    const inner = fakeImagesApi(images, { requests });
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
    const requests: string[] = [];
    const source = { apiToken: "t", fetch: fakeImagesApi(images, { requests }) };
    await expect(collect(listImages(source, { accountId: "acc", perPage: 5 }))).rejects.toThrow(FilterError);
    await expect(collect(listImages(source, { accountId: "acc", sortOrder: "up" as "asc" }))).rejects.toThrow(FilterError);
    expect(requests).toEqual([]);
  });

  it("refuses a filter that does not parse before any request", async () => {
    const requests: string[] = [];
    await expect(collect(listImages({ apiToken: "t", fetch: fakeImagesApi(images, { requests }) }, { accountId: "acc", filter: "a = " }))).rejects.toThrow(FilterError);
    expect(requests).toEqual([]);
  });
});

// The conformance table (test/conformance/): the Workers binding's filter, or its refusal.
describe("the conformance table", () => conformance(["binding"]));
