/**
 * `kill -9`: the emulator runs as a child process (`start.ts --data DIR --port 0`); every write it
 * acknowledged is there after SIGKILL and a restart, even with other writes in flight at the kill.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ACCOUNT, AUTH, IMAGES } from "../support/emulator.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "imgmeta-crash-"));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** Starts the server on a free port and resolves with its base URL once it prints it. */
function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/start.ts", "--data", dir, "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

function upload(url: string, id: string, metadata: object): Promise<Response> {
  const form = new FormData();
  form.append("id", id);
  form.append("metadata", JSON.stringify(metadata));
  form.append("file", new Blob([IMAGES.png]), "crash.png");
  return fetch(`${url}/client/v4/accounts/${ACCOUNT}/images/v1`, { method: "POST", headers: AUTH, body: form });
}

it("every acknowledged write survives SIGKILL", { timeout: 30_000 }, async () => {
  const first = await start();
  const expected = new Map<string, object | null>();

  // Acknowledged writes, eight at a time: uploads, then edits and deletions of some of them.
  for (let batch = 0; batch < 5; batch++) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const id = `img/${batch}-${i}`;
        const response = await upload(first.url, id, { batch, i });
        expect(response.status).toBe(200);
        expected.set(id, { batch, i });
      }),
    );
  }
  await Promise.all(
    [...expected.keys()].slice(0, 16).map(async (id, n) => {
      const path = `${first.url}/client/v4/accounts/${ACCOUNT}/images/v1/${encodeURIComponent(id)}`;
      const response =
        n % 2 === 0
          ? await fetch(path, { method: "PATCH", headers: AUTH, body: JSON.stringify({ metadata: { edited: n } }) })
          : await fetch(path, { method: "DELETE", headers: AUTH });
      expect(response.status).toBe(200);
      expected.set(id, n % 2 === 0 ? { edited: n } : null);
    }),
  );

  // Writes in flight when the process dies: they may or may not have landed.
  const inFlight = Array.from({ length: 10 }, (_, i) => upload(first.url, `inflight-${i}`, { i }).catch(() => undefined));
  await killed(first.child);
  await Promise.all(inFlight);

  const second = await start();
  try {
    for (const [id, metadata] of expected) {
      const response = await fetch(`${second.url}/client/v4/accounts/${ACCOUNT}/images/v1/${encodeURIComponent(id)}`, { headers: AUTH });
      if (metadata === null) {
        expect(response.status, id).toBe(404);
      } else {
        expect(response.status, id).toBe(200);
        expect(((await response.json()) as { result: { meta: unknown } }).result.meta).toEqual(metadata);
      }
    }
    // Whatever of the in-flight writes landed is whole.
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${second.url}/client/v4/accounts/${ACCOUNT}/images/v1/inflight-${i}`, { headers: AUTH });
      if (response.status === 200) expect(((await response.json()) as { result: { meta: unknown } }).result.meta).toEqual({ i });
      else expect(response.status).toBe(404);
    }
  } finally {
    await killed(second.child);
  }
});
