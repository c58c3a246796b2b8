/**
 * The admin routes, under `/_imgmeta/` (no path of the Cloudflare API starts so): each is also a method
 * of the emulator, which does the work; these routes only read the request and envelope the answer.
 * When the emulator has a token, they take the same credentials as the API; without one, none.
 */
import { Hono } from "hono";
import { checkCredentials, type AuthOptions } from "./auth.js";
import { readJson } from "./body.js";
import { ApiError, ErrorCode, successResponse } from "./errors.js";
import type { FaultSettings } from "./faults.js";
import { RecordError } from "./record-error.js";
import type { RequestRecord } from "./request-log.js";
import type { ImportSource } from "./transfer.js";

/** The path prefix of the admin routes. */
export const ADMIN_PREFIX = "/_imgmeta";

/** What `reset` empties the store to. */
export interface ResetOptions {
  /** `"empty"` (the default): nothing; `"seed"`: the seed the emulator started with (`seed`, `seedFile`). */
  readonly to?: "empty" | "seed";
}

/** What the admin routes call: the emulator's methods of the same names. */
export interface AdminOperations {
  reset(options?: ResetOptions): Promise<{ readonly images: number }>;
  exportStore(): Promise<ReadableStream<Uint8Array>>;
  importStore(data: ImportSource): Promise<{ readonly images: number }>;
  recentRequests(): RequestRecord[];
  clearRecentRequests(): void;
  faults(): FaultSettings;
  setFaults(settings: unknown): FaultSettings;
}

/** PUT bodies of the fault settings are small JSON. */
const MAX_SETTINGS_BYTES = 64 * 1024;

function bad(message: string): ApiError {
  return ApiError.of(400, ErrorCode.badRequest, message);
}

/** What `reset` was asked for, in the query (`?to=seed`) or a JSON body (`{"to":"seed"}`). */
function resetTarget(query: string | undefined, body: unknown): ResetOptions {
  const to = query ?? (typeof body === "object" && body !== null ? (body as { to?: unknown }).to : undefined);
  if (to === undefined || to === "empty" || to === "seed") return to === undefined ? {} : { to };
  throw bad(`to must be "empty" or "seed", not ${JSON.stringify(to)}`);
}

/**
 * The admin routes, to mount at {@link ADMIN_PREFIX}. Each request's notes say it is an admin one (the
 * request log prints it, but does not keep it among the recent requests).
 */
export function adminRoutes<E extends { Bindings: { readonly notes?: { admin?: boolean } | undefined } }>(operations: AdminOperations, auth: AuthOptions): Hono<E> {
  const admin = new Hono<E>();
  admin.use("*", async (c, next) => {
    const notes = c.env?.notes;
    if (notes) notes.admin = true;
    if (auth.token !== undefined) {
      const refused = checkCredentials(c.req.raw.headers, auth);
      if (refused) throw refused;
    }
    await next();
  });

  admin.post("/reset", async (c) => {
    const body = await readJson(c.req.raw, MAX_SETTINGS_BYTES, true);
    return successResponse(await operations.reset(resetTarget(c.req.query("to"), body)));
  });

  admin.get("/export", async () => {
    const stream = await operations.exportStore();
    return new Response(stream, {
      headers: {
        "content-type": "application/jsonl; charset=utf-8",
        "content-disposition": 'attachment; filename="imgmeta-store.jsonl"',
      },
    });
  });

  admin.post("/import", async (c) => {
    const body = c.req.raw.body;
    if (!body) throw bad("the request body must be an export (JSON Lines: GET /_imgmeta/export makes one)");
    try {
      return successResponse(await operations.importStore(body));
    } catch (error) {
      if (error instanceof RecordError) throw bad(error.message);
      throw error;
    }
  });

  admin.get("/requests", () => successResponse(operations.recentRequests()));
  admin.delete("/requests", () => {
    operations.clearRecentRequests();
    return successResponse({});
  });

  admin.get("/faults", () => successResponse(operations.faults()));
  admin.put("/faults", async (c) => {
    const settings = await readJson(c.req.raw, MAX_SETTINGS_BYTES);
    try {
      return successResponse(operations.setFaults(settings));
    } catch (error) {
      if (error instanceof TypeError) throw bad(error.message);
      throw error;
    }
  });
  admin.delete("/faults", () => successResponse(operations.setFaults({ faults: [] })));
  return admin;
}
