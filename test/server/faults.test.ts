/**
 * Faults on demand: rules by route (or all), a status with a Cloudflare-shaped body, `Retry-After`, a
 * probability drawn from a seeded PRNG, a latency; set by option, text (`--fault`) or the admin route.
 * And what clients do under each kind: the official SDK and `listImages` retry 429 and 5xx (honouring
 * `Retry-After`) and give up on 4xx, because an injected failure carries no `x-should-retry`.
 */
import Cloudflare, { APIError, BadRequestError, InternalServerError, RateLimitError, toFile } from "cloudflare";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ImagesApiError, listImages, type Image } from "../../src/integrations.js";
import { toPredicate } from "../../src/index.js";
import { createEmulator, ErrorCode, parseFaultSpec, type Emulator, type EmulatorOptions } from "../../src/server/index.js";
import { FaultTable } from "../../src/server/faults.js";
import { ACCOUNT, AUTH, emulatorFetch, envelope, expectFailure, form, IMAGES, startEmulator } from "../support/emulator.js";

const BASE = "http://emulator.test";
const API = `${BASE}/client/v4/accounts/${ACCOUNT}`;

afterEach(() => {
  vi.useRealTimers();
});

function call(emulator: Emulator, path: string, init: RequestInit = {}): Promise<Response> {
  return emulator.fetch(new Request(path.startsWith("http") ? path : `${API}${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } }));
}

/** The statuses of the recent requests, in order. */
const statuses = (emulator: Emulator): number[] => emulator.recentRequests().map((record) => record.status);

/** An SDK client answered by `emulator` in this process. */
function sdk(emulator: Emulator, maxRetries = 2): Cloudflare {
  return new Cloudflare({ apiToken: "t", baseURL: `${BASE}/client/v4`, fetch: emulatorFetch(emulator), maxRetries });
}

async function collect(iterable: AsyncIterable<Image>): Promise<Image[]> {
  const out: Image[] = [];
  for await (const image of iterable) out.push(image);
  return out;
}

/** Awaits `promise` while fake timers move on by `stepMs` at a time, up to `limitMs`. */
async function settle<T>(promise: Promise<T>, stepMs = 100, limitMs = 60_000): Promise<T> {
  let done = false;
  const result = promise.finally(() => (done = true));
  for (let waited = 0; !done && waited < limitMs; waited += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
  return result;
}

describe("fault rules", () => {
  it("are read from text: ROUTE:STATUS[:PROBABILITY][:OPTION=VALUE…]", () => {
    expect(parseFaultSpec("list:429:0.2")).toEqual({ route: "list", status: 429, probability: 0.2 });
    expect(parseFaultSpec("all:503:retry-after=1:times=2")).toEqual({ route: "all", status: 503, retryAfter: 1, times: 2 });
    expect(parseFaultSpec("upload-url:415")).toEqual({ route: "upload-url", status: 415 });
    expect(parseFaultSpec("list:delay:latency=300")).toEqual({ route: "list", latencyMs: 300 });
    expect(parseFaultSpec("get:500:1:code=10001:latency=5")).toEqual({ route: "get", status: 500, probability: 1, code: 10001, latencyMs: 5 });
    for (const bad of ["list", "list:", "lists:429", "list:200", "list:600", "list:429:1.5", "list:429:-1", "list:429:0.5:0.5", "list:429:speed=1", "list:429:times=0", "list:delay", "list:delay:retry-after=1:latency=5", "list:429:latency=90000", "list:429:retry-after=x"]) {
      expect(() => parseFaultSpec(bad), bad).toThrow(TypeError);
    }
  });

  it("fire by route, the first that applies, `times` times at most; `all` covers every route", () => {
    const table = new FaultTable([{ route: "list", status: 429, times: 2 }, { route: "all", status: 503 }], 1);
    expect([table.pick("list"), table.pick("list"), table.pick("list"), table.pick("get"), table.pick(undefined)].map((fault) => fault?.status)).toEqual([429, 429, 503, 503, 503]);
    expect(table.settings().faults.map((fault) => fault.fired)).toEqual([2, 3]);
  });

  it("with a probability, hit the same requests under the same seed, and others under another", () => {
    const hits = (seed: number) => {
      const table = new FaultTable([{ route: "list", status: 503, probability: 0.2 }], seed);
      return Array.from({ length: 500 }, () => (table.pick("list") ? 1 : 0)).join("");
    };
    expect(hits(42)).toBe(hits(42));
    expect(hits(42)).not.toBe(hits(43));
    const count = [...hits(42)].filter((hit) => hit === "1").length;
    expect(count).toBeGreaterThan(50); // about 100 of 500
    expect(count).toBeLessThan(150);
    // Setting the rules again starts the draws again from the seed.
    const table = new FaultTable([], 42);
    table.set({ faults: [{ route: "list", status: 503, probability: 0.2 }] });
    expect(Array.from({ length: 500 }, () => (table.pick("list") ? 1 : 0)).join("")).toBe(hits(42));
  });
});

describe("an injected fault", () => {
  it("answers with the status, a Cloudflare-shaped body, Retry-After when set, and no x-should-retry", async () => {
    const emulator = createEmulator({ seed: 5, faults: ["list:429:retry-after=7", "stats:503", "get:500:code=10001", "blob:404"] });
    const limited = await call(emulator, "/images/v2");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("x-should-retry")).toBeNull();
    expect(await envelope(limited)).toEqual({ success: false, errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }], messages: [], result: null });
    const unavailable = await call(emulator, "/images/v1/stats");
    expect([unavailable.status, unavailable.headers.get("retry-after"), unavailable.headers.get("x-should-retry")]).toEqual([503, null, null]);
    expect((await envelope(unavailable)).errors).toEqual([{ code: 5500, message: "Service Unavailable" }]);
    expect((await envelope(await call(emulator, "/images/v1/any"))).errors).toEqual([{ code: 10001, message: "Internal Server Error" }]);
    expect((await envelope(await call(emulator, "/images/v1/any/blob"))).errors).toEqual([{ code: 5404, message: "Image not found" }]);
    // The emulator's own errors still say x-should-retry: false.
    await expectFailure(await call(emulator, "/images/v1", { method: "PATCH" }), 404, [ErrorCode.noRoute]);
    // Faults are before credentials: an unauthenticated request gets them too.
    expect((await emulator.fetch(new Request(`${API}/images/v2`))).status).toBe(429);
    // The request log says which fault answered.
    expect(emulator.recentRequests().map((record) => record.fault)).toEqual(["list:429", "stats:503", "get:500", "blob:404", undefined, "list:429"]);
    await emulator.close();
  });

  it("on the upload host: 415 with code 5550, readable by a browser on another origin (CORS)", async () => {
    const emulator = createEmulator({ faults: ["upload-url:415"] });
    const created = (await envelope(await call(emulator, "/images/v2/direct_upload", { method: "POST", body: form({}) }))).result as { id: string; uploadURL: string };
    const refused = await emulator.fetch(new Request(created.uploadURL, { method: "POST", headers: { origin: "http://localhost:5173" }, body: form({ file: [IMAGES.png, "a.png"] }) }));
    expect(refused.status).toBe(415);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    expect(refused.headers.get("x-should-retry")).toBeNull();
    expect((await envelope(refused)).errors).toEqual([
      { code: 5550, message: "Uploaded image must have image/jpeg, image/png, image/webp, image/gif or image/svg+xml content-type" },
    ]);
    // The draft is untouched: the URL still works once the fault is gone.
    emulator.setFaults({ faults: [] });
    expect((await emulator.fetch(new Request(created.uploadURL, { method: "POST", body: form({ file: [IMAGES.png, "a.png"] }) }))).status).toBe(200);
    await emulator.close();
  });

  it("never touches the admin routes or the playground", async () => {
    const emulator = createEmulator({ faults: ["all:503"], playground: "<html></html>" });
    expect((await emulator.fetch(new Request(`${BASE}/`))).status).toBe(200);
    expect((await emulator.fetch(new Request(`${BASE}/_imgmeta/faults`))).status).toBe(200);
    expect((await emulator.fetch(new Request(`${BASE}/_imgmeta/reset`, { method: "POST" }))).status).toBe(200);
    expect((await call(emulator, "/images/v1/stats")).status).toBe(503);
    expect((await call(emulator, "/no/such/path")).status).toBe(503); // `all` covers unknown paths too
    await emulator.close();
  });

  it("with a latency: the answer waits for it, then is the route's own (or the fault's)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const emulator = createEmulator({ seed: 3, faults: ["stats:delay:latency=5000", "list:503:latency=2000"] });
    await emulator.ready;
    let answered: Response | undefined;
    const slow = call(emulator, "/images/v1/stats").then((response) => (answered = response));
    await vi.advanceTimersByTimeAsync(4999);
    expect(answered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answered?.status).toBe(200);
    await slow;
    const failing = call(emulator, "/images/v2");
    await vi.advanceTimersByTimeAsync(2000);
    expect((await failing).status).toBe(503);
    expect(emulator.recentRequests().map((record) => record.fault)).toEqual(["stats:delay", "list:503"]);
    await emulator.close();
  });

  it("is set and cleared at run time by the admin route, which refuses a bad rule naming it", async () => {
    const emulator = createEmulator({ token: "s3cret", faultSeed: 9 });
    const put = (body: unknown, authorization = "Bearer s3cret") =>
      emulator.fetch(new Request(`${BASE}/_imgmeta/faults`, { method: "PUT", headers: { authorization }, body: JSON.stringify(body) }));
    await expectFailure(await put({ faults: ["list:503"] }, "Bearer wrong"), 403, [ErrorCode.authentication]);
    const set = await put({ seed: 11, faults: ["list:503:0.5", { route: "get", status: 429, retryAfter: 1 }] });
    expect((await envelope(set)).result).toEqual({
      seed: 11,
      faults: [
        { route: "list", status: 503, probability: 0.5, fired: 0 },
        { route: "get", status: 429, retryAfter: 1, fired: 0 },
      ],
    });
    expect(emulator.faults().seed).toBe(11);
    for (const [bad, words] of [
      [{ faults: [{ route: "list" }] }, "fault 0: a fault needs a status"],
      [{ faults: ["list:503", { route: "lists", status: 503 }] }, "fault 1: route must be one of"],
      [{ faults: [{ route: "list", status: 503, colour: "red" }] }, '"colour" is not a field of a fault'],
      [{ faults: "list:503" }, 'fault settings need "faults"'],
      [{ seed: -1, faults: [] }, "seed must be a whole number"],
    ] as const) {
      const refused = await expectFailure(await put(bad), 400, [ErrorCode.badRequest]);
      expect(refused.errors[0]!.message).toContain(words);
    }
    // A refused setting changed nothing.
    expect(emulator.faults().faults).toHaveLength(2);
    const cleared = await emulator.fetch(new Request(`${BASE}/_imgmeta/faults`, { method: "DELETE", headers: { authorization: "Bearer s3cret" } }));
    expect((await envelope(cleared)).result).toEqual({ seed: 11, faults: [] });
    await emulator.close();
  });

  it("hits the same requests of two emulators with the same fault seed", async () => {
    const run = async (options: EmulatorOptions) => {
      const emulator = createEmulator({ seed: 2, ...options });
      for (let i = 0; i < 60; i++) await call(emulator, i % 2 ? "/images/v2" : "/images/v1/stats");
      const result = statuses(emulator).join(",");
      await emulator.close();
      return result;
    };
    const faults = ["list:503:0.3", "all:429:0.1"];
    expect(await run({ faults, faultSeed: 5 })).toBe(await run({ faults, faultSeed: 5 }));
    expect(await run({ faults, faultSeed: 5 })).not.toBe(await run({ faults, faultSeed: 6 }));
    expect(() => createEmulator({ faults: ["list:700"] })).toThrow(TypeError);
    expect(() => createEmulator({ faultSeed: 1.5 })).toThrow(TypeError);
  });
});

describe("the official SDK under faults", () => {
  it("retries a 429 after the Retry-After it asks, then succeeds", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const emulator = createEmulator({ seed: 12, faults: ["list:429:retry-after=30:times=1"] });
    const listing = sdk(emulator).images.v2.list({ account_id: ACCOUNT });
    await vi.advanceTimersByTimeAsync(29_900);
    expect(statuses(emulator)).toEqual([429]); // still waiting what the server asked
    await vi.advanceTimersByTimeAsync(200);
    expect((await listing).images).toHaveLength(12);
    expect(statuses(emulator)).toEqual([429, 200]);
  });

  it("retries a 5xx (maxRetries times), then fails with InternalServerError carrying the code", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const emulator = createEmulator({ seed: 3, faults: ["list:503"] });
    const error = await settle(sdk(emulator, 2).images.v2.list({ account_id: ACCOUNT }).then(() => undefined, (e: unknown) => e));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(503);
    expect((error as APIError).errors).toEqual([{ code: 5500, message: "Service Unavailable" }]);
    expect(statuses(emulator)).toEqual([503, 503, 503]);
    // Two failures, then an answer: the caller never sees them.
    emulator.clearRecentRequests();
    emulator.setFaults({ faults: ["list:502:times=2"] });
    expect((await settle(sdk(emulator, 2).images.v2.list({ account_id: ACCOUNT }))).images).toHaveLength(3);
    expect(statuses(emulator)).toEqual([502, 502, 200]);
  });

  it("does not retry a 4xx fault: 400, or the 415 of an upload", async () => {
    const emulator = createEmulator({ faults: ["list:400", "upload:415"] });
    const listing = await sdk(emulator).images.v2.list({ account_id: ACCOUNT }).then(() => undefined, (e: unknown) => e);
    expect(listing).toBeInstanceOf(BadRequestError);
    const upload = await sdk(emulator)
      .images.v1.create({ account_id: ACCOUNT, file: await toFile(IMAGES.png, "a.png") })
      .then(() => undefined, (e: unknown) => e);
    expect(upload).toBeInstanceOf(APIError);
    expect((upload as APIError).status).toBe(415);
    expect((upload as APIError).errors).toEqual([{ code: 5550, message: expect.stringContaining("content-type") }]);
    expect(statuses(emulator)).toEqual([400, 415]);
  });

  it("over HTTP too: a 429 with Retry-After: 0 is retried at once", async () => {
    const running = await startEmulator({ seed: 4, faults: ["list:429:retry-after=0:times=1"] });
    try {
      const client = new Cloudflare({ baseURL: `${running.url}/client/v4`, apiToken: "t", maxRetries: 1 });
      expect((await client.images.v2.list({ account_id: ACCOUNT })).images).toHaveLength(4);
      expect(statuses(running.emulator)).toEqual([429, 200]);
      // And without retries, the RateLimitError.
      running.emulator.setFaults({ faults: ["list:429:retry-after=0"] });
      await expect(running.client.images.v2.list({ account_id: ACCOUNT })).rejects.toBeInstanceOf(RateLimitError);
    } finally {
      await running.close();
    }
  });
});

describe("listImages under faults", () => {
  const FILTER = "priority >= 2";
  async function seeded(faults: string[]): Promise<{ emulator: Emulator; expected: string[] }> {
    const emulator = createEmulator({ seed: 60, faults, faultSeed: 1 });
    const store = await emulator.store();
    const expected = [...store.all()]
      .filter((image) => toPredicate(FILTER)({ creator: image.creator, meta: image.meta }))
      .sort((a, b) => b.uploaded - a.uploaded || (a.id < b.id ? 1 : -1))
      .map((image) => image.id);
    expect(expected.length).toBeGreaterThan(10);
    return { emulator, expected };
  }
  const fetchSource = (emulator: Emulator, retry: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number } = { baseDelayMs: 0 }) => ({
    apiToken: "t",
    baseURL: `${BASE}/client/v4`,
    fetch: emulatorFetch(emulator),
    retry,
  });

  it("fetch source: retries 429 and 5xx on any page, and walks on to the end", async () => {
    const { emulator, expected } = await seeded(["list:429:0.3:retry-after=0", "list:503:0.2"]);
    const found = await collect(listImages(fetchSource(emulator, { attempts: 10, baseDelayMs: 0 }), { accountId: ACCOUNT, filter: FILTER, perPage: 10 }));
    expect(found.map((image) => image.id)).toEqual(expected);
    const seen = statuses(emulator);
    expect(seen.filter((status) => status === 200)).toHaveLength(Math.ceil(expected.length / 10));
    expect(seen.filter((status) => status !== 200).length).toBeGreaterThan(0);
  });

  it("fetch source: waits the Retry-After asked (up to maxDelayMs)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { emulator, expected } = await seeded(["list:429:retry-after=20:times=1"]);
    const walk = collect(listImages(fetchSource(emulator, { baseDelayMs: 0, maxDelayMs: 60_000 }), { accountId: ACCOUNT, filter: FILTER }));
    await vi.advanceTimersByTimeAsync(19_900);
    expect(statuses(emulator)).toEqual([429]);
    await vi.advanceTimersByTimeAsync(200);
    expect((await walk).map((image) => image.id)).toEqual(expected);
    expect(statuses(emulator)).toEqual([429, 200]);
  });

  it("fetch source: gives up after its attempts with the last 5xx, as an ImagesApiError with the code", async () => {
    const { emulator } = await seeded(["list:503"]);
    const error = await collect(listImages(fetchSource(emulator, { attempts: 2, baseDelayMs: 0 }), { accountId: ACCOUNT })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).status).toBe(503);
    expect((error as ImagesApiError).codes).toEqual([5500]);
    expect(statuses(emulator)).toEqual([503, 503, 503]);
  });

  it("fetch source: does not retry a 4xx fault", async () => {
    const { emulator } = await seeded(["list:400:code=5402"]);
    const error = await collect(listImages(fetchSource(emulator), { accountId: ACCOUNT })).catch((e: unknown) => e);
    expect((error as ImagesApiError).codes).toEqual([5402]);
    expect(statuses(emulator)).toEqual([400]);
  });

  it("SDK source: the SDK's own retries carry the walk over faults; with none left, an ImagesApiError", async () => {
    const { emulator, expected } = await seeded(["list:429:retry-after=0:times=2", "list:500:retry-after=0:times=1"]);
    // The first rule that applies fires: 429, 429, then (the first rule spent) 500, then the page.
    const found = await collect(listImages(sdk(emulator, 3), { accountId: ACCOUNT, filter: FILTER, perPage: 10 }));
    expect(found.map((image) => image.id)).toEqual(expected);
    expect(statuses(emulator)).toEqual([429, 429, 500, ...Array(Math.ceil(expected.length / 10)).fill(200)]);

    emulator.setFaults({ faults: ["list:503"] });
    const error = await collect(listImages(sdk(emulator, 0), { accountId: ACCOUNT })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).status).toBe(503);
    expect((error as ImagesApiError).codes).toEqual([5500]);
  });
});
