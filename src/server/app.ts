/**
 * The routes: the Images API under `/client/v4/accounts/:account_id/...` and `/accounts/:account_id/...`,
 * plus the unauthenticated direct-upload URLs and image delivery. Every handler either answers or
 * throws an {@link ApiError}; anything else becomes an enveloped 500, never a crash.
 */
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { FilterError, fromSearchParams, parsePerPage, PER_PAGE_RANGE, toPredicate, type FilterNode } from "../index.js";
import { ADMIN_PREFIX, adminRoutes, type AdminOperations } from "./admin.js";
import { ANY_ACCOUNT, CONFIG_PATH, type PlaygroundConfig } from "./playground-contract.js";
import { checkCredentials, type AuthOptions } from "./auth.js";
import { readForm, readJson } from "./body.js";
import { equalities } from "./equality.js";
import { CUSTOM_ID_SIGNED_URLS } from "./fields.js";
import { ApiError, ErrorCode, errorResponse, internalError, noRoute, SUCCESS_ENVELOPE, successBytesResponse, successResponse, type DirectAnswer, type Warn } from "./errors.js";
import { faultLabel, faultResponse, faultRouteOf, type FaultTable } from "./faults.js";
import { FORMATS } from "./formats.js";
import { accountHash, DELIVERY_PREFIX, idFromSegments, toApiImage, UPLOAD_PREFIX, uploadUrl, VARIANTS } from "./images.js";
import { renderImages } from "./listing.js";
import { checkMetadata } from "./metadata.js";
import type { CursorTable } from "./pagination.js";
import type { ImageStore, StoredImage } from "./store.js";
import { randomToken, sameToken } from "./tokens.js";
import { checkCreator, MAX_FIELDS_BYTES, MAX_FORM_BYTES, readDirectUploadForm, readFile, readUploadForm, type ImageFields } from "./uploads.js";

/** What the routes work with. */
export interface AppContext {
  readonly store: ImageStore;
  readonly cursors: CursorTable;
  readonly auth: AuthOptions;
  /** The only account id served; any when unset. */
  readonly accountId: string | undefined;
  /** The clock, in ms since the epoch (tests pass a fixed one). */
  readonly now: () => number;
  /** New image ids. */
  readonly newId: () => string;
  /** The playground page served at `/`, when there is one. */
  readonly playground?: string | undefined;
  /** Told the detail of an internal error (answered with a plain 500). */
  readonly onWarning?: Warn | undefined;
  /** The most images one walk by continuation tokens lists (see {@link LIST_CAP}); `undefined`: no cap. */
  readonly listCap?: number | undefined;
  /** The faults in force, when faults may be injected. */
  readonly faults?: FaultTable | undefined;
  /** What the admin routes (`/_imgmeta/…`) call; no admin routes without. */
  readonly admin?: AdminOperations | undefined;
}

/** What the routes note about a request, for its record in the request log. */
export interface RequestNotes {
  /** The route of the injected fault that answered or delayed it. */
  fault?: string;
  /** An admin route (`/_imgmeta/…`): printed, but not kept among the recent requests. */
  admin?: boolean;
}

/** What the server passes with each request (Hono's `c.env`). */
export interface AppBindings {
  /** Offered by `listen()` on Node for GET requests: see {@link DirectAnswer}. */
  readonly direct?: DirectAnswer | undefined;
  /** Filled in by the routes for the request log. */
  readonly notes?: RequestNotes | undefined;
}

type AppEnv = { Bindings: AppBindings };

/** The API's quota, reported by stats. */
const ALLOWED_IMAGES = 100_000;
/** PATCH bodies are small JSON. */
const MAX_JSON_BYTES = 64 * 1024;
const DEFAULT_PER_PAGE = 1000;
/** "List up to 10000 images" (List images V2): what one walk by continuation tokens lists at most. */
export const LIST_CAP = 10_000;

function notFound(id: string): ApiError {
  return ApiError.of(404, ErrorCode.notFound, `Image not found: no image with id ${JSON.stringify(id)}`);
}

function listParameterError(message: string): ApiError {
  return ApiError.of(400, ErrorCode.invalidListParameter, message);
}

/** A query parameter given at most once. */
function singleParam(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw listParameterError(`${name} is given ${values.length} times`);
  return values[0];
}

function readPerPage(params: URLSearchParams): number {
  const text = singleParam(params, "per_page");
  if (text === undefined) return DEFAULT_PER_PAGE;
  const value = parsePerPage(text);
  if (value === undefined) {
    throw listParameterError(
      `per_page must be a whole number from ${PER_PAGE_RANGE.min} to ${PER_PAGE_RANGE.max}, not ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function readSortOrder(params: URLSearchParams): "asc" | "desc" {
  const text = singleParam(params, "sort_order");
  if (text === undefined) return "desc";
  if (text !== "asc" && text !== "desc") throw listParameterError(`sort_order must be asc or desc, not ${JSON.stringify(text)}`);
  return text;
}

/** The filter of a list request, read by the library; its issues become one 400 error item each. */
function readFilter(query: string | URLSearchParams): FilterNode {
  try {
    return fromSearchParams(query);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    const issues = error.issues.filter((issue) => issue.severity === "error");
    throw new ApiError(
      400,
      issues.map((issue) => ({ code: ErrorCode.invalidFilter, message: issue.message })),
    );
  }
}

/** The raw (still percent-encoded) segments of the path after a prefix. */
function pathAfter(c: Context, prefix: string): string[] {
  return new URL(c.req.url).pathname.slice(prefix.length + 1).split("/");
}

/**
 * What follows `images/v1/` in the paths of the API's routes the emulator does not implement: signing
 * keys (`keys`, `keys/:name`), variants (`variants`, `variants/:id`), the deprecated v1 direct upload
 * (`direct_upload`), batch tokens (`batch_token`); and `stats`, which only GET serves. The real API
 * routes these elsewhere, so they are no image id: a 404 "No route for the URI" like any unknown
 * route, not "Image not found".
 */
const NOT_IMAGE_IDS: ReadonlySet<string> = new Set(["keys", "variants", "direct_upload", "batch_token", "stats"]);

/**
 * The image id of a route: Hono has already decoded the raw segment (`%2F` → `/`).
 * @throws ApiError 404/7003 when the segment names another route of the API (see {@link NOT_IMAGE_IDS}).
 */
function imageId(c: Context): string {
  const id = c.req.param("image_id") ?? "";
  if (NOT_IMAGE_IDS.has(id)) throw noRoute();
  return id;
}

/** Builds the Hono app over a store. */
export function createApp(context: AppContext): Hono<AppEnv> {
  const { store, cursors, now } = context;
  const api = new Hono<AppEnv>();

  api.use("/accounts/:account_id/*", async (c, next) => {
    const refused = checkCredentials(c.req.raw.headers, context.auth);
    if (refused) throw refused;
    if (context.accountId !== undefined && c.req.param("account_id") !== context.accountId) {
      throw ApiError.of(403, ErrorCode.authentication, "Authentication error");
    }
    await next();
  });

  /** Creates an image or a draft from upload fields; a taken custom id is a 409. */
  const create = (fields: ImageFields, rest: Omit<StoredImage, "id" | "customId" | "creator" | "meta" | "requireSignedURLs">): Promise<StoredImage> =>
    store.write(() => {
      const id = fields.id ?? context.newId();
      if (store.get(id)) throw ApiError.of(409, ErrorCode.idTaken, `an image with id ${JSON.stringify(id)} exists already`);
      const image: StoredImage = {
        id,
        customId: fields.id !== undefined,
        creator: fields.creator ?? null,
        meta: fields.metadata ?? {},
        requireSignedURLs: fields.requireSignedURLs ?? false,
        ...rest,
      };
      return { changes: [{ type: "put", image }], result: image };
    });

  /**
   * Whether an account hash in an upload or delivery URL is served: any when every account id is, else
   * only the hash of the one account (those URLs carry no credentials to check instead).
   */
  const servedHash = context.accountId === undefined ? undefined : accountHash(context.accountId);
  const hashServed = (hash: string): boolean => servedHash === undefined || hash === servedHash;

  const originOf = (c: Context): string => new URL(c.req.url).origin;
  const hashOf = (c: Context): string => accountHash(c.req.param("account_id") ?? "");
  const show = (c: Context, image: StoredImage): unknown => toApiImage(image, originOf(c), hashOf(c));

  api.get("/accounts/:account_id/images/v2", (c) => {
    const url = new URL(c.req.url);
    const params = url.searchParams;
    const perPage = readPerPage(params);
    const order = readSortOrder(params);
    const token = singleParam(params, "continuation_token") ?? "";
    const filter = readFilter(url.search);
    const walk = cursors.resolve(token, order);
    const listedBefore = walk?.listed ?? 0;
    const cap = context.listCap;
    const limit = cap === undefined ? perPage : Math.min(perPage, cap - listedBefore);
    const page = store.page({ matches: toPredicate(filter), order, after: walk?.position, limit, equalities: equalities(filter) });
    const last = page.images[page.images.length - 1];
    const listed = listedBefore + page.images.length;
    // At the cap the walk ends: no token, whatever follows.
    const next = page.more && last && (cap === undefined || listed < cap) ? cursors.issue(last, order, listed) : null;
    const before = `${SUCCESS_ENVELOPE.before}{"images":`;
    const rest = `,"continuation_token":${JSON.stringify(next)}}${SUCCESS_ENVELOPE.after}`;
    return successBytesResponse(renderImages(page.images, url.origin, hashOf(c), before, rest), c.env?.direct);
  });

  api.post("/accounts/:account_id/images/v2/direct_upload", async (c) => {
    // No file travels here: the fields alone, so a small limit.
    const form = await readForm(c.req.raw, MAX_FIELDS_BYTES);
    const at = now();
    const fields = readDirectUploadForm(form, at);
    const image = await create(fields, {
      uploaded: at,
      draft: true,
      uploadExpires: fields.expires,
      filename: null,
      format: null,
      bytes: null,
      uploadToken: randomToken(),
    });
    const url = uploadUrl(originOf(c), hashOf(c), image.uploadToken ?? "", image.id);
    return successResponse({ id: image.id, uploadURL: url }, 200, { result_info: null });
  });

  api.post("/accounts/:account_id/images/v1", async (c) => {
    const form = await readForm(c.req.raw, MAX_FORM_BYTES);
    const fields = await readUploadForm(form);
    const image = await create(fields, {
      uploaded: now(),
      draft: false,
      uploadExpires: null,
      filename: fields.file.filename,
      format: fields.file.format.name,
      bytes: fields.file.bytes,
    });
    return successResponse(show(c, image));
  });

  api.get("/accounts/:account_id/images/v1", (c) => {
    const params = new URL(c.req.url).searchParams;
    const perPage = readPerPage(params);
    const pageText = singleParam(params, "page") ?? "1";
    const page = /^\d{1,9}$/.test(pageText) ? Number(pageText) : 0;
    if (page < 1) throw listParameterError(`page must be a whole number from 1, not ${JSON.stringify(pageText)}`);
    const creator = singleParam(params, "creator");
    const matches = creator === undefined ? () => true : toPredicate(readFilter(new URLSearchParams({ creator })));
    const images = store.slice("desc", matches, (page - 1) * perPage, perPage);
    return successResponse({ images: images.map((image) => show(c, image)) });
  });

  api.get("/accounts/:account_id/images/v1/stats", () =>
    successResponse({ count: { allowed: ALLOWED_IMAGES, current: store.listedCount } }),
  );

  api.get("/accounts/:account_id/images/v1/:image_id", (c) => {
    const image = store.get(imageId(c));
    if (!image) throw notFound(imageId(c));
    return successResponse(show(c, image));
  });

  api.get("/accounts/:account_id/images/v1/:image_id/blob", (c) => {
    const image = store.get(imageId(c));
    if (!image) throw notFound(imageId(c));
    return imageBytes(store, image);
  });

  api.patch("/accounts/:account_id/images/v1/:image_id", async (c) => {
    const id = imageId(c);
    const patch = readPatch(await readJson(c.req.raw, MAX_JSON_BYTES));
    const image = await store.write(() => {
      const current = store.get(id);
      if (!current) throw notFound(id);
      const signed = patch.requireSignedURLs ?? current.requireSignedURLs;
      if (signed && current.customId) throw ApiError.of(400, ErrorCode.badRequest, CUSTOM_ID_SIGNED_URLS);
      const updated: StoredImage = {
        ...current,
        ...(patch.creator !== undefined ? { creator: patch.creator } : {}),
        ...(patch.metadata !== undefined ? { meta: patch.metadata } : {}),
        requireSignedURLs: signed,
      };
      return { changes: [{ type: "put", image: updated }], result: updated };
    });
    return successResponse(show(c, image));
  });

  api.delete("/accounts/:account_id/images/v1/:image_id", async (c) => {
    const id = imageId(c);
    await store.write(() => {
      if (!store.get(id)) throw notFound(id);
      return { changes: [{ type: "delete", id }], result: undefined };
    });
    return successResponse({});
  });

  const app = new Hono<AppEnv>();
  // Browsers post to upload URLs and load delivery URLs from other origins (a web app's dev server);
  // first, so that an injected fault is readable there too.
  app.use(`${UPLOAD_PREFIX}/*`, cors({ origin: "*", allowMethods: ["POST"] }));
  app.use(`${DELIVERY_PREFIX}/*`, cors({ origin: "*", allowMethods: ["GET", "HEAD"] }));
  // Faults before any route (and before credentials are checked), but never on the admin routes or the playground.
  const faults = context.faults;
  if (faults) {
    app.use("*", async (c, next) => {
      // Rules may be set at any time, but most requests meet none: nothing to parse then.
      if (!faults.active) return next();
      const { pathname } = new URL(c.req.url);
      if (pathname === "/" || pathname === CONFIG_PATH || pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) return next();
      const fault = faults.pick(faultRouteOf(c.req.method, pathname, UPLOAD_PREFIX, DELIVERY_PREFIX));
      if (!fault) return next();
      const notes = c.env?.notes;
      if (notes) notes.fault = faultLabel(fault);
      if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      return fault.status === undefined ? next() : faultResponse({ ...fault, status: fault.status });
    });
  }
  if (context.admin) app.route(ADMIN_PREFIX, adminRoutes<AppEnv>(context.admin, context.auth));
  // The playground: a search box over this emulator's own list endpoint (when the page was given), and
  // what it needs to know to list: the account, and whether a token is needed (never the token).
  const playground = context.playground;
  if (playground !== undefined) {
    app.get("/", (c) => c.html(playground));
    const config: PlaygroundConfig = { accountId: context.accountId ?? ANY_ACCOUNT, tokenRequired: context.auth.token !== undefined };
    app.get(CONFIG_PATH, (c) => c.json(config));
  }
  app.route("/client/v4", api);
  app.route("/", api);

  // The direct-upload URL: no credentials but an unguessable token, single use, until it expires.
  app.post(`${UPLOAD_PREFIX}/:hash/*`, async (c) => {
    const [hash = "", token = "", ...segments] = pathAfter(c, UPLOAD_PREFIX);
    const id = idFromSegments(segments) ?? "";
    const usable = (draft: StoredImage | undefined): StoredImage => {
      // A wrong token or account reads exactly like an unknown id: nothing tells a guesser which part was right.
      if (!draft || !hashServed(hash) || draft.uploadToken === undefined || !sameToken(token, draft.uploadToken)) {
        throw ApiError.of(404, ErrorCode.notFound, "no such upload URL");
      }
      if (!draft.draft) throw ApiError.of(409, ErrorCode.uploadUrlUsed, "this upload URL has been used already (upload URLs are single use)");
      if (draft.uploadExpires !== null && now() > draft.uploadExpires) {
        throw ApiError.of(410, ErrorCode.uploadUrlExpired, "this upload URL has expired");
      }
      return draft;
    };
    usable(store.get(id));
    const file = await readFile(await readForm(c.req.raw, MAX_FORM_BYTES));
    const image = await store.write(() => {
      const draft = usable(store.get(id));
      const completed: StoredImage = {
        ...draft,
        uploaded: now(),
        draft: false,
        uploadExpires: null,
        filename: file.filename,
        format: file.format.name,
        bytes: file.bytes,
      };
      return { changes: [{ type: "put", image: completed }], result: completed };
    });
    return successResponse(toApiImage(image, originOf(c), c.req.param("hash") ?? ""));
  });

  // Delivery: `<hash>/<id, subpaths as paths>/<variant>`, the original bytes for every variant.
  app.get(`${DELIVERY_PREFIX}/:hash/*`, (c) => {
    const [hash = "", ...rest] = pathAfter(c, DELIVERY_PREFIX);
    const variant = rest.pop() ?? "";
    const id = rest.length > 0 && hashServed(hash) ? idFromSegments(rest) : undefined;
    const image = id === undefined ? undefined : store.get(id);
    if (!image) throw notFound(id ?? rest.join("/"));
    if (!(VARIANTS as readonly string[]).includes(variant)) {
      throw ApiError.of(404, ErrorCode.notFound, `no variant ${JSON.stringify(variant)}; the variants are ${VARIANTS.join(", ")}`);
    }
    return imageBytes(store, image);
  });

  app.notFound(() => errorResponse(noRoute()));
  app.onError((error) => errorResponse(error instanceof ApiError ? error : internalError(error, context.onWarning)));
  return app;
}

/** The stored bytes (read from the data directory when they are kept there), or a 404 for a draft that has none yet. */
async function imageBytes(store: ImageStore, image: StoredImage): Promise<Response> {
  const bytes = await store.bytesOf(image);
  if (image.draft || bytes === null || image.format === null) {
    throw ApiError.of(404, ErrorCode.notFound, `image ${JSON.stringify(image.id)} is a draft: nothing has been uploaded to it yet`);
  }
  return new Response(bytes, {
    headers: {
      "content-type": FORMATS[image.format].contentType,
      "content-length": String(bytes.length),
      // Uploaded bytes are served from the playground's origin: an SVG must not run script there.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      "x-content-type-options": "nosniff",
    },
  });
}

/** A PATCH body: `{ creator?, metadata?, requireSignedURLs? }`; other keys are ignored. */
function readPatch(body: unknown): { creator?: string | null; metadata?: Record<string, unknown>; requireSignedURLs?: boolean } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw ApiError.of(400, ErrorCode.badRequest, "the request body must be a JSON object");
  }
  const { creator, metadata, requireSignedURLs } = body as Record<string, unknown>;
  if (creator !== undefined && creator !== null && typeof creator !== "string") {
    throw ApiError.of(400, ErrorCode.badRequest, "creator must be a string or null");
  }
  if (requireSignedURLs !== undefined && typeof requireSignedURLs !== "boolean") {
    throw ApiError.of(400, ErrorCode.badRequest, "requireSignedURLs must be true or false");
  }
  return {
    ...(creator !== undefined ? { creator: creator === null ? null : checkCreator(creator) } : {}),
    ...(metadata !== undefined ? { metadata: checkMetadata(metadata) } : {}),
    ...(requireSignedURLs !== undefined ? { requireSignedURLs } : {}),
  };
}
