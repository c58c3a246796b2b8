/**
 * What the SDK cannot send, with raw `fetch`: broken credentials, unknown routes, bad list parameters,
 * bad filters, forged tokens, malformed multipart, oversize bodies. Every answer is a non-2xx
 * envelope, and no refused write changes the store. A fuzz property checks that no input gives a 500.
 */
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, ErrorCode, type Emulator } from "../../src/server/index.js";
import { SEED } from "../support/arbitraries.js";
import { ACCOUNT, AUTH, envelope, expectFailure, IMAGES, startEmulator, T0, testClock, type Running } from "../support/emulator.js";

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

function form(fields: Record<string, string | [Uint8Array, string]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") data.append(name, value);
    else data.append(name, new Blob([value[0] as Uint8Array<ArrayBuffer>]), value[1]);
  }
  return data;
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
  it("no credentials: 400 9106", async () => {
    await expectFailure(await call("/images/v2", { headers: { "x-no-auth": "1" } }), 400, [ErrorCode.missingCredentials]);
  });

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

  it("a key without an email is missing credentials", async () => {
    await expectFailure(await call("/images/v2", { headers: { "x-no-auth": "1", "x-auth-key": "abc" } }), 400, [ErrorCode.missingCredentials]);
  });

  it("a wrong token when one is configured: 403 10000, and nothing is written", async () => {
    const locked = createEmulator({ token: "right", now: clock.now });
    const before = await snapshot(locked);
    const response = await call("/images/v1", { method: "POST", headers: { authorization: "Bearer wrong" }, body: form({ file: [IMAGES.png, "a.png"] }) }, locked);
    await expectFailure(response, 403, [ErrorCode.authentication]);
    expect(await snapshot(locked)).toBe(before);
    expect((await call("/images/v1/stats", { headers: { authorization: "Bearer right" } }, locked)).status).toBe(200);
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

  it("serves the same API without the /client/v4 prefix", async () => {
    const response = await call(`${BASE}/accounts/${ACCOUNT}/images/v1/stats`);
    expect(response.status).toBe(200);
    expect((await envelope(response)).result).toEqual({ count: { allowed: 100_000, current: 25 } });
  });

  it("unknown variants and ids at the delivery URL: 404", async () => {
    const list = (await envelope(await call("/images/v2?per_page=10"))).result as { images: { variants: string[] }[] };
    const variant = list.images[0]!.variants[0]!;
    expect((await emulator.fetch(new Request(variant))).status).toBe(200);
    await expectFailure(await emulator.fetch(new Request(variant.replace(/public$/, "huge"))), 404, [ErrorCode.notFound]);
    await expectFailure(await emulator.fetch(new Request(`${BASE}/imagedelivery/h/nope/public`)), 404, [ErrorCode.notFound]);
    await expectFailure(await emulator.fetch(new Request(`${BASE}/imagedelivery/h/public`)), 404, [ErrorCode.notFound]);
    await expectFailure(await emulator.fetch(new Request(`${BASE}/imagedelivery/h/%E0%A4%A/public`)), 404, [ErrorCode.notFound]);
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
  it("per_page outside 10..10000 or not a whole number: 400 5402", async () => {
    for (const value of ["9", "0", "10001", "abc", "", "10.5", "1e3", "-10", "+20"]) {
      const body = await expectFailure(await call(`/images/v2?per_page=${encodeURIComponent(value)}`), 400, [ErrorCode.invalidListParameter]);
      expect(body.errors[0]!.message).toContain("per_page");
    }
    await expectFailure(await call("/images/v2?per_page=10&per_page=20"), 400, [ErrorCode.invalidListParameter]);
    expect((await call("/images/v2?per_page=10")).status).toBe(200);
    expect((await call("/images/v2?per_page=10000")).status).toBe(200);
  });

  it("sort_order other than asc or desc: 400 5402", async () => {
    for (const value of ["up", "ASC", ""]) {
      await expectFailure(await call(`/images/v2?sort_order=${value}`), 400, [ErrorCode.invalidListParameter]);
    }
  });

  it("forged, mangled or overlong continuation tokens: 400 5402; empty means the first page", async () => {
    const first = (await envelope(await call("/images/v2?per_page=10"))).result as { continuation_token: string };
    const token = first.continuation_token;
    expect(token.length).toBeLessThanOrEqual(32);
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const bad of [flipped, "A".repeat(22), "x".repeat(33), "%00", "../../etc/passwd", "null"]) {
      await expectFailure(await call(`/images/v2?per_page=10&continuation_token=${encodeURIComponent(bad)}`), 400, [ErrorCode.invalidListParameter]);
    }
    await expectFailure(await call(`/images/v2?per_page=10&sort_order=asc&continuation_token=${token}`), 400, [ErrorCode.invalidListParameter]);
    const again = (await envelope(await call("/images/v2?per_page=10&continuation_token="))).result as { continuation_token: string };
    expect(again.continuation_token).toBe(token);
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

  it("malformed multipart or the wrong content type: 400 5400", async () => {
    await refusedWrite(() => upload("--nope\r\ngarbage", { "content-type": "multipart/form-data; boundary=xyz" }), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", { "content-type": "multipart/form-data; boundary=xyz" }), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload("{}", { "content-type": "application/json" }), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload("x", { "content-type": "multipart/form-data" }), 400, ErrorCode.badRequest);
  });

  it("missing, doubled, textual, empty or non-image files", async () => {
    await refusedWrite(() => upload(form({ creator: "x" })), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload(form({ file: "just text" })), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload(form({ file: [new Uint8Array(0), "empty.png"] })), 400, ErrorCode.badRequest);
    const doubled = form({ file: [IMAGES.png, "a.png"] });
    doubled.append("file", new Blob([IMAGES.png]), "b.png");
    await refusedWrite(() => upload(doubled), 400, ErrorCode.badRequest);
    for (const bytes of ["GIF88a....", "RIFF\0\0\0\0WAVE", "<html><svg/></html>", "\u0089PNG"]) {
      await refusedWrite(() => upload(form({ file: [new TextEncoder().encode(bytes), "fake.png"] })), 400, ErrorCode.unsupportedFormat);
    }
  });

  it("bad fields: metadata, id, requireSignedURLs, url", async () => {
    const file: [Uint8Array, string] = [IMAGES.png, "a.png"];
    await refusedWrite(() => upload(form({ file, metadata: "{not json" })), 400, ErrorCode.invalidMetadata);
    await refusedWrite(() => upload(form({ file, metadata: "[1,2]" })), 400, ErrorCode.invalidMetadata);
    await refusedWrite(() => upload(form({ file, metadata: "null" })), 400, ErrorCode.invalidMetadata);
    await refusedWrite(() => upload(form({ file, metadata: JSON.stringify({ s: "é".repeat(510) }) })), 400, ErrorCode.invalidMetadata);
    await refusedWrite(() => upload(form({ file, metadata: "{}", "metadata[a]": "1" })), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload(form({ file, "metadata[a]": "1", "metadata[a][b]": "2" })), 400, ErrorCode.invalidMetadata);
    for (const id of ["x".repeat(1025), "a/", "/a", "a/../b", "..", "", "AB9C6A5E-8F1E-4C1E-9D3E-2A7B6C5D4E3F"]) {
      await refusedWrite(() => upload(form({ file, id })), 400, ErrorCode.badRequest);
    }
    await refusedWrite(() => upload(form({ file, requireSignedURLs: "yes" })), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload(form({ file, creator: "c".repeat(1025) })), 400, ErrorCode.badRequest);
    await refusedWrite(() => upload(form({ url: "https://example.com/a.png" })), 400, ErrorCode.urlUploadUnsupported);
    await refusedWrite(() => upload(form({ file, url: "https://example.com/a.png" })), 400, ErrorCode.badRequest);
  });

  it("accepts exactly 1024 bytes of metadata and an id of 1024 characters", async () => {
    const metadata = JSON.stringify({ s: "x".repeat(1024 - '{"s":""}'.length) });
    expect(new TextEncoder().encode(metadata).length).toBe(1024);
    const id = "y".repeat(1024);
    const response = await upload(form({ file: [IMAGES.png, "a.png"], metadata, id }));
    expect(response.status).toBe(200);
    expect(((await envelope(response)).result as { id: string }).id).toBe(id);
  });

  it("bad direct-upload fields: expiry, signed URLs with a custom id", async () => {
    const direct = (fields: Record<string, string>): Promise<Response> => call("/images/v2/direct_upload", { method: "POST", body: form(fields) });
    for (const expiry of ["tomorrow", "2026-13-45T00:00:00Z", new Date(T0 + 60_000).toISOString(), new Date(T0 + 7 * 3600_000).toISOString()]) {
      await refusedWrite(() => direct({ expiry }), 400, ErrorCode.badRequest);
    }
    await refusedWrite(() => direct({ id: "custom", requireSignedURLs: "true" }), 400, ErrorCode.badRequest);
    // No fields at all is fine: the SDK sends an empty multipart body for an empty call.
    expect((await call("/images/v2/direct_upload", { method: "POST" })).status).toBe(200);
  });

  it("the upload URL: unknown id 404, no file 400 (the draft stays usable)", async () => {
    const created = (await envelope(await call("/images/v2/direct_upload", { method: "POST", body: form({}) }))).result as { id: string; uploadURL: string };
    await refusedWrite(() => emulator.fetch(new Request(`${created.uploadURL}x`, { method: "POST", body: form({ file: [IMAGES.png, "a.png"] }) })), 404, ErrorCode.notFound);
    await refusedWrite(() => emulator.fetch(new Request(created.uploadURL, { method: "POST", body: form({}) })), 400, ErrorCode.badRequest);
    const ok = await emulator.fetch(new Request(created.uploadURL, { method: "POST", body: form({ file: [IMAGES.jpeg, "a.jpg"] }) }));
    expect(ok.status).toBe(200);
  });

  it("PATCH: bad JSON, wrong types, oversize metadata, signed URLs on a custom id", async () => {
    const created = await upload(form({ file: [IMAGES.png, "a.png"], id: "patch-me" }));
    expect(created.status).toBe(200);
    const patch = (body: string): Promise<Response> =>
      call("/images/v1/patch-me", { method: "PATCH", body, headers: { "content-type": "application/json" } });
    await refusedWrite(() => patch("{nope"), 400, ErrorCode.badRequest);
    await refusedWrite(() => patch("[]"), 400, ErrorCode.badRequest);
    await refusedWrite(() => patch('{"creator":5}'), 400, ErrorCode.badRequest);
    await refusedWrite(() => patch(JSON.stringify({ creator: "c".repeat(1025) })), 400, ErrorCode.badRequest);
    await refusedWrite(() => patch('{"requireSignedURLs":"true"}'), 400, ErrorCode.badRequest);
    await refusedWrite(() => patch('{"metadata":"{}"}'), 400, ErrorCode.invalidMetadata);
    await refusedWrite(() => patch(JSON.stringify({ metadata: { big: "x".repeat(2000) } })), 400, ErrorCode.invalidMetadata);
    await refusedWrite(() => patch('{"requireSignedURLs":true}'), 400, ErrorCode.badRequest);
    await refusedWrite(() => call("/images/v1/missing", { method: "PATCH", body: "{}" }), 404, ErrorCode.notFound);
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
  const credentials = fc.constantFrom<Record<string, string>>({}, { authorization: "Bearer t" }, { authorization: "Bearer" }, { "x-auth-key": "k", "x-auth-email": "a@b" });

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
