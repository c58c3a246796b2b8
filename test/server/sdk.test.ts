/**
 * End to end with the official `cloudflare` SDK (7.3.0) against the emulator on a random loopback port:
 * uploads, the direct-upload flow, filtered lists, page walks, creator filters, PATCH/DELETE, and the
 * SDK's error class on each error path.
 */
import Cloudflare, { toFile, type APIError } from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toListParams } from "../../src/integrations.js";
import { ErrorCode } from "../../src/server/index.js";
import { ACCOUNT, IMAGES, startEmulator, T0, testClock, type Running } from "../support/emulator.js";

const clock = testClock();
let running: Running;
let client: Cloudflare;

beforeAll(async () => {
  running = await startEmulator({ now: clock.now });
  client = running.client;
});
afterAll(() => running.close());

/** Filters as the SDK takes them: its `Meta` type is a placeholder, so a record needs a cast. */
const meta = (filters: Record<string, string>): Record<string, string> => filters;

async function upload(fields: { id?: string; creator?: string; metadata?: unknown; file?: Uint8Array; name?: string }): Promise<string> {
  clock.advance(1000);
  const image = await client.images.v1.create({
    account_id: ACCOUNT,
    file: await toFile(fields.file ?? IMAGES.png, fields.name ?? "photo.png"),
    ...(fields.id !== undefined ? { id: fields.id } : {}),
    ...(fields.creator !== undefined ? { creator: fields.creator } : {}),
    ...(fields.metadata !== undefined ? { metadata: JSON.stringify(fields.metadata) } : {}),
  });
  return image.id!;
}

/** Every id of a v2 list walk, page by page. */
async function walk(params: Omit<Parameters<Cloudflare["images"]["v2"]["list"]>[0], "account_id">): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | null | undefined = null;
  do {
    const page: Cloudflare.Images.V2ListResponse = await client.images.v2.list({ account_id: ACCOUNT, ...params, continuation_token: token });
    pages.push((page.images ?? []).map((image) => image.id!));
    token = page.continuation_token;
  } while (token);
  return pages;
}

async function expectError<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E, code: number): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as APIError).errors.map((item: { code?: number }) => item.code)).toContain(code);
  return error as E;
}

describe("uploads with images.v1.create", () => {
  it("stores the file, metadata and creator, and returns the image", async () => {
    const id = await upload({ creator: "user123", metadata: { status: "active", priority: 5, region: { name: "eu-west" } } });
    const image = await client.images.v1.get(id, { account_id: ACCOUNT });
    expect(image).toMatchObject({
      id,
      filename: "photo.png",
      creator: "user123",
      meta: { status: "active", priority: 5, region: { name: "eu-west" } },
      requireSignedURLs: false,
    });
    expect(image.variants).toHaveLength(2);
    expect(new Date(image.uploaded!).getTime()).toBe(clock.now());
    expect((image as { draft?: boolean }).draft).toBeUndefined();
  });

  it("accepts every supported format, recognised by its bytes whatever the file name", async () => {
    for (const [format, bytes] of Object.entries(IMAGES)) {
      const id = await upload({ file: bytes, name: "no-extension" });
      const blob = await client.images.v1.blobs.get(id, { account_id: ACCOUNT });
      expect(blob.headers.get("content-type"), format).toMatch(/^image\//);
      expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    }
  });

  it("rebuilds metadata from the SDK's bracket fields (values arrive as strings)", async () => {
    clock.advance(1000);
    const image = await client.images.v1.create({
      account_id: ACCOUNT,
      file: await toFile(IMAGES.gif, "a.gif"),
      metadata: { status: "active", nested: { enabled: true }, tags: ["a", "b"] },
    });
    expect(image.meta).toEqual({ status: "active", nested: { enabled: "true" }, tags: ["a", "b"] });
  });

  it("takes custom ids with slashes (sent as %2F) for get, edit, blob, delivery and delete", async () => {
    const id = await upload({ id: "folder/sub dir/ünï.png", metadata: { a: 1 } });
    expect(id).toBe("folder/sub dir/ünï.png");
    expect((await client.images.v1.get(id, { account_id: ACCOUNT })).id).toBe(id);
    const edited = await client.images.v1.edit(id, { account_id: ACCOUNT, metadata: { a: 2 } });
    expect(edited.meta).toEqual({ a: 2 });
    const delivered = await fetch(edited.variants![0]!);
    expect(delivered.status).toBe(200);
    expect(new Uint8Array(await delivered.arrayBuffer())).toEqual(IMAGES.png);
    await client.images.v1.delete(id, { account_id: ACCOUNT });
    await expectError(client.images.v1.get(id, { account_id: ACCOUNT }), Cloudflare.NotFoundError, ErrorCode.notFound);
  });

  it("refuses a custom id that is taken (ConflictError), a UUID, or one with signed URLs (BadRequestError)", async () => {
    await upload({ id: "taken" });
    await expectError(upload({ id: "taken" }), Cloudflare.ConflictError, ErrorCode.idTaken);
    await expectError(upload({ id: "0b9c6a5e-8f1e-4c1e-9d3e-2a7b6c5d4e3f" }), Cloudflare.BadRequestError, ErrorCode.badRequest);
    await expectError(upload({ id: "/leading" }), Cloudflare.BadRequestError, ErrorCode.badRequest);
    await expectError(
      client.images.v1.create({ account_id: ACCOUNT, id: "private", requireSignedURLs: true, file: await toFile(IMAGES.png, "a.png") }),
      Cloudflare.BadRequestError,
      ErrorCode.badRequest,
    );
  });

  it("refuses a url upload, a file that is not an image, and metadata over 1024 bytes", async () => {
    await expectError(
      client.images.v1.create({ account_id: ACCOUNT, url: "https://example.com/a.png" }),
      Cloudflare.BadRequestError,
      ErrorCode.urlUploadUnsupported,
    );
    await expectError(upload({ file: new TextEncoder().encode("not an image") }), Cloudflare.BadRequestError, ErrorCode.unsupportedFormat);
    await expectError(upload({ metadata: { big: "x".repeat(1020) } }), Cloudflare.BadRequestError, ErrorCode.invalidMetadata);
  });
});

describe("direct upload (images.v2.directUploads.create)", () => {
  it("creates a draft: visible in details, hidden from lists, completed once by its upload URL", async () => {
    const created = await client.images.v2.directUploads.create({
      account_id: ACCOUNT,
      creator: "direct-creator",
      metadata: JSON.stringify({ flow: "direct" }),
    });
    const id = created.id!;
    expect(created.uploadURL).toMatch(new RegExp(`^${running.url}/upload/`));

    const draft = await client.images.v1.get(id, { account_id: ACCOUNT });
    expect(draft).toMatchObject({ id, creator: "direct-creator", meta: { flow: "direct" }, draft: true });
    const listed = async (): Promise<string[]> =>
      (await walk({ creator: "direct-creator", per_page: 10 })).flat();
    expect(await listed()).toEqual([]);
    await expectError(client.images.v1.blobs.get(id, { account_id: ACCOUNT }), Cloudflare.NotFoundError, ErrorCode.notFound);

    // The upload URL needs no credentials.
    const form = new FormData();
    form.append("file", new Blob([IMAGES.webp]), "from-browser.webp");
    clock.advance(5000);
    const uploaded = await fetch(created.uploadURL!, { method: "POST", body: form });
    expect(uploaded.status).toBe(200);

    const image = await client.images.v1.get(id, { account_id: ACCOUNT });
    expect(image).toMatchObject({ id, filename: "from-browser.webp", meta: { flow: "direct" } });
    expect((image as { draft?: boolean }).draft).toBeUndefined();
    expect(await listed()).toEqual([id]);

    // Single use.
    const again = new FormData();
    again.append("file", new Blob([IMAGES.png]), "again.png");
    const reused = await fetch(created.uploadURL!, { method: "POST", body: again });
    expect(reused.status).toBe(409);
    expect(reused.headers.get("x-should-retry")).toBe("false");
    expect(((await reused.json()) as { errors: { code: number }[] }).errors[0]!.code).toBe(ErrorCode.uploadUrlUsed);
  });

  it("takes a custom id and an expiry; an expired URL is refused with 410", async () => {
    const expiry = new Date(clock.now() + 5 * 60_000).toISOString();
    const created = await client.images.v2.directUploads.create({ account_id: ACCOUNT, id: "direct/custom", expiry });
    expect(created.id).toBe("direct/custom");
    clock.advance(6 * 60_000);
    const form = new FormData();
    form.append("file", new Blob([IMAGES.png]), "late.png");
    const late = await fetch(created.uploadURL!, { method: "POST", body: form });
    expect(late.status).toBe(410);
    expect(await client.images.v1.get("direct/custom", { account_id: ACCOUNT })).toMatchObject({ draft: true });
  });

  it("refuses an expiry outside now + 2 minutes .. now + 6 hours, a UUID id, signed URLs with a custom id", async () => {
    for (const offset of [60_000, 7 * 3600_000]) {
      await expectError(
        client.images.v2.directUploads.create({ account_id: ACCOUNT, expiry: new Date(clock.now() + offset).toISOString() }),
        Cloudflare.BadRequestError,
        ErrorCode.badRequest,
      );
    }
    await expectError(
      client.images.v2.directUploads.create({ account_id: ACCOUNT, id: "1b9c6a5e-8f1e-4c1e-9d3e-2a7b6c5d4e3f" }),
      Cloudflare.BadRequestError,
      ErrorCode.badRequest,
    );
    await expectError(
      client.images.v2.directUploads.create({ account_id: ACCOUNT, id: "signed", requireSignedURLs: true }),
      Cloudflare.BadRequestError,
      ErrorCode.badRequest,
    );
  });
});

describe("images.v2.list", () => {
  const ids: Record<string, string> = {};
  const tag = "list-suite";

  beforeAll(async () => {
    const rows: [string, Record<string, unknown>, string?][] = [
      ["a", { suite: tag, status: "active", priority: 5, enabled: true, region: { name: "eu-west" } }, "alice"],
      ["b", { suite: tag, status: "active", priority: 2, enabled: false, region: { name: "us-east" } }, "bob"],
      ["c", { suite: tag, status: "pending", priority: 4, enabled: true, region: { name: "eu-west" } }],
      ["d", { suite: tag, status: "active", priority: "5", enabled: "true" }, "alice"],
      ["e", { suite: tag, status: "deleted", priority: 1, ratings: [4, 5] }],
      ["f", { suite: tag, status: "in review & ready=50%+ ✓", priority: -1.5e-3 }, "Zoë Q"],
    ];
    for (const [name, metadata, creator] of rows) {
      ids[name] = await upload({ metadata, ...(creator !== undefined ? { creator } : {}) });
    }
  });

  const list = async (filters: Record<string, string>, extra: { creator?: string | null; sort_order?: "asc" | "desc" } = {}): Promise<string[]> => {
    const page = await client.images.v2.list({ account_id: ACCOUNT, meta: meta({ "suite[eq]": tag, ...filters }), ...extra });
    const byId = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    return (page.images ?? []).map((image) => byId[image.id!] ?? "?");
  };

  it("applies typed and untyped filters with AND, newest first by default", async () => {
    expect(await list({ "status[eq:string]": "active" })).toEqual(["d", "b", "a"]);
    expect(await list({ "status[eq]": "active", "priority[eq:number]": "5" })).toEqual(["a"]);
    expect(await list({ "priority[gte:number]": "4" })).toEqual(["c", "a"]);
    expect(await list({ "priority[lt]": "3" })).toEqual(["f", "e", "b"]);
    expect(await list({ "enabled[eq:boolean]": "true" })).toEqual(["c", "a"]);
    expect(await list({ "region.name[eq:string]": "eu-west" })).toEqual(["c", "a"]);
    expect(await list({ "status[in]": "pending|deleted" })).toEqual(["e", "c"]);
    expect(await list({ "priority[in:number]": "1|2" })).toEqual(["e", "b"]);
    expect(await list({ "status[eq]": "active" }, { sort_order: "asc" })).toEqual(["a", "b", "d"]);
    // Values the SDK must percent-encode: spaces, &, =, %, +, non-ASCII; numbers in exponent form.
    expect(await list({ "status[eq]": "in review & ready=50%+ ✓" })).toEqual(["f"]);
    expect(await list({ "status[in]": "in review & ready=50%+ ✓|deleted" })).toEqual(["f", "e"]);
    expect(await list({ "priority[lt:number]": "-1e-4" })).toEqual(["f"]);
    expect(await list({}, { creator: "Zoë Q" })).toEqual(["f"]);
  });

  it("filters by creator: a name, or empty (the SDK's null) for no creator", async () => {
    expect(await list({}, { creator: "alice" })).toEqual(["d", "a"]);
    expect(await list({}, { creator: "" })).toEqual(["e", "c"]);
    expect(await list({}, { creator: null })).toEqual(["e", "c"]);
    expect(await list({}, { creator: "nobody" })).toEqual([]);
  });

  it("selects by names holding line breaks, as toListParams sends them through the SDK", async () => {
    const wanted = await upload({ metadata: { suite: "line-breaks", "a\nb": { "c\u2028d\r": "x" } } });
    await upload({ metadata: { suite: "line-breaks", "a\nb": { "c\u2028d\r": "y" } } });
    const page = await client.images.v2.list({ account_id: ACCOUNT, ...toListParams('suite = "line-breaks" and `a\nb`.`c\u2028d\r` = "x"') });
    expect(page.images?.map((image) => image.id)).toEqual([wanted]);
  });

  it("refuses bad filters with BadRequestError carrying the library's messages", async () => {
    const error = await expectError(
      client.images.v2.list({ account_id: ACCOUNT, meta: meta({ "status[like]": "x", "priority[eq:number]": "five" }) }),
      Cloudflare.BadRequestError,
      ErrorCode.invalidFilter,
    );
    expect(error.errors).toHaveLength(2);
    expect(error.errors[0]!.message).toContain('"like" is not an operator of the API');
    expect(error.errors[1]!.message).toContain('needs a number, not "five"');
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}[eq]`, "v"]));
    const tooMany = await expectError(client.images.v2.list({ account_id: ACCOUNT, meta: meta(six) }), Cloudflare.BadRequestError, ErrorCode.invalidFilter);
    expect(tooMany.errors[0]!.message).toContain("at most 5 metadata filters");
    await expectError(client.images.v2.list({ account_id: ACCOUNT, per_page: 5 }), Cloudflare.BadRequestError, ErrorCode.invalidListParameter);
    await expectError(
      client.images.v2.list({ account_id: ACCOUNT, continuation_token: "not-a-token" }),
      Cloudflare.BadRequestError,
      ErrorCode.invalidListParameter,
    );
  });
});

describe("page walks", () => {
  const tag = "walk-suite";
  const created: string[] = [];

  beforeAll(async () => {
    // 35 images; every 5 share an upload time, so ties (broken by id) fall across page boundaries.
    for (let i = 0; i < 35; i++) {
      if (i % 5 === 0) clock.advance(1000);
      const image = await client.images.v1.create({
        account_id: ACCOUNT,
        file: await toFile(IMAGES.png, "w.png"),
        metadata: JSON.stringify({ walk: tag, i }),
      });
      created.push(image.id!);
    }
  });

  const expected = async (order: "asc" | "desc"): Promise<string[]> => {
    const images = await Promise.all(created.map((id) => client.images.v1.get(id, { account_id: ACCOUNT })));
    const sorted = images
      .sort((a, b) => a.uploaded!.localeCompare(b.uploaded!) || (a.id! < b.id! ? -1 : 1))
      .map((image) => image.id!);
    return order === "asc" ? sorted : sorted.reverse();
  };

  it("returns every image once, in (uploaded, id) order, both ways", async () => {
    for (const order of ["asc", "desc"] as const) {
      const pages = await walk({ meta: meta({ "walk[eq]": tag }), per_page: 10, sort_order: order });
      expect(pages.map((page) => page.length)).toEqual([10, 10, 10, 5]);
      expect(pages.flat()).toEqual(await expected(order));
    }
  });

  it("neither skips nor repeats an image when others are added or deleted between pages", async () => {
    const seen: string[] = [];
    const deleted = new Set<string>();
    const added: string[] = [];
    const deletedAhead: string[] = [];
    let token: string | null | undefined = null;
    let round = 0;
    do {
      const page: Cloudflare.Images.V2ListResponse = await client.images.v2.list({
        account_id: ACCOUNT,
        meta: meta({ "walk[eq]": tag }),
        per_page: 10,
        sort_order: "asc",
        continuation_token: token,
      });
      seen.push(...(page.images ?? []).map((image) => image.id!));
      token = page.continuation_token;
      round++;
      // Between pages: delete the last image returned and one not yet seen, add a new one.
      const last = seen[seen.length - 1]!;
      const ahead = created.find((id) => !seen.includes(id) && !deleted.has(id));
      if (ahead !== undefined) deletedAhead.push(ahead);
      for (const id of [last, ahead]) {
        if (id === undefined) continue;
        await client.images.v1.delete(id, { account_id: ACCOUNT });
        deleted.add(id);
      }
      const image = await client.images.v1.create({
        account_id: ACCOUNT,
        file: await toFile(IMAGES.png, "new.png"),
        metadata: JSON.stringify({ walk: tag, round }),
      });
      added.push(image.id!);
    } while (token && round < 20);
    expect(new Set(seen).size).toBe(seen.length);
    // Every image present throughout the walk was seen.
    const throughout = created.filter((id) => !deleted.has(id));
    for (const id of throughout) expect(seen).toContain(id);
    // Images deleted before the walk reached them never show up.
    for (const id of deletedAhead) expect(seen).not.toContain(id);
    expect(round).toBeGreaterThan(3);
  });
});

describe("edit, delete, stats and v1 list", () => {
  it("replaces metadata and creator with images.v1.edit; requireSignedURLs toggles", async () => {
    const id = await upload({ creator: "old", metadata: { keep: false, status: "pending" } });
    const edited = await client.images.v1.edit(id, { account_id: ACCOUNT, metadata: { status: "active" }, creator: "new", requireSignedURLs: true });
    expect(edited).toMatchObject({ id, creator: "new", meta: { status: "active" }, requireSignedURLs: true });
    const unchanged = await client.images.v1.edit(id, { account_id: ACCOUNT });
    expect(unchanged).toMatchObject({ creator: "new", meta: { status: "active" } });
    await expectError(client.images.v1.edit("missing", { account_id: ACCOUNT, creator: "x" }), Cloudflare.NotFoundError, ErrorCode.notFound);
  });

  it("deletes, after which get, delete and blob are NotFoundError", async () => {
    const id = await upload({});
    expect(await client.images.v1.delete(id, { account_id: ACCOUNT })).toEqual({});
    await expectError(client.images.v1.get(id, { account_id: ACCOUNT }), Cloudflare.NotFoundError, ErrorCode.notFound);
    await expectError(client.images.v1.delete(id, { account_id: ACCOUNT }), Cloudflare.NotFoundError, ErrorCode.notFound);
    await expectError(client.images.v1.blobs.get(id, { account_id: ACCOUNT }), Cloudflare.NotFoundError, ErrorCode.notFound);
  });

  it("counts images in stats and pages through v1 list", async () => {
    const stats = await client.images.v1.stats.get({ account_id: ACCOUNT });
    expect(stats.count?.allowed).toBe(100_000);
    expect(stats.count?.current).toBeGreaterThan(40);
    const first = await client.images.v1.list({ account_id: ACCOUNT, per_page: 10, page: 1 });
    const second = await client.images.v1.list({ account_id: ACCOUNT, per_page: 10, page: 2 });
    const one = (first.result as { images: { id: string }[] }).images;
    const two = (second.result as { images: { id: string }[] }).images;
    expect(one).toHaveLength(10);
    expect(two).toHaveLength(10);
    expect(new Set([...one, ...two].map((image) => image.id)).size).toBe(20);
  });
});

describe("credentials", () => {
  const sdk = (options: ConstructorParameters<typeof Cloudflare>[0]): Cloudflare =>
    new Cloudflare({ baseURL: `${running.url}/client/v4`, maxRetries: 0, apiToken: null, apiKey: null, apiEmail: null, ...options });

  it("answers no credentials with BadRequestError 9106", async () => {
    await expectError(sdk({}).images.v1.stats.get({ account_id: ACCOUNT }), Cloudflare.BadRequestError, ErrorCode.missingCredentials);
  });

  it("accepts X-Auth-Email with X-Auth-Key, and refuses a malformed key with 6003", async () => {
    const stats = await sdk({ apiEmail: "me@example.com", apiKey: "0123456789abcdef" }).images.v1.stats.get({ account_id: ACCOUNT });
    expect(stats.count?.allowed).toBe(100_000);
    const error = await expectError(
      sdk({ apiEmail: "me@example.com", apiKey: "has spaces" }).images.v1.stats.get({ account_id: ACCOUNT }),
      Cloudflare.BadRequestError,
      ErrorCode.invalidHeaders,
    );
    expect(error.errors[0]).toMatchObject({ error_chain: [{ code: 6103 }] });
  });

  it("refuses an API token sent as X-Auth-Key with 6003/6103, as the real API does", async () => {
    const token = "Hq3xT9vZ_aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0u"; // 40 characters, as API tokens are
    const error = await expectError(
      sdk({ apiEmail: "me@example.com", apiKey: token }).images.v2.list({ account_id: ACCOUNT, per_page: 10 }),
      Cloudflare.BadRequestError,
      ErrorCode.invalidHeaders,
    );
    expect(error.errors[0]).toMatchObject({ error_chain: [{ code: 6103, message: "Invalid format for X-Auth-Key header" }] });
    // The same token as a Bearer token is fine.
    expect((await sdk({ apiToken: token }).images.v2.list({ account_id: ACCOUNT, per_page: 10 })).images).toBeDefined();
  });

  it("with a configured token and account, refuses others with PermissionDeniedError 10000", async () => {
    const locked = await startEmulator({ token: "secret", accountId: ACCOUNT, now: () => T0 }, "secret");
    try {
      const stats = await locked.client.images.v1.stats.get({ account_id: ACCOUNT });
      expect(stats.count?.current).toBe(0);
      const wrong = new Cloudflare({ baseURL: `${locked.url}/client/v4`, apiToken: "not-secret", maxRetries: 0 });
      await expectError(wrong.images.v1.stats.get({ account_id: ACCOUNT }), Cloudflare.PermissionDeniedError, ErrorCode.authentication);
      await expectError(locked.client.images.v1.stats.get({ account_id: "other" }), Cloudflare.PermissionDeniedError, ErrorCode.authentication);
    } finally {
      await locked.close();
    }
  });

  it("with a configured token, takes it as X-Auth-Key only when it is a key (hex), as the real API would", async () => {
    const key = "0123456789abcdef0123456789abcdef01234";
    const byKey = (running: { url: string }, apiKey: string) =>
      new Cloudflare({ baseURL: `${running.url}/client/v4`, apiToken: null, apiKey, apiEmail: "me@example.com", maxRetries: 0 }).images.v1.stats.get({ account_id: ACCOUNT });
    const keyed = await startEmulator({ token: key, now: () => T0 }, key);
    const secret = await startEmulator({ token: "secret", now: () => T0 }, "secret");
    try {
      expect((await byKey(keyed, key)).count?.current).toBe(0);
      await expectError(byKey(keyed, "0123456789abcdef0123456789abcdef01235"), Cloudflare.PermissionDeniedError, ErrorCode.authentication);
      const error = await expectError(byKey(secret, "secret"), Cloudflare.BadRequestError, ErrorCode.invalidHeaders);
      expect(error.errors[0]).toMatchObject({ error_chain: [{ code: 6103 }] });
    } finally {
      await keyed.close();
      await secret.close();
    }
  });
});
