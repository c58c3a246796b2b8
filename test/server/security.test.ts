/**
 * Security basics: direct-upload URLs carry an unguessable token and are single use; drafts are never
 * delivered; hostile ids and paths never reach the file system outside `--data`; request bodies are
 * refused while they stream in, not after being buffered.
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, ErrorCode, type Emulator } from "../../src/server/index.js";
import { accountHash } from "../../src/server/images.js";
import { listen } from "../../src/server/node-http.js";
import { ACCOUNT, AUTH, envelope, expectFailure, IMAGES, startEmulator, testClock, type Running } from "../support/emulator.js";

const BASE = "http://emulator.test";
const API = `${BASE}/client/v4/accounts/${ACCOUNT}`;

function api(emulator: Emulator, path: string, init: RequestInit = {}): Promise<Response> {
  return emulator.fetch(new Request(`${API}${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) } }));
}

function fileForm(bytes: Uint8Array = IMAGES.png, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "f.png");
  return form;
}

async function directUpload(emulator: Emulator, fields: Record<string, string> = {}): Promise<{ id: string; uploadURL: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await api(emulator, "/images/v2/direct_upload", { method: "POST", body: form });
  expect(response.status).toBe(200);
  return (await envelope(response)).result as { id: string; uploadURL: string };
}

async function snapshot(emulator: Emulator): Promise<string> {
  return JSON.stringify([...(await emulator.store()).all()].sort((a, b) => (a.id < b.id ? -1 : 1)));
}

describe("direct-upload URLs", () => {
  it("carry a 128-bit random token: the right id with a wrong or missing token is refused, and nothing changes", async () => {
    const emulator = createEmulator({ now: testClock().now });
    const { id, uploadURL } = await directUpload(emulator, { id: "guessable/name.png" });
    const other = await directUpload(emulator, { id: "other" });
    const match = /\/upload\/(\w+)\/([\w-]{22})\/guessable\/name\.png$/.exec(uploadURL);
    expect(match, uploadURL).not.toBeNull();
    const [, hash, token] = match as unknown as [string, string, string];
    expect(hash).toBe(accountHash(ACCOUNT));
    expect(other.uploadURL).not.toContain(token);

    const before = await snapshot(emulator);
    const otherToken = /\/([\w-]{22})\/other$/.exec(other.uploadURL)![1]!;
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const guess of [
      `${BASE}/upload/${hash}/guessable/name.png`, // the URL as it was before tokens: id only
      `${BASE}/upload/${hash}/${flipped}/guessable/name.png`,
      `${BASE}/upload/${hash}/${otherToken}/guessable/name.png`, // a real token, of another draft
      `${BASE}/upload/${hash}/${token.slice(0, 21)}/guessable/name.png`,
      `${BASE}/upload/${hash}/${token}x/guessable/name.png`,
    ]) {
      await expectFailure(await emulator.fetch(new Request(guess, { method: "POST", body: fileForm() })), 404, [ErrorCode.notFound]);
    }
    expect(await snapshot(emulator)).toBe(before);

    expect((await emulator.fetch(new Request(uploadURL, { method: "POST", body: fileForm() }))).status).toBe(200);
    // Single use: a second post to the very same URL is a 409, and the image keeps its first file.
    const second = await emulator.fetch(new Request(uploadURL, { method: "POST", body: fileForm(IMAGES.gif) }));
    await expectFailure(second, 409, [ErrorCode.uploadUrlUsed]);
    expect((await api(emulator, `/images/v1/${encodeURIComponent(id)}/blob`)).headers.get("content-type")).toBe("image/png");
  });

  it("with --account, a URL under another account's hash is refused", async () => {
    const emulator = createEmulator({ accountId: ACCOUNT });
    const { uploadURL } = await directUpload(emulator);
    const elsewhere = uploadURL.replace(accountHash(ACCOUNT), accountHash("someone-else"));
    await expectFailure(await emulator.fetch(new Request(elsewhere, { method: "POST", body: fileForm() })), 404, [ErrorCode.notFound]);
    expect((await emulator.fetch(new Request(uploadURL, { method: "POST", body: fileForm() }))).status).toBe(200);
  });
});

describe("drafts", () => {
  it("are not delivered, nor their bytes served, until their upload completes", async () => {
    const emulator = createEmulator();
    const { id, uploadURL } = await directUpload(emulator, { id: "draft/x.png" });
    const hash = accountHash(ACCOUNT);
    for (const url of [`${BASE}/imagedelivery/${hash}/draft/x.png/public`, `${BASE}/imagedelivery/${hash}/draft%2Fx.png/thumbnail`, `${API}/images/v1/draft%2Fx.png/blob`]) {
      await expectFailure(await emulator.fetch(new Request(url, { headers: AUTH })), 404, [ErrorCode.notFound]);
    }
    const listed = (await envelope(await api(emulator, "/images/v2"))).result as { images: unknown[] };
    expect(listed.images).toEqual([]);
    expect((await emulator.fetch(new Request(uploadURL, { method: "POST", body: fileForm() }))).status).toBe(200);
    const delivered = await emulator.fetch(new Request(`${BASE}/imagedelivery/${hash}/${id}/public`));
    expect(delivered.status).toBe(200);
    // Served from the playground's origin, an uploaded SVG must not be able to run script there.
    expect(delivered.headers.get("content-security-policy")).toContain("sandbox");
    expect(delivered.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

/** Sends a request with its path exactly as given (no URL normalisation, unlike `fetch`). */
function rawRequest(url: string, method: string, path: string, body?: FormData): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const send = async (): Promise<void> => {
      let payload: Buffer | undefined;
      const headers: Record<string, string> = { ...AUTH };
      if (body) {
        const encoded = new Response(body);
        headers["content-type"] = encoded.headers.get("content-type")!;
        payload = Buffer.from(await encoded.arrayBuffer());
      }
      const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.end(payload);
    };
    send().catch(reject);
  });
}

describe("path traversal", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "imgmeta-traversal-"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("hostile custom ids and request paths never touch the file system outside --data", { timeout: 15_000 }, async () => {
    const dir = join(root, "data");
    const running = await startEmulator({ dataDir: dir });
    const parent = new Set(await readdir(tmpdir()));
    const ids = [
      "%2e%2e/%2e%2e/outside-1",
      "..%2f..%2foutside-2",
      "..\\..\\outside-3",
      "a\\..\\..\\outside-4",
      "nul\u0000/outside-5",
      "....//outside-6",
      "~/outside-7",
      "%2E%2E%5C%2E%2E%5Coutside-8",
      "images.log",
      "blobs/../outside-9",
    ];
    const accepted: string[] = [];
    try {
      for (const id of ids) {
        const { status, body } = await rawRequest(running.url, "POST", `/client/v4/accounts/${ACCOUNT}/images/v1`, fileForm(IMAGES.png, { id, metadata: JSON.stringify({ id }) }));
        // `..` segments are refused (no URL can address them); everything else is stored under its exact id.
        expect([200, 400], `${id}: ${body}`).toContain(status);
        if (status === 200) accepted.push(id);
        else expect(id).toMatch(/(^|\/)\.\.(\/|$)/);
      }
      expect(accepted.length).toBe(ids.length - 1);
      const draft = await rawRequest(running.url, "POST", `/client/v4/accounts/${ACCOUNT}/images/v2/direct_upload`, (() => {
        const form = new FormData();
        form.append("id", "..%2F..%2Fdraft-outside");
        return form;
      })());
      expect(draft.status).toBe(200);

      // Paths that try to climb out, raw on the wire: all answered from the store (404s), never from files.
      const hash = accountHash(ACCOUNT);
      for (const [method, path] of [
        ["GET", `/imagedelivery/${hash}/../../images.log/public`],
        ["GET", `/imagedelivery/${hash}/%2e%2e/%2e%2e/images.log/public`],
        ["GET", `/imagedelivery/${hash}/..%2f..%2fimages.log/public`],
        ["GET", `/imagedelivery/${hash}/..%5C..%5Cimages.log/public`],
        ["GET", `/client/v4/accounts/${ACCOUNT}/images/v1/..%2F..%2Fimages.log/blob`],
        ["GET", `/client/v4/accounts/${ACCOUNT}/images/v1/%2e%2e%2fblobs/blob`],
        ["DELETE", `/client/v4/accounts/${ACCOUNT}/images/v1/..%2F..%2Fimages.log`],
        ["POST", `/upload/${hash}/AAAAAAAAAAAAAAAAAAAAAA/..%2F..%2Fdraft-outside`],
        ["GET", `/imagedelivery/${hash}/nul%00/public`],
      ] as const) {
        const { status, body } = await rawRequest(running.url, method, path, method === "POST" ? fileForm() : undefined);
        expect(status, `${method} ${path}`).toBe(404);
        expect(JSON.parse(body)).toMatchObject({ success: false });
      }
      // The stored ones are there, under their exact ids.
      for (const id of accepted) {
        const shown = await rawRequest(running.url, "GET", `/client/v4/accounts/${ACCOUNT}/images/v1/${encodeURIComponent(id)}`);
        expect(shown.status, id).toBe(200);
        expect((JSON.parse(shown.body) as { result: { meta: unknown } }).result.meta).toEqual({ id });
      }
    } finally {
      await running.close();
    }
    // Inside the root: only the data directory, holding only the log and content-addressed blobs.
    expect(await readdir(root)).toEqual(["data"]);
    for (const name of await readdir(dir, { recursive: true })) expect(name).toMatch(/^(images\.log|blobs|blobs\/[0-9a-f]{64})$/);
    // Nothing new next to it, in the system's temp directory, was named after an id.
    const added = (await readdir(tmpdir())).filter((name) => !parent.has(name));
    expect(added.filter((name) => name.includes("outside"))).toEqual([]);
  });
});

describe("request bodies", () => {
  let running: Running;
  beforeAll(async () => {
    running = await startEmulator({ now: testClock().now });
  });
  afterAll(() => running.close());

  it("a streamed body without content-length is refused with 413 while the client is still sending", { timeout: 15_000 }, async () => {
    const { hostname, port } = new URL(running.url);
    // Far more than the limit: the client would send 200 MB if nobody stopped it. A raw socket, because
    // Node's HTTP client drops an answer that arrives while its own write fails (EPIPE).
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    const outcome = await new Promise<{ status: number; sentWhenAnswered: number; body: string }>((resolve, reject) => {
      let sent = 0;
      let sentWhenAnswered = -1;
      let received = "";
      const socket = connect(Number(port), hostname);
      socket.setEncoding("latin1");
      socket.on("data", (text: string) => {
        if (sentWhenAnswered < 0) sentWhenAnswered = sent;
        received += text;
      });
      // The server closes the connection after answering, so writes then fail: expected.
      socket.on("error", () => undefined);
      socket.on("close", () => {
        const match = /^HTTP\/1\.1 (\d{3}) [^]*?\r\n\r\n([^]*)$/.exec(received);
        if (!match) return reject(new Error(`no answer after ${sent} bytes: ${JSON.stringify(received.slice(0, 200))}`));
        resolve({ status: Number(match[1]), sentWhenAnswered, body: match[2]! });
      });
      socket.write(
        `POST /client/v4/accounts/${ACCOUNT}/images/v1 HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: ${AUTH.authorization}\r\n` +
          "content-type: multipart/form-data; boundary=x\r\ntransfer-encoding: chunked\r\n\r\n",
      );
      // Writes as fast as the server reads (backpressure), until the connection ends.
      const pump = (): void => {
        while (!socket.destroyed && sent < total) {
          sent += chunk.length;
          if (!socket.write(frame)) return void socket.once("drain", pump);
        }
        if (!socket.destroyed) socket.end("0\r\n\r\n");
      };
      pump();
    });
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toMatchObject({ success: false, errors: [{ code: ErrorCode.tooLarge }] });
    // Answered after about the limit (10 MB + 64 KiB), plus what socket buffers hold: nowhere near 200 MB.
    expect(outcome.sentWhenAnswered).toBeLessThan(40 * 1024 * 1024);
    expect((await running.client.images.v1.stats.get({ account_id: ACCOUNT })).count?.current).toBe(0);
  });
});

describe("requests no Request can be made of", () => {
  let running: Running;
  beforeAll(async () => {
    running = await startEmulator({ now: testClock().now });
  });
  afterAll(() => running.close());

  /** Sends `head` as it is on a raw socket and reads the whole answer (the request asks to close). */
  function exchange(head: string): Promise<{ status: number; headers: string; body: string }> {
    const { hostname, port } = new URL(running.url);
    return new Promise((resolve, reject) => {
      let received = "";
      const socket = connect(Number(port), hostname);
      socket.setEncoding("utf8");
      socket.on("data", (text: string) => (received += text));
      socket.on("error", reject);
      socket.on("close", () => {
        const match = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([^]*?)\r\n\r\n([^]*)$/.exec(received);
        if (!match) return reject(new Error(`no answer: ${JSON.stringify(received.slice(0, 200))}`));
        resolve({ status: Number(match[1]), headers: match[2]!.toLowerCase(), body: match[3]! });
      });
      socket.end(`${head}\r\nauthorization: ${AUTH.authorization}\r\nconnection: close\r\n\r\n`);
    });
  }

  it("get the JSON envelope with 400 and x-should-retry: false, like every other error", async () => {
    for (const head of [
      `GET /client/v4/accounts/${ACCOUNT}/images/v2 HTTP/1.1\r\nhost: a b`, // a malformed Host header
      `GET /client/v4/accounts/${ACCOUNT}\\images/v2 HTTP/1.1\r\nhost: localhost`, // a backslash in the path
    ]) {
      const { status, headers, body } = await exchange(head);
      expect(status, head).toBe(400);
      expect(headers).toContain("x-should-retry: false");
      expect(headers).toContain("content-type: application/json");
      // The body may come chunked: the envelope is its one JSON object.
      const json = JSON.parse(body.slice(body.indexOf("{"), body.lastIndexOf("}") + 1)) as { success: boolean; errors: { code: number; message: string }[] };
      expect(json.success).toBe(false);
      expect(json.errors).toMatchObject([{ code: ErrorCode.badRequest, message: expect.stringContaining("the request cannot be read") }]);
    }
    // The server goes on answering.
    expect((await running.client.images.v1.stats.get({ account_id: ACCOUNT })).count?.current).toBe(0);
  });

  it("a failure of the emulator itself there is a 500 with the envelope, not the client's 400", async () => {
    const warnings: string[] = [];
    const server = await listen(() => Promise.reject(new Error("the store broke")), { port: 0 }, (message) => warnings.push(message));
    try {
      const response = await fetch(`${server.url}/client/v4/accounts/${ACCOUNT}/images/v2`, { headers: AUTH });
      expect(response.status).toBe(500);
      expect(response.headers.get("x-should-retry")).toBe("false");
      // The detail goes to the warnings, not into the answer (it could name a file).
      expect(await response.json()).toMatchObject({ success: false, errors: [{ code: ErrorCode.internal, message: "Internal emulator error (the emulator's warnings have the details)" }] });
      expect(warnings).toEqual([expect.stringContaining("Error: the store broke")]);
    } finally {
      await server.close();
    }
  });
});
