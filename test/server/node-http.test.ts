/**
 * `listen()` on Node (src/server/node-http.ts), byte for byte on raw sockets: what Node's HTTP layer
 * answers by itself, before the app sees a request (its parser's refusals, an `Expect` it cannot meet,
 * CONNECT, a request without Host), gets the JSON envelope like every other error, on a connection that
 * then closes; an answer under way on the connection arrives whole first.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/server/index.js";
import { parserRefusal } from "../../src/server/node-http.js";
import { ACCOUNT, AUTH, startEmulator, testClock, type Running } from "../support/emulator.js";

let running: Running;
beforeAll(async () => {
  running = await startEmulator({ now: testClock().now });
});
afterAll(() => running.close());

/** One answer as it came: status, headers (lower case) and body. */
interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Sends `raw` as it is and reads until the server closes the connection. */
function exchange(raw: string): Promise<string> {
  const { hostname, port } = new URL(running.url);
  return new Promise((resolve) => {
    let received = "";
    const socket = connect(Number(port), hostname);
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => (received += text));
    // The server may close while bytes it refused are still being sent: what it answered is what counts.
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(received));
    socket.write(raw);
  });
}

/** Splits what arrived into answers (each with a content-length). */
function answers(received: string): RawAnswer[] {
  const out: RawAnswer[] = [];
  let rest = received;
  while (rest.length > 0) {
    const match = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([^]*?)\r\n\r\n/.exec(rest);
    if (!match) throw new Error(`not an HTTP answer: ${JSON.stringify(rest.slice(0, 200))}`);
    const headers: Record<string, string> = {};
    for (const line of match[2]!.split("\r\n")) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"]);
    expect(Number.isInteger(length), `content-length of ${match[0]}`).toBe(true);
    const body = rest.slice(match[0].length, match[0].length + length);
    out.push({ status: Number(match[1]), headers, body });
    rest = rest.slice(match[0].length + length);
  }
  return out;
}

/** Asserts the failure envelope: status, headers, a closed connection, and the error code. */
function expectEnvelope(answer: RawAnswer, status: number, code: number): string {
  expect(answer.status).toBe(status);
  expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(answer.headers["x-should-retry"]).toBe("false");
  expect(answer.headers["connection"]?.toLowerCase()).toBe("close");
  const json = JSON.parse(answer.body) as { success: boolean; errors: { code: number; message: string }[]; messages: unknown[]; result: unknown };
  expect(json).toEqual({ success: false, errors: [{ code, message: expect.any(String) }], messages: [], result: null });
  return json.errors[0]!.message;
}

const LIST = `/client/v4/accounts/${ACCOUNT}/images/v2`;
const STATS = `/client/v4/accounts/${ACCOUNT}/images/v1/stats`;
const UPLOAD = `/client/v4/accounts/${ACCOUNT}/images/v1`;
const HEAD = `host: localhost\r\nauthorization: ${AUTH.authorization}\r\n`;

describe("what Node's HTTP parser refuses (issue 14, D8)", () => {
  it.each<[string, string, number, number, string]>([
    ["a URL over 16 KB", `GET ${LIST}?x=${"a".repeat(17_000)} HTTP/1.1\r\n${HEAD}\r\n`, 431, ErrorCode.tooLarge, "over the server's limit"],
    ["headers over 16 KB", `GET ${LIST} HTTP/1.1\r\n${HEAD}x-big: ${"a".repeat(17_000)}\r\n\r\n`, 431, ErrorCode.tooLarge, "over the server's limit"],
    ["the method FOO", `FOO ${LIST} HTTP/1.1\r\n${HEAD}\r\n`, 400, ErrorCode.badRequest, "Invalid method"],
    ["two Content-Lengths that differ", `POST ${UPLOAD} HTTP/1.1\r\n${HEAD}content-length: 5\r\ncontent-length: 6\r\n\r\nabcdef`, 400, ErrorCode.badRequest, "Content-Length"],
    ["a Content-Length that is not a number", `POST ${UPLOAD} HTTP/1.1\r\n${HEAD}content-length: abc\r\n\r\n`, 400, ErrorCode.badRequest, "Content-Length"],
    ["Content-Length with Transfer-Encoding", `POST ${UPLOAD} HTTP/1.1\r\n${HEAD}content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`, 400, ErrorCode.badRequest, "Content-Length"],
    ["a line that is not HTTP", "HELLO\r\n\r\n", 400, ErrorCode.badRequest, "not valid HTTP/1.1"],
  ])("%s gets the envelope, and the connection closes", async (_, raw, status, code, words) => {
    const received = answers(await exchange(raw));
    expect(received).toHaveLength(1);
    expect(expectEnvelope(received[0]!, status, code)).toContain(words);
  });

  it("waits for an answer under way on the connection, which arrives whole first", async () => {
    const received = answers(await exchange(`GET ${STATS} HTTP/1.1\r\n${HEAD}\r\nFOO / HTTP/1.1\r\nhost: localhost\r\n\r\n`));
    expect(received.map((answer) => answer.status)).toEqual([200, 400]);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ success: true, result: { count: { current: 0 } } });
    expectEnvelope(received[1]!, 400, ErrorCode.badRequest);
  });

  it("answers a timeout and over-long chunk extensions as Node does, with the envelope", () => {
    const refusal = (code: string) => parserRefusal(Object.assign(new Error("refused"), { code }));
    expect(refusal("ERR_HTTP_REQUEST_TIMEOUT")).toMatchObject({ status: 408, errors: [{ code: ErrorCode.badRequest }] });
    expect(refusal("HPE_CHUNK_EXTENSIONS_OVERFLOW")).toMatchObject({ status: 413, errors: [{ code: ErrorCode.tooLarge }] });
    expect(refusal("HPE_HEADER_OVERFLOW")).toMatchObject({ status: 431, errors: [{ code: ErrorCode.tooLarge }] });
    expect(refusal("HPE_SOMETHING_NEW")).toMatchObject({ status: 400, errors: [{ code: ErrorCode.badRequest, message: "the request is not valid HTTP/1.1: HPE_SOMETHING_NEW" }] });
  });
});

describe("other answers Node would give without the app", () => {
  it("a request without Host gets the envelope", async () => {
    const [answer, ...more] = answers(await exchange(`GET ${STATS} HTTP/1.1\r\nauthorization: ${AUTH.authorization}\r\nconnection: close\r\n\r\n`));
    expect(more).toEqual([]);
    expect(expectEnvelope(answer!, 400, ErrorCode.badRequest)).toBe("the request cannot be read: no Host header");
  });

  it("an Expect other than 100-continue gets a 417 with the envelope", async () => {
    const [answer] = answers(await exchange(`GET ${STATS} HTTP/1.1\r\n${HEAD}expect: something\r\nconnection: close\r\n\r\n`));
    expect(expectEnvelope(answer!, 417, ErrorCode.badRequest)).toContain('"something"');
  });

  it("CONNECT gets the 404 of an unknown route, with the envelope, not a connection closed without a word", async () => {
    const [answer] = answers(await exchange("CONNECT localhost:443 HTTP/1.1\r\nhost: localhost:443\r\n\r\n"));
    expectEnvelope(answer!, 404, ErrorCode.noRoute);
  });

  it("a request target that is not a path gets the envelope", async () => {
    const [answer] = answers(await exchange(`OPTIONS * HTTP/1.1\r\n${HEAD}connection: close\r\n\r\n`));
    expect(expectEnvelope(answer!, 400, ErrorCode.badRequest)).toBe("the request cannot be read: the request target is not a path");
  });

  it("the server goes on answering", async () => {
    expect((await running.client.images.v1.stats.get({ account_id: ACCOUNT })).count?.current).toBe(0);
  });
});
