/**
 * The emulator itself, for every platform: what differs is only how the Node half (`listen`, files under
 * `dataDir`) is reached — loaded on demand on Node (`index.ts`), absent in Workers and browsers (`web.ts`),
 * so that bundlers for those never meet a `node:` import.
 */
import type { AdminOperations, ResetOptions } from "./admin.js";
import { createApp, LIST_CAP, type RequestNotes } from "./app.js";
import type { ListenOptions, ListeningEmulator } from "./listening.js";
import { errorResponse, internalError, notLoaded, type DirectAnswer } from "./errors.js";
import { checkFault, checkFaultSettings, FaultTable, isSeed, type Fault, type FaultSettings } from "./faults.js";
import { CursorTable, DEFAULT_MAX_CURSORS } from "./pagination.js";
import { RecentRequests, toRecord, type Answered, type RequestRecord } from "./request-log.js";
import { demoImages } from "./seed.js";
import { seedRecords, type SeedImage } from "./seed-entries.js";
import { ImageStore, type StoredImage } from "./store.js";
import { exportStream, readExport, type ImportSource } from "./transfer.js";

/** How an emulator is set up. Everything is optional. */
export interface EmulatorOptions {
  /** The only token accepted (as a Bearer token, or as X-Auth-Key when it is hex); any well-formed credential when unset. */
  readonly token?: string | undefined;
  /** The only account id served; any when unset (all share one store). */
  readonly accountId?: string | undefined;
  /**
   * What an empty store starts with: a number of demo images (default 0), or images as List V2 shows
   * them (see {@link SeedImage}). With `dataDir`, only when the stored data is empty, so a restart does
   * not add them twice. A bad image makes `ready` reject with a `RecordError` naming it, and nothing is
   * added. `reset({ to: "seed" })` goes back to it.
   */
  readonly seed?: number | readonly SeedImage[] | undefined;
  /** A JSON file of seed images (Node only), instead of `seed`: an array of {@link SeedImage}, or a List V2 result. */
  readonly seedFile?: string | undefined;
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
  /** Told about every request once it is answered (`imgmeta serve` prints these), admin routes included. */
  readonly onRequest?: ((record: RequestRecord) => void) | undefined;
  /** How many requests {@link Emulator.recentRequests} keeps (default 100; 0 keeps none). */
  readonly requestLogSize?: number | undefined;
  /** Faults to inject from the start: rules, or texts like `"list:429:0.2"` (see {@link Emulator.setFaults}). */
  readonly faults?: readonly (Fault | string)[] | undefined;
  /** The seed of the PRNG that decides which requests a probabilistic fault hits; random when unset (shown by `faults()`). */
  readonly faultSeed?: number | undefined;
}

export type { ListenOptions, ListeningEmulator } from "./listening.js";

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
  /**
   * The last requests answered (`requestLogSize` of them), oldest first; the admin routes
   * (`/_imgmeta/…`) are left out. Also `GET /_imgmeta/requests`.
   */
  recentRequests(): RequestRecord[];
  /** Forgets the recent requests. Also `DELETE /_imgmeta/requests`. */
  clearRecentRequests(): void;
  /**
   * Empties the store (drafts included), or puts it back to the seed (`{ to: "seed" }`), in one write;
   * continuation tokens are forgotten. Resolves to the number of images then stored. Also
   * `POST /_imgmeta/reset[?to=seed]`.
   */
  reset(options?: ResetOptions): Promise<{ readonly images: number }>;
  /**
   * The whole store, records and bytes, as JSON Lines (format version 1: see the README), read as the
   * stream is. Also `GET /_imgmeta/export`.
   */
  exportStore(): Promise<ReadableStream<Uint8Array>>;
  /**
   * Replaces the whole store with an export (this version's or an earlier one), in one write, once every
   * line is checked: a bad line rejects with a `RecordError` naming it, and changes nothing. Resolves to
   * the number of images stored. Also `POST /_imgmeta/import`.
   */
  importStore(data: ImportSource): Promise<{ readonly images: number }>;
  /** The faults in force, how many requests each has hit, and the PRNG's seed. Also `GET /_imgmeta/faults`. */
  faults(): FaultSettings;
  /**
   * Replaces the faults: `{ faults: [...], seed? }` or an array of rules (objects, or texts like
   * `"list:429:0.2"`); `{ faults: [] }` removes them. Also `PUT` (and `DELETE`) `/_imgmeta/faults`.
   * @throws TypeError saying which rule is wrong.
   */
  setFaults(settings: unknown): FaultSettings;
}

/**
 * Loads the Node half of the emulator, each part on demand: the HTTP server and the data directory.
 * Undefined where there is none (Workers, browsers).
 */
export type NodeHalf =
  | {
      readonly http: () => Promise<typeof import("./node-http.js")>;
      readonly journal: () => Promise<typeof import("./journal.js")>;
      readonly seedFile: () => Promise<typeof import("./seed-file.js")>;
    }
  | undefined;

function nodeOnly(what: string): Promise<never> {
  return Promise.reject(new Error(`${what} needs Node: this build of imgmeta/server is the web-standard one (Workers, browsers)`));
}

/** Creates an emulator on a platform. With `dataDir`, the stored data is loaded in the background. */
export function createEmulatorOn(node: NodeHalf, options: EmulatorOptions = {}): Emulator {
  const now = options.now ?? Date.now;
  const cursors = new CursorTable(options.maxCursors ?? DEFAULT_MAX_CURSORS);
  const recent = new RecentRequests(options.requestLogSize);
  if (options.faultSeed !== undefined && !isSeed(options.faultSeed)) throw new TypeError(`faultSeed must be a whole number from 0 to ${2 ** 32 - 1}`);
  const faults = new FaultTable(
    (options.faults ?? []).map((rule, index) => checkFault(rule, `faults[${index}]`)),
    options.faultSeed,
  );
  if (options.seedFile !== undefined && options.seed !== undefined && options.seed !== 0) throw new TypeError("give seed or seedFile, not both");
  /** The seed's images, read and checked once (a file or a list); demo images are made again each time, not kept. */
  let seedList: StoredImage[] | undefined;
  const seedImages = async (): Promise<StoredImage[]> => {
    if (seedList) return seedList;
    if (options.seedFile !== undefined) {
      const { readSeedFile } = await (node ? node.seedFile() : nodeOnly("seedFile"));
      return (seedList = seedRecords(await readSeedFile(options.seedFile), options.seedFile, now()));
    }
    if (typeof options.seed === "object") return (seedList = seedRecords(options.seed, "seed", now()));
    return options.seed ? demoImages(options.seed) : [];
  };
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
    const empty = store.size === 0;
    // A seed file or list is checked even when the store is not empty, so that a bad one is reported at every start.
    if (empty || typeof options.seed === "object" || options.seedFile !== undefined) {
      const seed = await seedImages();
      if (empty && seed.length > 0) await store.bulkPut(seed);
    }
    return store;
  })();
  const ready = loaded.then(() => undefined);
  // The rejection is reported through `ready`, `fetch` and `listen`; never unhandled.
  ready.catch(() => undefined);

  const admin: AdminOperations = {
    async reset(resetOptions = {}) {
      const store = await loaded;
      const to = resetOptions.to ?? "empty";
      if (to !== "empty" && to !== "seed") throw new TypeError(`reset: to must be "empty" or "seed", not ${JSON.stringify(to)}`);
      await store.replaceAll(to === "seed" ? await seedImages() : []);
      cursors.clear();
      return { images: store.size };
    },
    async exportStore() {
      const store = await loaded;
      return exportStream([...store.all()], (image) => store.bytesOf(image), now());
    },
    async importStore(data) {
      const store = await loaded;
      const images = await readExport(data);
      await store.replaceAll(images);
      cursors.clear();
      return { images: images.length };
    },
    recentRequests: () => recent.list(),
    clearRecentRequests: () => recent.clear(),
    faults: () => faults.settings(),
    setFaults: (settings) => faults.set(checkFaultSettings(settings)),
  };

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
      faults,
      admin,
    }),
  );
  app.catch(() => undefined);

  // Requests being answered, which close() lets finish before it closes the data file. A count, not a
  // set of their promises: a long-lived Set that gains and loses an entry on every request re-allocates
  // its table again and again, and V8 allocates the table of an old set in the old generation, where
  // each discarded one waits for a full GC (~120 bytes per request).
  let answering = 0;
  let allAnswered: { promise: Promise<void>; resolve: () => void } | undefined;
  const answer = async (request: Request, direct: DirectAnswer | undefined, notes: RequestNotes): Promise<Response> => {
    let handler: Awaited<typeof app>;
    try {
      handler = await app;
    } catch {
      // Why the data could not be loaded is reported by `ready`, once, not by every request.
      return errorResponse(notLoaded());
    }
    try {
      return await handler.fetch(request, { direct, notes });
    } catch (error) {
      return errorResponse(internalError(error, options.onWarning));
    }
  };
  /** `answer`, and its record in the request log. */
  const answerAndRecord = async (request: Request, direct: DirectAnswer | undefined): Promise<Response> => {
    const at = now();
    const start = performance.now();
    // A direct answer is written by the handler: its status is seen on the way (the Response returned is a marker).
    let sent: number | undefined;
    const seen: DirectAnswer | undefined = direct && {
      send(status, headers, body) {
        sent = status;
        return direct.send(status, headers, body);
      },
    };
    const notes: RequestNotes = {};
    const response = await answer(request, seen, notes);
    const entry: Answered = { at, method: request.method, url: request.url, status: sent ?? response.status, ms: performance.now() - start, fault: notes.fault };
    if (!notes.admin) recent.add(entry);
    if (options.onRequest) {
      try {
        options.onRequest(toRecord(entry));
      } catch (error) {
        // A listener's failure is the listener's: the answer stands.
        options.onWarning?.(`onRequest threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return response;
  };
  const answered = (): void => {
    if (--answering === 0 && allAnswered) {
      allAnswered.resolve();
      allAnswered = undefined;
    }
  };
  /** `fetch`, for a server that may take some answers directly (`listen()` on Node). */
  const serve = (request: Request, direct?: DirectAnswer): Promise<Response> => {
    const response = answerAndRecord(request, direct); // never rejects
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
    ...admin,
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
