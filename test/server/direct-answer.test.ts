/**
 * On Node, `listen()` lets the list route write its page to the socket itself (no web `Response`, so
 * no `ReadableStream`: see `DirectAnswer`). What arrives over HTTP must be what `emulator.fetch` answers,
 * byte for byte, whichever way the answer went out.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoImages } from "../../src/server/index.js";
import { runChild } from "../support/child.js";
import { ACCOUNT, AUTH, startEmulator, type Running } from "../support/emulator.js";

let running: Running;

beforeAll(async () => {
  running = await startEmulator();
  // Some odd ids and metadata too: escapes, non-ASCII (multi-byte UTF-8), subpaths in ids.
  const images = demoImages(60);
  images[3] = { ...images[3]!, id: 'odd "id"/with %2F and ü', meta: { note: "naïve ☃ \u2028 \\ \"q\"", status: "active" } };
  await running.emulator.addImages(images);
});

afterAll(async () => {
  await running.close();
});

/** One request with node:http (not `fetch`): the raw status, headers and body bytes. */
function raw(method: string, url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: AUTH }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const QUERIES = [
  "per_page=10",
  "per_page=10&sort_order=asc",
  "meta.status[eq]=active&per_page=10000",
  "meta.status%5Beq%5D=active&meta.priority%5Bgte%3Anumber%5D=2",
  "creator=&per_page=10",
  "meta.note[eq]=nothing-matches",
];

describe("list pages over HTTP", () => {
  it.each(QUERIES)("are byte for byte what emulator.fetch answers: %s", async (query) => {
    // Walk two pages where there are two, so that continuation tokens are compared too (a page read
    // again is handed the same token).
    let path = `/client/v4/accounts/${ACCOUNT}/images/v2?${query}`;
    for (let page = 0; page < 2; page++) {
      const overHttp = await raw("GET", `${running.url}${path}`);
      const inProcess = await running.emulator.fetch(new Request(`${running.url}${path}`, { headers: AUTH }));
      const expected = Buffer.from(await inProcess.arrayBuffer());
      expect(overHttp.status).toBe(200);
      expect(inProcess.status).toBe(200);
      expect(overHttp.body.equals(expected), overHttp.body.toString()).toBe(true);
      expect(overHttp.headers["content-type"]).toBe(inProcess.headers.get("content-type"));
      expect(overHttp.headers["content-length"]).toBe(String(expected.length));
      const token = (JSON.parse(expected.toString("utf8")) as { result: { continuation_token: string | null } }).result.continuation_token;
      if (token === null) break;
      path = `/client/v4/accounts/${ACCOUNT}/images/v2?${query}&continuation_token=${token}`;
    }
  });

  it("answer HEAD with the headers and no body", async () => {
    const head = await raw("HEAD", `${running.api}/images/v2?per_page=10`);
    expect(head.status).toBe(200);
    expect(head.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(head.body.length).toBe(0);
  });

  it("still answer refusals with the error envelope", async () => {
    const refused = await raw("GET", `${running.api}/images/v2?per_page=5`);
    expect(refused.status).toBe(400);
    expect(refused.headers["x-should-retry"]).toBe("false");
    expect((JSON.parse(refused.body.toString("utf8")) as { success: boolean }).success).toBe(false);
  });

  it("arrive whole when another node-server in the process has made its own Response class the global one", { timeout: 30_000 }, async () => {
    const result = await runChild<{ overridden: boolean; status: number; same: boolean; bytes: number; errors: number }>("test/support/direct-answer-globals.ts");
    expect(result).toEqual({ overridden: true, status: 200, same: true, bytes: result.bytes, errors: 0 });
    expect(result.bytes).toBeGreaterThan(1000);
  });
});
