/**
 * The bad-input matrix: every route of the emulator against every kind of broken request that applies
 * to it (credentials, accounts, bodies, content types, sizes, metadata, ids, list parameters, tokens).
 * Each row must give its 4xx envelope (never a 500) and leave the store exactly as it was.
 *
 * One emulator with `--token` and `--account` set serves the whole table, so wrong tokens and unknown
 * accounts are real refusals, not defaults.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createEmulator, ErrorCode, type Emulator } from "../../src/server/index.js";
import { accountHash } from "../../src/server/images.js";
import { MAX_FORM_BYTES } from "../../src/server/uploads.js";
import { ACCOUNT, envelope, expectFailure, IMAGES, testClock, form } from "../support/emulator.js";

const BASE = "http://emulator.test";
const TOKEN = "right-token";
const GOOD = { authorization: `Bearer ${TOKEN}` } as const;
const HASH = accountHash(ACCOUNT);
const clock = testClock();

/** What the fixture created, for rows that need a real id, URL or token. */
interface Fixture {
  /** A completed image with a custom id. */
  readonly taken: string;
  /** A draft's id and upload URL. */
  readonly draft: { id: string; uploadURL: string };
  /** A direct upload that was completed (its URL is spent). */
  readonly usedURL: string;
  /** A draft whose upload URL has expired. */
  readonly expiredURL: string;
  /** A live continuation token of a `desc` walk. */
  readonly continuation: string;
}

let emulator: Emulator;
let fixture: Fixture;

type Route = "list v2" | "direct upload" | "upload URL" | "upload v1" | "list v1" | "stats" | "details" | "blob" | "patch" | "delete" | "delivery";

/** What a row may change in the otherwise valid request of its route. */
interface Tweak {
  readonly headers?: Record<string, string | null>;
  readonly body?: BodyInit;
  readonly query?: string;
  /** Replaces the account id (API routes) or the URL (upload URL, delivery). */
  readonly account?: string;
  readonly url?: string;
  readonly id?: string;
}

const API_ROUTES: readonly Route[] = ["list v2", "direct upload", "upload v1", "list v1", "stats", "details", "blob", "patch", "delete"];
const MULTIPART_ROUTES: readonly Route[] = ["direct upload", "upload URL", "upload v1"];
const METADATA_ROUTES: readonly Route[] = ["direct upload", "upload v1", "patch"];


const FILE: [Uint8Array, string] = [IMAGES.png, "a.png"];

/** The valid request of a route, with a row's tweak applied. */
function build(route: Route, tweak: Tweak = {}): Request {
  const api = `${BASE}/client/v4/accounts/${tweak.account ?? ACCOUNT}`;
  const id = encodeURIComponent(tweak.id ?? fixture.taken);
  const [method, url, body]: [string, string, BodyInit | undefined] = (() => {
    switch (route) {
      case "list v2":
        return ["GET", `${api}/images/v2?${tweak.query ?? "per_page=10"}`, undefined];
      case "direct upload":
        return ["POST", `${api}/images/v2/direct_upload`, form({ metadata: '{"ok":true}' })];
      case "upload URL":
        return ["POST", tweak.url ?? fixture.draft.uploadURL, form({ file: FILE })];
      case "upload v1":
        return ["POST", `${api}/images/v1`, form({ file: FILE, metadata: '{"ok":true}' })];
      case "list v1":
        return ["GET", `${api}/images/v1?${tweak.query ?? "per_page=10"}`, undefined];
      case "stats":
        return ["GET", `${api}/images/v1/stats`, undefined];
      case "details":
        return ["GET", `${api}/images/v1/${id}`, undefined];
      case "blob":
        return ["GET", `${api}/images/v1/${id}/blob`, undefined];
      case "patch":
        return ["PATCH", `${api}/images/v1/${id}`, JSON.stringify({ metadata: { ok: true } })];
      case "delete":
        return ["DELETE", `${api}/images/v1/${id}`, undefined];
      case "delivery":
        return ["GET", tweak.url ?? `${BASE}/imagedelivery/${HASH}/${id}/public`, undefined];
    }
  })();
  const needsAuth = API_ROUTES.includes(route);
  const headers = new Headers(needsAuth ? GOOD : {});
  const finalBody = tweak.body ?? body;
  if (finalBody !== undefined && tweak.body !== undefined) headers.delete("content-type");
  for (const [name, value] of Object.entries(tweak.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return new Request(url, { method, headers, ...(finalBody !== undefined ? { body: finalBody, duplex: "half" } : {}) } as RequestInit);
}

/** One row: a route, what is wrong, and the answer it must get. */
interface Row {
  readonly route: Route;
  readonly problem: string;
  readonly tweak: () => Tweak;
  readonly status: number;
  readonly code: number;
}

const rows: Row[] = [];
const add = (routes: readonly Route[], problem: string, tweak: () => Tweak, status: number, code: number): void => {
  for (const route of routes) rows.push({ route, problem, tweak, status, code });
};

/** A body stream that sends some bytes and then fails, as a client that disconnects mid-upload. */
function brokenStream(prefix: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(prefix));
      controller.error(new Error("client went away"));
    },
  });
}

/** `size` bytes of a body, streamed with no length declared. */
function bigStream(size: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      controller.enqueue(chunk.subarray(0, n));
    },
  });
}

const multipart = (boundary = "xyz") => ({ "content-type": `multipart/form-data; boundary=${boundary}` });
const PART = '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n';

// Credentials and accounts: every API route.
add(API_ROUTES, "no credentials", () => ({ headers: { authorization: null } }), 400, ErrorCode.missingCredentials);
add(API_ROUTES, "a malformed Authorization header", () => ({ headers: { authorization: "Bearer" } }), 400, ErrorCode.invalidHeaders);
add(API_ROUTES, "a key without an email", () => ({ headers: { authorization: null, "x-auth-key": TOKEN } }), 400, ErrorCode.missingCredentials);
add(API_ROUTES, "a malformed X-Auth-Email", () => ({ headers: { authorization: null, "x-auth-key": "0123abcd", "x-auth-email": "nope" } }), 400, ErrorCode.invalidHeaders);
add(API_ROUTES, "a token sent as X-Auth-Key", () => ({ headers: { authorization: null, "x-auth-key": TOKEN, "x-auth-email": "me@example.com" } }), 400, ErrorCode.invalidHeaders);
add(API_ROUTES, "a wrong token", () => ({ headers: { authorization: "Bearer wrong-token" } }), 403, ErrorCode.authentication);
add(API_ROUTES, "an unknown account (--account set)", () => ({ account: "someone-else" }), 403, ErrorCode.authentication);
add(["upload URL"], "an unknown account hash (--account set)", () => ({ url: fixture.draft.uploadURL.replace(HASH, accountHash("someone-else")) }), 404, ErrorCode.notFound);
add(["delivery"], "an unknown account hash (--account set)", () => ({ url: `${BASE}/imagedelivery/${accountHash("someone-else")}/${fixture.taken}/public` }), 404, ErrorCode.notFound);

// Multipart bodies.
add(MULTIPART_ROUTES, "malformed multipart", () => ({ body: "--nope\r\ngarbage", headers: multipart() }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "multipart without a boundary", () => ({ body: `${PART}x\r\n--xyz--\r\n`, headers: { "content-type": "multipart/form-data" } }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "a truncated body (no closing boundary)", () => ({ body: `${PART}\u0089PNG\r\n`, headers: multipart() }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "a body cut off by the client", () => ({ body: brokenStream(PART), headers: multipart() }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "a JSON content type", () => ({ body: '{"metadata":{}}', headers: { "content-type": "application/json" } }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "a text/plain content type", () => ({ body: "file=x", headers: { "content-type": "text/plain" } }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "a body but no content type", () => ({ body: new Uint8Array([1, 2, 3]), headers: { "content-type": null } }), 400, ErrorCode.badRequest);
add(MULTIPART_ROUTES, "a streamed body over the limit", () => ({ body: bigStream(MAX_FORM_BYTES + 1), headers: multipart() }), 413, ErrorCode.tooLarge);
add(MULTIPART_ROUTES, "a declared content-length over the limit", () => ({ body: "x", headers: { ...multipart(), "content-length": String(MAX_FORM_BYTES + 1) } }), 413, ErrorCode.tooLarge);

// JSON bodies (PATCH).
add(["patch"], "invalid JSON", () => ({ body: "{nope" }), 400, ErrorCode.badRequest);
add(["patch"], "truncated JSON", () => ({ body: '{"metadata":{"a":' }), 400, ErrorCode.badRequest);
add(["patch"], "a JSON array", () => ({ body: "[]" }), 400, ErrorCode.badRequest);
add(["patch"], "a multipart body", () => ({ body: form({ metadata: "{}" }) }), 400, ErrorCode.badRequest);
add(["patch"], "a body cut off by the client", () => ({ body: brokenStream('{"metadata":') }), 400, ErrorCode.badRequest);
add(["patch"], "a streamed body over 64 KiB", () => ({ body: bigStream(64 * 1024 + 1) }), 413, ErrorCode.tooLarge);
add(["patch"], "a declared content-length over 64 KiB", () => ({ body: "{}", headers: { "content-length": String(64 * 1024 + 1) } }), 413, ErrorCode.tooLarge);
add(["patch"], "a creator that is not a string", () => ({ body: '{"creator":5}' }), 400, ErrorCode.badRequest);
add(["patch"], "a creator over 1024 characters", () => ({ body: JSON.stringify({ creator: "c".repeat(1025) }) }), 400, ErrorCode.badRequest);
add(["patch"], "requireSignedURLs as a string", () => ({ body: '{"requireSignedURLs":"true"}' }), 400, ErrorCode.badRequest);
add(["patch"], "signed URLs on a custom id", () => ({ body: '{"requireSignedURLs":true}' }), 400, ErrorCode.badRequest);

// Metadata.
const withMetadata = (route: Route, metadata: string): Tweak =>
  route === "patch"
    ? { body: `{"metadata":${metadata}}` }
    : { body: form({ ...(route === "upload v1" ? { file: FILE } : {}), metadata }) };
for (const route of METADATA_ROUTES) {
  const json = route !== "patch";
  if (json) add([route], "metadata that is not JSON", () => withMetadata(route, "{not json"), 400, ErrorCode.invalidMetadata);
  add([route], "metadata that is an array", () => withMetadata(route, "[1,2]"), 400, ErrorCode.invalidMetadata);
  add([route], "metadata that is null", () => withMetadata(route, "null"), 400, ErrorCode.invalidMetadata);
  add([route], "metadata that is a string", () => withMetadata(route, '"{}"'), 400, ErrorCode.invalidMetadata);
  add([route], "metadata of 1025 bytes", () => withMetadata(route, JSON.stringify({ s: "x".repeat(1025 - 8) })), 400, ErrorCode.invalidMetadata);
  add([route], "metadata over 1024 bytes in UTF-8 (510 é)", () => withMetadata(route, JSON.stringify({ s: "é".repeat(510) })), 400, ErrorCode.invalidMetadata);
  if (json) {
    add([route], "metadata as JSON and as bracket fields", () => ({ body: form({ ...(route === "upload v1" ? { file: FILE } : {}), metadata: "{}", "metadata[a]": "1" }) }), 400, ErrorCode.badRequest);
    add([route], "conflicting bracket fields", () => ({ body: form({ ...(route === "upload v1" ? { file: FILE } : {}), "metadata[a]": "1", "metadata[a][b]": "2" }) }), 400, ErrorCode.invalidMetadata);
  }
}

// Ids and other fields of the upload forms.
for (const route of ["direct upload", "upload v1"] as const) {
  const fields = (extra: Record<string, string>): Tweak => ({ body: form({ ...(route === "upload v1" ? { file: FILE } : {}), ...extra }) });
  add([route], "a duplicate custom id (a completed image)", () => fields({ id: fixture.taken }), 409, ErrorCode.idTaken);
  add([route], "a duplicate custom id (a draft)", () => fields({ id: fixture.draft.id }), 409, ErrorCode.idTaken);
  for (const [why, id] of [
    ["over 1024 characters", "x".repeat(1025)],
    ["with a trailing /", "a/"],
    ["with a leading /", "/a"],
    ["with a .. segment", "a/../b"],
    ["that is ..", ".."],
    ["that is empty", ""],
    ["that is a UUID", "AB9C6A5E-8F1E-4C1E-9D3E-2A7B6C5D4E3F"],
  ] as const) {
    add([route], `a custom id ${why}`, () => fields({ id }), 400, ErrorCode.badRequest);
  }
  add([route], "an id given twice", () => {
    const data = form({ ...(route === "upload v1" ? { file: FILE } : {}), id: "one" });
    data.append("id", "two");
    return { body: data };
  }, 400, ErrorCode.badRequest);
  add([route], "requireSignedURLs that is not a boolean", () => fields({ requireSignedURLs: "yes" }), 400, ErrorCode.badRequest);
  add([route], "signed URLs with a custom id", () => fields({ id: "custom-signed", requireSignedURLs: "true" }), 400, ErrorCode.badRequest);
  add([route], "a creator over 1024 characters", () => fields({ creator: "c".repeat(1025) }), 400, ErrorCode.badRequest);
}
for (const [why, expiry] of [
  ["not a date", "tomorrow"],
  ["not a real date", "2026-13-45T00:00:00Z"],
  ["under 2 minutes away", () => new Date(clock.now() + 60_000).toISOString()],
  ["over 6 hours away", () => new Date(clock.now() + 7 * 3600_000).toISOString()],
  ["without an offset (local time is not RFC 3339)", () => new Date(clock.now() + 3600_000).toISOString().slice(0, 19)],
] as const) {
  add(["direct upload"], `an expiry ${why}`, () => ({ body: form({ expiry: typeof expiry === "string" ? expiry : expiry() }) }), 400, ErrorCode.badRequest);
}

// Files.
for (const route of ["upload v1", "upload URL"] as const) {
  add([route], "no file", () => ({ body: form({ creator: "x" }) }), 400, ErrorCode.badRequest);
  add([route], "a text field named file", () => ({ body: form({ file: "just text" }) }), 400, ErrorCode.badRequest);
  add([route], "an empty file", () => ({ body: form({ file: [new Uint8Array(0), "empty.png"] }) }), 400, ErrorCode.badRequest);
  add([route], "two files", () => {
    const data = form({ file: FILE });
    data.append("file", new Blob([IMAGES.gif]), "b.gif");
    return { body: data };
  }, 400, ErrorCode.badRequest);
  for (const bytes of ["GIF88a....", "RIFF\0\0\0\0WAVE", "<html><svg/></html>", "\u0089PNG"]) {
    add([route], `a file that is not an image (${JSON.stringify(bytes.slice(0, 6))})`, () => ({ body: form({ file: [new TextEncoder().encode(bytes), "fake.png"] }) }), 400, ErrorCode.unsupportedFormat);
  }
}
add(["upload v1"], "a url upload", () => ({ body: form({ url: "https://example.com/a.png" }) }), 400, ErrorCode.urlUploadUnsupported);
add(["upload v1"], "a file and a url", () => ({ body: form({ file: FILE, url: "https://example.com/a.png" }) }), 400, ErrorCode.badRequest);

// Upload URLs.
add(["upload URL"], "a wrong token for the right id", () => ({ url: fixture.draft.uploadURL.replace(/\/([\w-]{22})\//, (_, token: string) => `/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}/`) }), 404, ErrorCode.notFound);
add(["upload URL"], "no token", () => ({ url: `${BASE}/upload/${HASH}/${encodeURIComponent(fixture.draft.id)}` }), 404, ErrorCode.notFound);
add(["upload URL"], "an unknown id", () => ({ url: `${fixture.draft.uploadURL}-not-there` }), 404, ErrorCode.notFound);
add(["upload URL"], "a URL used already", () => ({ url: fixture.usedURL }), 409, ErrorCode.uploadUrlUsed);
add(["upload URL"], "an expired URL", () => ({ url: fixture.expiredURL }), 410, ErrorCode.uploadUrlExpired);

// List parameters.
for (const route of ["list v2", "list v1"] as const) {
  for (const perPage of ["0", "9", "10001", "99999999999999999999", "-1", "1e3", "10.5", "+20", "NaN", "Infinity", "0x10", " 10", ""]) {
    add([route], `per_page=${JSON.stringify(perPage)}`, () => ({ query: `per_page=${encodeURIComponent(perPage)}` }), 400, ErrorCode.invalidListParameter);
  }
  add([route], "per_page given twice", () => ({ query: "per_page=10&per_page=20" }), 400, ErrorCode.invalidListParameter);
}
for (const order of ["up", "ASC", ""]) add(["list v2"], `sort_order=${JSON.stringify(order)}`, () => ({ query: `sort_order=${order}` }), 400, ErrorCode.invalidListParameter);
for (const page of ["0", "-1", "1e2", "x", "9999999999", ""]) add(["list v1"], `page=${JSON.stringify(page)}`, () => ({ query: `page=${encodeURIComponent(page)}` }), 400, ErrorCode.invalidListParameter);
add(["list v2"], "a bad filter", () => ({ query: "meta.status[like]=x" }), 400, ErrorCode.invalidFilter);

// Continuation tokens.
const forged = (token: () => string, extra = ""): (() => Tweak) => () => ({ query: `per_page=10${extra}&continuation_token=${encodeURIComponent(token())}` });
add(["list v2"], "a token with one character changed", forged(() => fixture.continuation.slice(0, -1) + (fixture.continuation.endsWith("A") ? "B" : "A")), 400, ErrorCode.invalidListParameter);
for (const token of ["A".repeat(22), "x".repeat(33), "\u0000", "../../etc/passwd", "null", "undefined", "🙂".repeat(11)]) {
  add(["list v2"], `a forged token ${JSON.stringify(token.slice(0, 12))}`, forged(() => token), 400, ErrorCode.invalidListParameter);
}
add(["list v2"], "a token of the other sort order", forged(() => fixture.continuation, "&sort_order=asc"), 400, ErrorCode.invalidListParameter);
add(["list v2"], "a token given twice", () => ({ query: `continuation_token=${fixture.continuation}&continuation_token=${fixture.continuation}` }), 400, ErrorCode.invalidListParameter);

// Ids that are not there, and drafts where bytes are asked for.
add(["details", "blob", "patch", "delete"], "an unknown id", () => ({ id: "not-there" }), 404, ErrorCode.notFound);
add(["blob"], "a draft (no bytes yet)", () => ({ id: fixture.draft.id }), 404, ErrorCode.notFound);
add(["delivery"], "a draft", () => ({ url: `${BASE}/imagedelivery/${HASH}/${fixture.draft.id}/public` }), 404, ErrorCode.notFound);
add(["delivery"], "an unknown variant", () => ({ url: `${BASE}/imagedelivery/${HASH}/${fixture.taken}/huge` }), 404, ErrorCode.notFound);
add(["delivery"], "an unknown id", () => ({ url: `${BASE}/imagedelivery/${HASH}/nope/public` }), 404, ErrorCode.notFound);
add(["delivery"], "no id", () => ({ url: `${BASE}/imagedelivery/${HASH}/public` }), 404, ErrorCode.notFound);
add(["delivery"], "broken percent-encoding", () => ({ url: `${BASE}/imagedelivery/${HASH}/%E0%A4%A/public` }), 404, ErrorCode.notFound);

/** Everything the store holds, to compare before and after a refused request. */
async function snapshot(): Promise<string> {
  const store = await emulator.store();
  return JSON.stringify([...store.all()].sort((a, b) => (a.id < b.id ? -1 : 1)));
}

beforeAll(async () => {
  emulator = createEmulator({ token: TOKEN, accountId: ACCOUNT, now: clock.now, seed: 12 });
  const call = async (request: Request): Promise<unknown> => {
    const response = await emulator.fetch(request);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await envelope(response)).result;
  };
  const api = `${BASE}/client/v4/accounts/${ACCOUNT}`;
  const post = (path: string, body: FormData): Request => new Request(`${api}${path}`, { method: "POST", headers: GOOD, body });
  await call(post("/images/v1", form({ file: FILE, id: "taken" })));
  const expiring = (await call(post("/images/v2/direct_upload", form({ id: "expiring", expiry: new Date(clock.now() + 120_000).toISOString() })))) as { uploadURL: string };
  clock.advance(180_000);
  const draft = (await call(post("/images/v2/direct_upload", form({ id: "a draft/x.png" })))) as { id: string; uploadURL: string };
  const used = (await call(post("/images/v2/direct_upload", form({})))) as { uploadURL: string };
  await call(new Request(used.uploadURL, { method: "POST", body: form({ file: FILE }) }));
  const list = (await call(new Request(`${api}/images/v2?per_page=10`, { headers: GOOD }))) as { continuation_token: string };
  fixture = { taken: "taken", draft, usedURL: used.uploadURL, expiredURL: expiring.uploadURL, continuation: list.continuation_token };
  // Every route's valid request works: the rows below fail for their one problem, not for another.
  for (const route of ["list v2", "list v1", "stats", "details", "blob", "delivery"] as const) {
    expect((await emulator.fetch(build(route))).status, route).toBe(200);
  }
});

describe("the bad-input matrix", () => {
  it("covers every route", () => {
    const covered = new Set(rows.map((row) => row.route));
    expect([...covered].sort()).toEqual([...API_ROUTES, "upload URL", "delivery"].sort());
  });

  it.each(rows.map((row) => [`${row.route}: ${row.problem}`, row] as const))("%s", async (_, row) => {
    const before = await snapshot();
    const body = await expectFailure(await emulator.fetch(build(row.route, row.tweak())), row.status, [row.code]);
    expect(body.errors[0]!.message.length).toBeGreaterThan(0);
    expect(await snapshot()).toBe(before);
  });
});
