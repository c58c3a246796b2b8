/**
 * The emulator's HTTP server as its callers see it: where it listens and what they get back. Types only,
 * shared by the emulator (which loads the Node adapter on demand) and the adapter itself.
 */

/** Where `Emulator.listen` listens. */
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

