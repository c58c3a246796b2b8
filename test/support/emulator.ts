/**
 * Helpers for the emulator tests: a controllable clock, tiny images of every accepted format, an
 * emulator listening on a random loopback port with an official SDK client pointed at it.
 */
import Cloudflare from "cloudflare";
import { expect } from "vitest";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/server/index.js";
import { DEMO_PNG } from "../../src/server/seed.js";

/** The account id the tests use. */
export const ACCOUNT = "acc-test";
/** A fixed start for test clocks: 2026-11-22T12:00:00Z. */
export const T0 = Date.UTC(2026, 10, 22, 12);

/** A clock that only moves when told: `now()` is an emulator's `now` option. */
export function testClock(start = T0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms), set: (ms) => (time = ms) };
}

const bytes = (...parts: (number[] | string)[]): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part)));

/** The smallest file of each accepted format (their first bytes are what counts). */
export const IMAGES = {
  png: DEMO_PNG,
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF", [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
  gif: bytes("GIF89a", [1, 0, 1, 0, 0, 0, 0, 0x3b]),
  webp: bytes("RIFF", [26, 0, 0, 0], "WEBPVP8L", [13, 0, 0, 0, 0x2f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  svg: bytes('<?xml version="1.0"?>\n<!-- a comment -->\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'),
  heic: bytes([0, 0, 0, 24], "ftypheic", [0, 0, 0, 0], "mif1heic"),
} as const;

/** An emulator on a random loopback port, and an SDK client for it (no retries, so nothing sleeps). */
export interface Running {
  readonly emulator: Emulator;
  readonly url: string;
  /** `url` + `/client/v4/accounts/<ACCOUNT>`: where the raw-fetch tests send API requests. */
  readonly api: string;
  readonly client: Cloudflare;
  close(): Promise<void>;
}

/** Starts an emulator with these options on 127.0.0.1 and a random port. */
export async function startEmulator(options: EmulatorOptions = {}, token = "test-token"): Promise<Running> {
  const emulator = createEmulator(options);
  const server = await emulator.listen({ port: 0, host: "127.0.0.1" });
  const client = new Cloudflare({ baseURL: `${server.url}/client/v4`, apiToken: token, maxRetries: 0 });
  return {
    emulator,
    url: server.url,
    api: `${server.url}/client/v4/accounts/${ACCOUNT}`,
    client,
    close: () => emulator.close(),
  };
}

/**
 * A `fetch` answered by an emulator in this process (no server, no socket): what a client under test is
 * given as its `fetch`. `requests`, when given, gets each request's URL as sent. (URLs other than http(s)
 * go to the platform's `fetch`: the SDK fetches `data:,` to learn how the platform builds form bodies.)
 */
export function emulatorFetch(emulator: Emulator, requests?: string[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!/^https?:/.test(request.url)) return fetch(request);
    requests?.push(request.url);
    return emulator.fetch(request);
  };
}

/** Headers with a valid credential. */
export const AUTH = { authorization: "Bearer test-token" } as const;

/** A JSON body of an emulator response, typed loosely for assertions. */
export interface Envelope {
  success: boolean;
  errors: { code: number; message: string; error_chain?: { code: number; message: string }[] }[];
  messages: unknown[];
  result: unknown;
}

/** Reads a response as an envelope. */
export async function envelope(response: Response): Promise<Envelope> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as Envelope;
}

/** Asserts a failure: status, envelope shape, `x-should-retry: false`, and the error codes. */
export async function expectFailure(response: Response, status: number, codes: number[]): Promise<Envelope> {
  expect(response.status).toBe(status);
  const body = await envelope(response);
  expect(body).toMatchObject({ success: false, messages: [], result: null });
  expect(body.errors.map((error) => error.code)).toEqual(codes);
  for (const error of body.errors) expect(typeof error.message).toBe("string");
  expect(response.headers.get("x-should-retry")).toBe("false");
  return body;
}

/** A multipart form from fields: strings, or `[bytes, filename]` for files. */
export function form(fields: Record<string, string | [Uint8Array, string]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") data.append(name, value);
    else data.append(name, new Blob([value[0] as Uint8Array<ArrayBuffer>]), value[1]);
  }
  return data;
}
