/**
 * `kill -9`: the emulator runs as a child process (`start.ts --data DIR --port 0`) under a write-heavy
 * load and is killed at seeded moments (after a seeded number of acknowledged writes), restarted, and
 * killed again, four times: every write it acknowledged is there after each restart, every write in
 * flight at the kill landed whole or not at all, and the list holds exactly the completed images.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SEED } from "../support/arbitraries.js";
import { ACCOUNT, AUTH, IMAGES } from "../support/emulator.js";
import { random } from "../../src/server/seed.js";

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
function start(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
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
      if (match) resolve({ child, url: match[1]!, stderr: () => stderr });
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

/** What an image is, as far as the test knows: absent (`null`), a draft, or a completed image. */
type State = { readonly meta: Record<string, unknown>; readonly draft: boolean } | null;

function same(a: State, b: State): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}


const api = (url: string): string => `${url}/client/v4/accounts/${ACCOUNT}`;
const path = (url: string, id: string): string => `${api(url)}/images/v1/${encodeURIComponent(id)}`;

function uploadForm(fields: Record<string, string>, file = true): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append("file", new Blob([IMAGES.png]), "crash.png");
  return form;
}

/** The image as the restarted server has it. */
async function read(url: string, id: string): Promise<State> {
  const response = await fetch(path(url, id), { headers: AUTH });
  if (response.status === 404) return null;
  expect(response.status, id).toBe(200);
  const { result } = (await response.json()) as { result: { meta: Record<string, unknown>; draft?: boolean } };
  return { meta: result.meta, draft: result.draft === true };
}

it("SIGKILL at seeded moments of a write-heavy load, four times in a row: every acknowledged write survives", { timeout: 40_000 }, async () => {
  const next = random(SEED);
  /** What each id is known to be; `pending` is what an unanswered write would have made it. */
  const known = new Map<string, State>();
  const pending = new Map<string, State>();
  const uploadURLs = new Map<string, string>();
  let server = await start();

  for (let cycle = 0; cycle < 4; cycle++) {
    // Kill once this many more writes are acknowledged: a seeded moment in the load.
    const killAfter = 15 + Math.floor(next() * 60);
    let acknowledged = 0;
    let killing: Promise<void> | undefined;
    const url = server.url;
    /** Sends one write; records it as pending until answered. False once the server is gone. */
    const write = async (id: string, after: State, send: () => Promise<Response>, onAnswer?: (body: unknown) => void): Promise<boolean> => {
      pending.set(id, after);
      let response: Response;
      try {
        response = await send();
      } catch {
        return false; // killed: the write may or may not have landed, `pending` says how
      }
      const body: unknown = await response.json().catch(() => undefined);
      expect(response.status, `${id}: ${JSON.stringify(body)}`).toBe(200);
      pending.delete(id);
      known.set(id, after);
      onAnswer?.(body);
      if (++acknowledged === killAfter) killing = killed(server.child);
      return true;
    };
    // Eight lanes, each writing its own ids one request at a time: uploads, edits, deletions, direct uploads.
    const lanes = Array.from({ length: 8 }, async (_, lane) => {
      const mine: string[] = [];
      for (let step = 0; ; step++) {
        const roll = next();
        const live = mine.filter((id) => known.get(id) && !known.get(id)!.draft);
        const meta = { cycle, lane, step, roll };
        let ok: boolean;
        if (roll < 0.45 || live.length === 0) {
          const id = `c${cycle}/l${lane}/${step}`;
          mine.push(id);
          ok = await write(id, { meta, draft: false }, () => fetch(`${api(url)}/images/v1`, { method: "POST", headers: AUTH, body: uploadForm({ id, metadata: JSON.stringify(meta) }) }));
        } else if (roll < 0.65) {
          const id = live[Math.floor(next() * live.length)]!;
          ok = await write(id, { meta, draft: false }, () => fetch(path(url, id), { method: "PATCH", headers: AUTH, body: JSON.stringify({ metadata: meta }) }));
        } else if (roll < 0.8) {
          const id = live[Math.floor(next() * live.length)]!;
          mine.splice(mine.indexOf(id), 1);
          ok = await write(id, null, () => fetch(path(url, id), { method: "DELETE", headers: AUTH }));
        } else {
          const id = `c${cycle}/l${lane}/${step}/direct`;
          mine.push(id);
          ok = await write(id, { meta, draft: true }, () => fetch(`${api(url)}/images/v2/direct_upload`, { method: "POST", headers: AUTH, body: uploadForm({ id, metadata: JSON.stringify(meta) }, false) }), (body) => {
            // The body can be lost to the kill after the status arrived: the draft exists, its URL is unknown.
            const uploadURL = (body as { result?: { uploadURL?: string } } | undefined)?.result?.uploadURL;
            if (uploadURL !== undefined) uploadURLs.set(id, uploadURL);
          });
          const target = uploadURLs.get(id);
          if (ok) ok = target !== undefined && (await write(id, { meta, draft: false }, () => fetch(target, { method: "POST", body: uploadForm({}) })));
        }
        if (!ok) return;
      }
    });
    await Promise.all(lanes);
    expect(killing).toBeDefined();
    await killing;

    server = await start();
    expect(server.stderr()).not.toContain("cannot start");
    // Every acknowledged write is there; an unanswered one either landed whole or not at all.
    const ids = [...new Set([...known.keys(), ...pending.keys()])];
    const found = await Promise.all(ids.map((id) => read(server.url, id)));
    ids.forEach((id, i) => {
      const state = found[i]!;
      const possible = [known.get(id) ?? null, ...(pending.has(id) ? [pending.get(id)!] : [])];
      expect(possible.some((candidate) => same(candidate, state)), `${id}: ${JSON.stringify(state)} is none of ${JSON.stringify(possible)}`).toBe(true);
      known.set(id, state);
    });
    pending.clear();
    // The list holds exactly the completed images, each once.
    const listed: string[] = [];
    let token: string | null = "";
    while (token !== null) {
      const response = await fetch(`${api(server.url)}/images/v2?per_page=100&continuation_token=${token}`, { headers: AUTH });
      const { result } = (await response.json()) as { result: { images: { id: string }[]; continuation_token: string | null } };
      listed.push(...result.images.map((image) => image.id));
      token = result.continuation_token;
    }
    expect(listed.sort()).toEqual([...known].filter(([, state]) => state && !state.draft).map(([id]) => id).sort());
  }
  await killed(server.child);
});
