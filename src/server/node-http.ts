/**
 * The emulator over HTTP on Node: a server made by `@hono/node-server`'s `createAdaptorServer`, which
 * turns each request into a web `Request` for the emulator's `fetch`. Loaded on demand by `listen()`,
 * never on the web-standard path.
 *
 * What this module adds to the adapter: requests start one per turn of the event loop (`OnePerTurn`);
 * GET handlers may write their answer to the socket themselves ({@link DirectAnswer}); and a request
 * the adapter could make no `Request` of gets the JSON envelope like every other error.
 */
import { createServer, ServerResponse, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { ListenOptions, ListeningEmulator } from "./emulator.js";
import { ApiError, ERROR_HEADERS, errorBody, ErrorCode, errorResponse, internalError, type DirectAnswer, type Warn } from "./errors.js";
import { OnePerTurn } from "./one-per-turn.js";

/** What `listen` serves: the emulator's `fetch`, which may take a {@link DirectAnswer}. */
export type DirectFetch = (request: Request, direct?: DirectAnswer) => Promise<Response>;

/**
 * Serves `fetch` over HTTP. GET requests are offered a {@link DirectAnswer}: a handler that takes it
 * writes its status, headers and body to the socket itself, with no `Response` (and so no
 * `ReadableStream`) made for it. `warn` is told the detail of a failure of `fetch` itself (a plain 500).
 */
export async function listen(fetch: DirectFetch, options: ListenOptions, warn?: Warn): Promise<ListeningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const turns = new OnePerTurn();
  const server = createAdaptorServer({
    fetch: (request, env) => {
      const direct = DIRECT_ANSWERS && request.method === "GET" && env.outgoing instanceof ServerResponse ? directAnswer(env.outgoing) : undefined;
      return turns.run(() => fetch(request, direct).catch((error: unknown) => errorResponse(internalError(error, warn))));
    },
    // Keep the platform's own Request/Response globals: other code in the process uses them.
    overrideGlobalObjects: false,
    // node:http's server, with `unreadable` checked before the adapter sees a request (see there).
    createServer: ((serverOptions, listener: RequestListener) =>
      createServer(serverOptions, (incoming, outgoing) => {
        const refusal = unreadable(incoming);
        if (refusal === undefined) listener(incoming, outgoing);
        else sendError(outgoing, ApiError.of(400, ErrorCode.badRequest, `the request cannot be read: ${refusal}`));
      })) as typeof createServer,
  }) as Server; // node:http's, given above
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // Requests read but not started yet start now, so that the emulator's close() waits for them.
        turns.flush();
      });
      return closed;
    },
  };
}

/**
 * Whether node-server will take {@link RESPONSE_ALREADY_SENT} as "already sent", which it does for an
 * instance of the platform's `Response`. Another node-server started in this process with default
 * options replaces the global `Response` with a lightweight subclass of its own; if it did so before
 * `RESPONSE_ALREADY_SENT` was made, that is an instance of the subclass, which node-server would write
 * out a second time. No direct answers then, and none are needed: every `Response` made here is then
 * the lightweight one, which carries no `ReadableStream` either.
 */
const DIRECT_ANSWERS = Object.getPrototypeOf(Object.getPrototypeOf(RESPONSE_ALREADY_SENT)) === Object.prototype;

/** Answers on `outgoing` itself, and hands node-server `RESPONSE_ALREADY_SENT`, its documented way to say so. */
function directAnswer(outgoing: ServerResponse): DirectAnswer {
  return {
    send(status, headers, body) {
      // Not `{ ...headers, "content-length": … }`: see `withSpan` (a new hidden class per answer).
      outgoing.setHeader("content-length", body.byteLength);
      outgoing.writeHead(status, headers);
      outgoing.end(body);
      return RESPONSE_ALREADY_SENT;
    },
  };
}

/** Writes the failure envelope on `outgoing`, for a request the emulator's `fetch` never sees. */
function sendError(outgoing: ServerResponse, error: ApiError): void {
  const body = Buffer.from(errorBody(error), "utf8");
  outgoing.writeHead(error.status, { ...ERROR_HEADERS, "content-length": body.byteLength });
  outgoing.end(body);
}

/**
 * Why no `Request` can be made of this request, or `undefined` when one can. node-server refuses such a
 * request itself, with a bare 400 that `createAdaptorServer` offers no way to replace; these are its
 * rules for building the URL (a path or an absolute http(s) URL, no backslash before the query, a Host
 * header that is only a host and a port), checked first so that the refusal is the envelope.
 */
function unreadable(incoming: IncomingMessage): string | undefined {
  const target = incoming.url ?? "";
  const absolute = target.startsWith("http://") || target.startsWith("https://");
  if (!absolute && !target.startsWith("/")) return "the request target is not a path";
  const backslash = target.indexOf("\\");
  const query = target.indexOf("?");
  if (backslash >= 0 && (query < 0 || backslash < query)) return "a backslash in the path";
  if (absolute) return URL.canParse(target) ? undefined : "a malformed URL";
  const host = incoming.headers.host;
  if (!host) return "no Host header";
  let url: URL;
  try {
    url = new URL(`http://${host}${target}`);
  } catch {
    return "a malformed Host header or path";
  }
  return url.hostname === host.replace(/:\d+$/, "").toLowerCase() ? undefined : "a Host header that is not a host and a port";
}
