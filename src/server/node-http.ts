/**
 * The emulator over HTTP on Node: a server made by `@hono/node-server`'s `createAdaptorServer`, which
 * turns each request into a web `Request` for the emulator's `fetch`. Loaded on demand by `listen()`,
 * never on the web-standard path.
 *
 * What this module adds to the adapter: requests start one per turn of the event loop (`OnePerTurn`);
 * GET handlers may write their answer to the socket themselves ({@link DirectAnswer}); and a request
 * the adapter could make no `Request` of, or that Node's HTTP parser refuses, gets the JSON envelope
 * like every other error.
 */
import { createServer, ServerResponse, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerOptions } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { ListenOptions, ListeningEmulator } from "./listening.js";
import { ApiError, ERROR_HEADERS, errorBody, ErrorCode, errorResponse, internalError, noRoute, type DirectAnswer, type Warn } from "./errors.js";
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
    // A request without Host is refused by `unreadable` (with the envelope), not by Node (without).
    serverOptions: { requireHostHeader: false },
    // node:http's server, with `unreadable` checked before the adapter sees a request (see there).
    createServer: ((serverOptions: ServerOptions, listener: RequestListener) =>
      createServer(serverOptions, (incoming, outgoing) => {
        answering(incoming.socket, outgoing);
        const refusal = unreadable(incoming);
        if (refusal === undefined) listener(incoming, outgoing);
        else sendError(outgoing, ApiError.of(400, ErrorCode.badRequest, `the request cannot be read: ${refusal}`));
      })) as typeof createServer,
  }) as Server; // node:http's, given above
  // What Node answers itself, without the app, gets the envelope too: a request its parser refuses,
  // an `Expect` other than 100-continue, and CONNECT (which Node would close without a word).
  server.on("clientError", refuseUnparsed);
  server.on("checkExpectation", (incoming: IncomingMessage, outgoing: ServerResponse) => {
    sendError(outgoing, ApiError.of(417, ErrorCode.badRequest, `the emulator meets no expectation but 100-continue, not ${JSON.stringify(incoming.headers.expect)}`));
  });
  server.on("connect", (_: IncomingMessage, socket: Duplex) => socket.end(rawError(noRoute())));
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

/**
 * What each connection has under way: how many answers (a client may send requests before it reads
 * the answers), and the refusal of a request Node's parser refused meanwhile, which waits for them so
 * as not to be written into the middle of one.
 */
interface Connection {
  answers: number;
  refusal: string | undefined;
}

const connections = new WeakMap<Duplex, Connection>();

function answering(socket: Duplex, outgoing: ServerResponse): void {
  let connection = connections.get(socket);
  if (!connection) connections.set(socket, (connection = { answers: 0, refusal: undefined }));
  connection.answers++;
  outgoing.once("close", () => {
    if (--connection.answers === 0 && connection.refusal !== undefined && socket.writable) socket.end(connection.refusal);
  });
}

/**
 * Node's `clientError`: its HTTP parser refused what arrived, so no request reaches the app. Node would
 * answer with an empty 400, 408, 413 or 431; this is the same answer with the envelope, after the
 * answers under way on the connection, which then closes.
 */
function refuseUnparsed(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const text = rawError(parserRefusal(error));
  const connection = connections.get(socket);
  if (connection && connection.answers > 0) connection.refusal ??= text;
  else socket.end(text);
}

/** The failure envelope as a whole HTTP/1.1 answer, for a socket no `ServerResponse` is attached to; the connection then closes. */
function rawError(error: ApiError): string {
  const body = errorBody(error);
  let text = `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\n`;
  for (const [name, value] of Object.entries(ERROR_HEADERS)) text += `${name}: ${value}\r\n`;
  return `${text}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** What Node's parser refused, with the status Node itself answers it with. */
export function parserRefusal(error: NodeJS.ErrnoException): ApiError {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return ApiError.of(431, ErrorCode.tooLarge, "the request line and headers are over the server's limit (16 KB, unless Node's --max-http-header-size says otherwise)");
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return ApiError.of(413, ErrorCode.tooLarge, "the chunk extensions of the request body are over the server's limit");
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return ApiError.of(408, ErrorCode.badRequest, "the request did not arrive in time");
    default: {
      const reason = (error as { reason?: unknown }).reason;
      return ApiError.of(400, ErrorCode.badRequest, `the request is not valid HTTP/1.1: ${typeof reason === "string" ? reason : (error.code ?? "malformed")}`);
    }
  }
}
