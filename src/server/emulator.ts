/**
 * The emulator itself, for every platform: what differs is only how the Node half (`listen`, files under
 * `dataDir`) is reached — loaded on demand on Node (`index.ts`), absent in Workers and browsers (`web.ts`),
 * so that bundlers for those never meet a `node:` import.
 */
import { createApp, LIST_CAP } from "./app.js";
import { errorResponse, internalError, notLoaded, type DirectAnswer } from "./errors.js";
import { CursorTable, DEFAULT_MAX_CURSORS } from "./pagination.js";
import { demoImages } from "./seed.js";
import { ImageStore, type StoredImage } from "./store.js";

/** How an emulator is set up. Everything is optional. */
export interface EmulatorOptions {
  /** The only token accepted (as a Bearer token, or as X-Auth-Key when it is hex); any well-formed credential when unset. */
  readonly token?: string | undefined;
  /** The only account id served; any when unset (all share one store). */
  readonly accountId?: string | undefined;
  /**
   * Demo images to add to an empty store (default 0). With `dataDir`, only when the stored data is empty,
   * so a restart does not add them twice.
   */
  readonly seed?: number | undefined;
  /** A directory to persist the store in (Node only); in memory when unset. */
  readonly dataDir?: string | undefined;
  /** The clock in ms since the epoch; `Date.now` by default. Tests pass a fixed one. */
  readonly now?: (() => number) | undefined;
  /** How many continuation tokens are kept alive (oldest forgotten first). */
  readonly maxCursors?: number | undefined;
  /**
   * Whether a walk by continuation tokens ends after 10,000 images, as the List V2 documentation says
   * ("List up to 10000 images"): the page that reaches the 10,000th image carries no token. Default true.
   */
  readonly listCap?: boolean | undefined;
  /** The playground page (HTML) to serve at `/`; `imgmeta serve` passes dist/playground.html. */
  readonly playground?: string | undefined;
  /**
   * Told about recoverable problems: a torn last record dropped from the data file, or the detail of an
   * internal error (answered with a 500 that does not carry it).
   */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** Where {@link Emulator.listen} listens. */
export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** `127.0.0.1` by default. */
  readonly host?: string;
}

/** A running HTTP server for an emulator. */
export interface ListeningEmulator {
  /** The base URL, e.g. `http://127.0.0.1:8787`; the SDK's `baseURL` is this plus `/client/v4`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (the emulator and its data stay usable). */
  close(): Promise<void>;
}

/** An emulator of the Cloudflare Images API. */
export interface Emulator {
  /** Answers one request (web-standard; never rejects: failures are enveloped responses). */
  fetch(request: Request): Promise<Response>;
  /** Serves `fetch` over HTTP (Node only). Rejects when the stored data cannot be loaded. */
  listen(options?: ListenOptions): Promise<ListeningEmulator>;
  /** Resolves when the store is loaded; rejects with the reason it cannot be (e.g. a corrupted file). */
  readonly ready: Promise<void>;
  /** Adds images directly (seeding, tests, benchmarks), made durable like any write. */
  addImages(images: readonly StoredImage[]): Promise<void>;
  /** The store, once {@link ready}. */
  store(): Promise<ImageStore>;
  /** Stops every server started by {@link listen} and closes the data file. */
  close(): Promise<void>;
}

/**
 * Loads the Node half of the emulator, each part on demand: the HTTP server and the data directory.
 * Undefined where there is none (Workers, browsers).
 */
export type NodeHalf =
  | {
      readonly http: () => Promise<typeof import("./node-http.js")>;
      readonly journal: () => Promise<typeof import("./journal.js")>;
    }
  | undefined;

function nodeOnly(what: string): Promise<never> {
  return Promise.reject(new Error(`${what} needs Node: this build of imgmeta/server is the web-standard one (Workers, browsers)`));
}

/** Creates an emulator on a platform. With `dataDir`, the stored data is loaded in the background. */
export function createEmulatorOn(node: NodeHalf, options: EmulatorOptions = {}): Emulator {
  const now = options.now ?? Date.now;
  const cursors = new CursorTable(options.maxCursors ?? DEFAULT_MAX_CURSORS);
  const servers: { close(): Promise<void> }[] = [];
  let closeData: (() => Promise<void>) | undefined;

  const loaded = (async (): Promise<ImageStore> => {
    let store: ImageStore;
    if (options.dataDir !== undefined) {
      // Loaded only on this path, so that the web-standard path never touches Node APIs.
      const { openFileJournal } = await (node ? node.journal() : nodeOnly("dataDir"));
      const opened = await openFileJournal(options.dataDir, options.onWarning);
      closeData = () => opened.close();
      store = new ImageStore(opened.images, opened.journal);
    } else {
      store = new ImageStore();
    }
    if (options.seed && [...store.all()].length === 0) await store.bulkPut(demoImages(options.seed));
    return store;
  })();
  const ready = loaded.then(() => undefined);
  // The rejection is reported through `ready`, `fetch` and `listen`; never unhandled.
  ready.catch(() => undefined);

  const app = loaded.then((store) =>
    createApp({
      store,
      cursors,
      auth: { token: options.token },
      accountId: options.accountId,
      now,
      newId: () => crypto.randomUUID(),
      playground: options.playground,
      onWarning: options.onWarning,
      listCap: options.listCap === false ? undefined : LIST_CAP,
    }),
  );
  app.catch(() => undefined);

  // Requests being answered, which close() lets finish before it closes the data file. A count, not a
  // set of their promises: a long-lived Set that gains and loses an entry on every request re-allocates
  // its table again and again, and V8 allocates the table of an old set in the old generation, where
  // each discarded one waits for a full GC (~120 bytes per request).
  let answering = 0;
  let allAnswered: { promise: Promise<void>; resolve: () => void } | undefined;
  const answer = async (request: Request, direct: DirectAnswer | undefined): Promise<Response> => {
    let handler: Awaited<typeof app>;
    try {
      handler = await app;
    } catch {
      // Why the data could not be loaded is reported by `ready`, once, not by every request.
      return errorResponse(notLoaded());
    }
    try {
      return await handler.fetch(request, { direct });
    } catch (error) {
      return errorResponse(internalError(error, options.onWarning));
    }
  };
  const answered = (): void => {
    if (--answering === 0 && allAnswered) {
      allAnswered.resolve();
      allAnswered = undefined;
    }
  };
  /** `fetch`, for a server that may take some answers directly (`listen()` on Node). */
  const serve = (request: Request, direct?: DirectAnswer): Promise<Response> => {
    const response = answer(request, direct); // never rejects
    answering++;
    void response.then(answered);
    return response;
  };
  const fetch = (request: Request): Promise<Response> => serve(request);
  /** Resolves once no request is being answered. */
  const idle = (): Promise<void> => {
    if (answering === 0) return Promise.resolve();
    if (!allAnswered) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      allAnswered = { promise, resolve };
    }
    return allAnswered.promise;
  };

  return {
    fetch,
    ready,
    store: () => loaded,
    async addImages(images) {
      await (await loaded).bulkPut(images);
    },
    async listen(listenOptions = {}) {
      await ready;
      const { listen } = await (node ? node.http() : nodeOnly("listen()"));
      const server = await listen(serve, listenOptions, options.onWarning);
      servers.push(server);
      return server;
    },
    async close() {
      const store = await loaded.catch(() => undefined);
      // Servers first (no new requests), then the writes under way, then the data file.
      for (const server of servers.splice(0).reverse()) await server.close();
      await idle();
      await store?.idle();
      await closeData?.();
      closeData = undefined;
    },
  };
}
