/**
 * What the SDK cannot send, with raw `fetch`: malformed credentials, unknown routes, CORS, bad filters,
 * oversize bodies over HTTP. (The table of bad input per route is bad-input.test.ts.) A fuzz property
 * checks that no input gives a 500.
 */
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, ErrorCode, type Emulator } from "../../src/server/index.js";
import { SEED } from "../support/arbitraries.js";
import { ACCOUNT, AUTH, envelope, expectFailure, IMAGES, startEmulator, testClock, type Running, form } from "../support/emulator.js";

const BASE = "http://emulator.test";
const API = `${BASE}/client/v4/accounts/${ACCOUNT}`;
const clock = testClock();
let emulator: Emulator;

/** Everything the store holds, to compare before and after a refused write. */
async function snapshot(target: Emulator = emulator): Promise<string> {
  const store = await target.store();
  return JSON.stringify([...store.all()].sort((a, b) => (a.id < b.id ? -1 : 1)));
}

function call(path: string, init: RequestInit = {}, target: Emulator = emulator): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization") && !headers.has("x-no-auth")) headers.set("authorization", AUTH.authorization);
  headers.delete("x-no-auth");
  return target.fetch(new Request(path.startsWith("http") ? path : `${API}${path}`, { ...init, headers }));
}


/** A refused write: the expected status and code, and an unchanged store. */
async function refusedWrite(request: () => Promise<Response>, status: number, code: number): Promise<void> {
  const before = await snapshot();
  await expectFailure(await request(), status, [code]);
  expect(await snapshot()).toBe(before);
}

beforeEach(async () => {
  emulator = createEmulator({ now: clock.now, seed: 25 });
  await emulator.ready;
});

describe("credentials", () => {
  it("malformed credentials: 400 6003 with an error_chain naming the header", async () => {
    const cases: [Record<string, string>, number][] = [
      [{ authorization: "Basic dXNlcjpwYXNz" }, 6111],
      [{ authorization: "Bearer" }, 6111],
      [{ authorization: "Bearer two words" }, 6111],
      [{ authorization: "bearer" }, 6111],
      [{ "x-no-auth": "1", "x-auth-email": "me@example.com", "x-auth-key": "bad key" }, 6103],
      [{ "x-no-auth": "1", "x-auth-email": "not-an-email", "x-auth-key": "abc" }, 6102],
    ];
    for (const [headers, chain] of cases) {
      const body = await expectFailure(await call("/images/v2", { headers }), 400, [ErrorCode.invalidHeaders]);
      expect(body.errors[0]!.error_chain, JSON.stringify(headers)).toEqual([{ code: chain, message: expect.any(String) }]);
    }
  });

});

describe("routes", () => {
  it("unknown paths and methods: 404 7003 No route for the URI", async () => {
    for (const [method, path] of [
      ["GET", `${BASE}/`],
      ["GET", `${BASE}/client/v4/zones`],
      ["GET", `${API}/images/v3`],
      ["PUT", `${API}/images/v1/some-id`],
      ["POST", `${API}/images/v2`],
      ["GET", `${BASE}/upload/x/y`],
    ] as const) {
      const body = await expectFailure(await call(path, { method }), 404, [ErrorCode.noRoute]);
      expect(body.errors[0]!.message).toBe("No route for the URI");
    }
  });

  it("routes of the Images API the emulator does not implement: 404 7003, not an image lookup, even where an image has that id", async () => {
    // Images whose custom ids are these words: a route that took the word for an id would find them.
    for (const id of ["keys", "variants", "direct_upload", "batch_token", "stats"]) {
      expect((await call("/images/v1", { method: "POST", body: form({ id, file: [IMAGES.png, "a.png"] }) })).status, id).toBe(200);
    }
    const shapes = [
      ["GET", "/images/v1/keys"],
      ["PUT", "/images/v1/keys/my-key"],
      ["DELETE", "/images/v1/keys/my-key"],
      ["DELETE", "/images/v1/keys"],
      ["GET", "/images/v1/keys/blob"],
      ["GET", "/images/v1/variants"],
      ["POST", "/images/v1/variants"],
      ["GET", "/images/v1/variants/thumbnail"],
      ["PATCH", "/images/v1/variants/thumbnail"],
      ["DELETE", "/images/v1/variants/thumbnail"],
      ["PATCH", "/images/v1/variants"],
      ["DELETE", "/images/v1/variants"],
      ["GET", "/images/v1/variants/blob"],
      ["POST", "/images/v1/direct_upload"],
      ["GET", "/images/v1/direct_upload"],
      ["GET", "/images/v1/direct_upload/blob"],
      ["GET", "/images/v1/batch_token"],
      ["POST", "/images/v1/batch_token"],
      ["GET", "/images/v1/batch_token/blob"],
      ["PATCH", "/images/v1/stats"],
      ["DELETE", "/images/v1/stats"],
      ["GET", "/images/v1/stats/blob"],
      ["GET", "/images/v2/metadata/keys"],
      ["GET", "/images/v2/direct_upload"],
      ["GET", "/images/v2/keys"],
    ] as const;
    for (const [method, path] of shapes) {
      const init: RequestInit = method === "PATCH" ? { method, body: "{}" } : { method };
      const body = await expectFailure(await call(path, init), 404, [ErrorCode.noRoute]);
      expect(body.errors[0]!.message, `${method} ${path}`).toBe("No route for the URI");
      // The same without the /client/v4 prefix.
      await expectFailure(await call(`${BASE}/accounts/${ACCOUNT}${path}`, init), 404, [ErrorCode.noRoute]);
    }
    // GET stats is a route, and an image with an id that is no route word is still found.
    expect((await call("/images/v1/stats")).status).toBe(200);
    expect((await call("/images/v1", { method: "POST", body: form({ id: "keys/one", file: [IMAGES.png, "a.png"] }) })).status).toBe(200);
    expect((await call(`/images/v1/${encodeURIComponent("keys/one")}`)).status).toBe(200);
  });

  it("serves the same API without the /client/v4 prefix", async () => {
    const response = await call(`${BASE}/accounts/${ACCOUNT}/images/v1/stats`);
    expect(response.status).toBe(200);
    expect((await envelope(response)).result).toEqual({ count: { allowed: 100_000, current: 25 } });
  });

  it("lets browsers on other origins post to upload URLs and load images (CORS)", async () => {
    const created = (await envelope(await call("/images/v2/direct_upload", { method: "POST", body: form({}) }))).result as { uploadURL: string };
    const preflight = await emulator.fetch(
      new Request(created.uploadURL, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const posted = await emulator.fetch(
      new Request(created.uploadURL, { method: "POST", headers: { origin: "http://localhost:5173" }, body: form({ file: [IMAGES.png, "a.png"] }) }),
    );
    expect(posted.status).toBe(200);
    expect(posted.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("delivers and takes uploads for custom ids with subpaths, as paths or with %2F", async () => {
    const created = await envelope(await call("/images/v2/direct_upload", { method: "POST", body: form({ id: "a/b c%/d.png" }) }));
    const { uploadURL } = created.result as { uploadURL: string };
    expect(uploadURL).toMatch(/\/upload\/\w+\/[\w-]{22}\/a\/b%20c%25\/d\.png$/);
    const done = await emulator.fetch(new Request(uploadURL, { method: "POST", body: form({ file: [IMAGES.gif, "d.gif"] }) }));
    const image = (await envelope(done)).result as { variants: string[] };
    expect(image.variants[0]).toMatch(/\/imagedelivery\/\w+\/a\/b%20c%25\/d\.png\/public$/);
    for (const url of [image.variants[0]!, `${BASE}/imagedelivery/h/a%2Fb%20c%25%2Fd.png/thumbnail`]) {
      const response = await emulator.fetch(new Request(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/gif");
    }
  });
});

describe("list parameters", () => {
  it("an empty continuation token means the first page, and the same page gives the same token", async () => {
    const first = (await envelope(await call("/images/v2?per_page=10"))).result as { continuation_token: string };
    expect(first.continuation_token.length).toBeLessThanOrEqual(32);
    const again = (await envelope(await call("/images/v2?per_page=10&continuation_token="))).result as { continuation_token: string };
    expect(again.continuation_token).toBe(first.continuation_token);
  });

  it("six filters, unknown operators, malformed keys, bad values: 400 with one 5401 item per issue", async () => {
    const six = Array.from({ length: 6 }, (_, i) => `meta.k${i}[eq]=v`).join("&");
    const cases: [string, string][] = [
      [six, "at most 5 metadata filters"],
      ["meta.status[like]=x", "is not an operator of the API"],
      ["meta.status[eq:date]=x", "is not an operator of the API"],
      ["meta.flag[in:boolean]=true", 'no "in" for booleans'],
      ["meta.p[gt:string]=x", "ranges take numbers only"],
      ["meta.status[eq=x", "is not a filter parameter"],
      ["meta.[eq]=x", "is not a filter parameter"],
      ["meta=x", "is not a filter parameter"],
      ["meta.a.b.c.d.e.f[eq]=x", "at most 5 names"],
      [`meta.s[in]=${Array.from({ length: 11 }, (_, i) => i).join("|")}`, "11"],
      ["meta.s[in]=a||b", "empty value"],
      ["meta.n[eq:number]=five", "needs a number"],
      ["meta.n[gt]=0x10", "needs a number"],
      ["meta.b[eq:boolean]=yes", "needs true or false"],
    ];
    for (const [query, words] of cases) {
      const response = await call(`/images/v2?${query}`);
      expect(response.status, query).toBe(400);
      const body = await envelope(response);
      expect(body.errors.length, query).toBeGreaterThan(0);
      expect(body.errors.every((error) => error.code === ErrorCode.invalidFilter), query).toBe(true);
      expect(body.errors.map((error) => error.message).join(" | "), query).toContain(words);
      expect(response.headers.get("x-should-retry")).toBe("false");
    }
    const two = await envelope(await call("/images/v2?meta.a[nope]=1&meta.b[eq:number]=x"));
    expect(two.errors).toHaveLength(2);
  });

  it("reads keys raw and percent-encoded alike", async () => {
    const raw = await envelope(await call("/images/v2?meta.status[eq]=active&meta.region.name[in]=eu-west|us-east"));
    const encoded = await envelope(await call("/images/v2?meta.status%5Beq%5D=active&meta.region.name%5Bin%5D=eu-west%7Cus-east"));
    expect(encoded.result).toEqual(raw.result);
    expect((raw.result as { images: unknown[] }).images.length).toBeGreaterThan(0);
  });
});

describe("upload bodies", () => {
  const upload = (body: BodyInit, headers: Record<string, string> = {}): Promise<Response> =>
    call("/images/v1", { method: "POST", body, headers });

  it("accepts exactly 1024 bytes of metadata and an id of 1024 characters", async () => {
    const metadata = JSON.stringify({ s: "x".repeat(1024 - '{"s":""}'.length) });
    expect(new TextEncoder().encode(metadata).length).toBe(1024);
    const id = "y".repeat(1024);
    const response = await upload(form({ file: [IMAGES.png, "a.png"], metadata, id }));
    expect(response.status).toBe(200);
    expect(((await envelope(response)).result as { id: string }).id).toBe(id);
  });

  it("a direct upload without any fields is fine (the SDK sends an empty body for an empty call)", async () => {
    expect((await call("/images/v2/direct_upload", { method: "POST" })).status).toBe(200);
  });

  it("a refused post to an upload URL leaves the draft usable", async () => {
    const created = (await envelope(await call("/images/v2/direct_upload", { method: "POST", body: form({}) }))).result as { id: string; uploadURL: string };
    await refusedWrite(() => emulator.fetch(new Request(created.uploadURL, { method: "POST", body: form({}) })), 400, ErrorCode.badRequest);
    const ok = await emulator.fetch(new Request(created.uploadURL, { method: "POST", body: form({ file: [IMAGES.jpeg, "a.jpg"] }) }));
    expect(ok.status).toBe(200);
  });
});

describe("oversize bodies over HTTP", () => {
  let running: Running;
  beforeAll(async () => {
    running = await startEmulator({ now: testClock().now });
  });
  afterAll(() => running.close());

  const big = new Uint8Array(11 * 1024 * 1024);
  big.set(IMAGES.png);

  it("a declared content-length over the limit is refused with 413 before reading", async () => {
    const response = await fetch(`${running.api}/images/v1`, { method: "POST", headers: AUTH, body: form({ file: [big, "big.png"] }) });
    await expectFailure(response, 413, [ErrorCode.tooLarge]);
    expect((await running.client.images.v1.stats.get({ account_id: ACCOUNT })).count?.current).toBe(0);
  });

  it("a file over 10 MB inside a body under the form limit: 413", async () => {
    const justOver = big.subarray(0, 10 * 1024 * 1024 + 1);
    const response = await fetch(`${running.api}/images/v1`, { method: "POST", headers: AUTH, body: form({ file: [justOver, "big.png"] }) });
    await expectFailure(response, 413, [ErrorCode.tooLarge]);
  });

  it("a PATCH body over 64 KiB: 413", async () => {
    const response = await fetch(`${running.api}/images/v1/any`, { method: "PATCH", headers: AUTH, body: JSON.stringify({ metadata: { x: "y".repeat(70_000) } }) });
    await expectFailure(response, 413, [ErrorCode.tooLarge]);
  });
});

describe("never a 500", () => {
  const segment = fc.oneof(
    fc.constantFrom("client", "v4", "accounts", ACCOUNT, "images", "v1", "v2", "stats", "blob", "direct_upload", "upload", "imagedelivery", "public", "%2F", "%ZZ", "..", "%00", ""),
    fc.string({ maxLength: 6 }).map(encodeURIComponent),
  );
  const path = fc.array(segment, { maxLength: 7 }).map((parts) => `/${parts.join("/")}`);
  const query = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom("per_page", "sort_order", "continuation_token", "creator", "page", "meta.a[eq]", "meta.a%5Bin%5D", "meta[", "meta.a.b[gt:number]"), fc.string({ maxLength: 6 })),
      fc.oneof(fc.constantFrom("10", "asc", "", "1|2", "true", "%", "%E0%A4%A"), fc.string({ maxLength: 8 })),
    ),
    { maxLength: 5 },
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 40 }),
    fc.constantFrom("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n\u0089PNG\r\n--b--\r\n", "{\"metadata\":{}}"),
  );
  const contentType = fc.constantFrom(undefined, "multipart/form-data; boundary=b", "multipart/form-data", "application/json", "text/plain", "application/x-www-form-urlencoded");
  const method = fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS");
  const credentials = fc.constantFrom<Record<string, string>>({}, { authorization: "Bearer t" }, { authorization: "Bearer" }, { "x-auth-key": "0a", "x-auth-email": "a@b" }, { "x-auth-key": "k", "x-auth-email": "a@b" });

  it("random methods, paths, queries, bodies and headers get a JSON envelope below 500 (or a 2xx)", async () => {
    const fuzzed = createEmulator({ now: clock.now, seed: 15 });
    await fc.assert(
      fc.asyncProperty(method, path, query, body, contentType, credentials, async (m, p, q, b, type, auth) => {
        const search = q.map(([k, v]) => `${k}=${v}`).join("&");
        const headers = new Headers(auth);
        if (type) headers.set("content-type", type);
        const withBody = b !== undefined && m !== "GET" && m !== "HEAD";
        const response = await fuzzed.fetch(new Request(`${BASE}${p}?${search}`, { method: m, headers, ...(withBody ? { body: b } : {}) }));
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          const text = await response.text();
          if (m !== "HEAD") expect(JSON.parse(text)).toMatchObject({ success: false, result: null });
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
