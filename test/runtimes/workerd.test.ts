/**
 * workerd, the open-source Workers runtime (which refuses eval and new Function, as production does), with
 * the packed package bundled as a Workers user would (esbuild, the `workerd` and `worker` conditions):
 * - a Worker running the conformance table's library cases and `createEmulator().fetch`, answering the
 *   report over loopback;
 * - the emulator's web build as Workers (one per image set of the table, and one with demo images),
 *   driven from Node by the official `cloudflare` SDK: the table's list cases, a walk by continuation
 *   token, and the direct upload V2 flow.
 */
import Cloudflare, { toFile } from "cloudflare";
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadTable, tableFiles } from "../conformance/load.js";
import { emulatorQuery, expectedEmulator, PNG, sortedIds, type EmulatorAnswer } from "../conformance/observe.js";
import { reportMismatches, type Mismatch } from "../conformance/runner.js";
import { entryNames } from "../conformance/subjects.js";
import type { TableImage } from "../conformance/table.js";
import type { HarnessReport } from "./harness.js";
import { binary, run, ROOT, startWorkerd, stopAll, type Workerd } from "./processes.js";

const scratch = inject("scratch");
const HARNESS = fileURLToPath(new URL("./harness.ts", import.meta.url));
const table = loadTable();
const SETS = Object.keys(table.sets);
const ACCOUNT = "acc-workerd";

/** Bundles a Worker module from source that imports the installed package, as wrangler would. */
async function bundleWorker(source: string, outfile: string): Promise<void> {
  await build({
    stdin: { contents: source, resolveDir: scratch, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker"],
    mainFields: ["module", "main"],
    outfile: join(scratch, outfile),
    logLevel: "silent",
  });
}

const worker = (name: string, module: string, seed?: number) =>
  `(name = "${name}", worker = (modules = [(name = "worker.mjs", esModule = embed "${module}")], compatibilityDate = "2026-11-01"${
    seed === undefined ? "" : `, bindings = [(name = "SEED", text = "${seed}")]`
  }))`;
const socket = (name: string) => `(name = "${name}", address = "127.0.0.1:0", http = (), service = "${name}")`;

let workerd: Workerd;
const url = (service: string) => `http://127.0.0.1:${workerd.ports.get(service)}`;
const sdk = (service: string) => new Cloudflare({ baseURL: `${url(service)}/client/v4`, apiToken: "workerd-test", maxRetries: 0 });

beforeAll(async () => {
  const harness = JSON.stringify(HARNESS);
  await bundleWorker(
    `import * as imgmeta from "imgmeta";
     import * as integrations from "imgmeta/integrations";
     import * as sql from "imgmeta/sql";
     import * as server from "imgmeta/server";
     import { libraryWorker } from ${harness};
     export default libraryWorker({ imgmeta, "imgmeta/integrations": integrations, "imgmeta/sql": sql, "imgmeta/server": server });`,
    "library-worker.mjs",
  );
  await bundleWorker(
    `import { createEmulator } from "imgmeta/server";
     import { emulatorWorker } from ${harness};
     export default emulatorWorker(createEmulator);`,
    "emulator-worker.mjs",
  );
  const services = ["library", "demo", ...SETS.map((set) => `set-${set}`)];
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    ${[worker("library", "library-worker.mjs"), worker("demo", "emulator-worker.mjs", 300), ...SETS.map((set) => worker(`set-${set}`, "emulator-worker.mjs", 0))].join(",\n    ")}
  ],
  sockets = [${services.map(socket).join(", ")}],
);`;
  workerd = await startWorkerd(scratch, config, services);
});

afterAll(() => {
  workerd?.stop();
  stopAll();
});

it("is the version package.json pins", async () => {
  const pinned = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["workerd"]!;
  // workerd 1.YYYYMMDD.N prints its date: "workerd YYYY-MM-DD".
  const date = pinned.split(".")[1]!.replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3");
  expect((await run(binary("workerd"), ["--version"], scratch)).stdout.trim()).toBe(`workerd ${date}`);
});

it("a bundled Worker runs every library case of the table, and the emulator's fetch, with code generation refused", async () => {
  const response = await fetch(url("library"), { method: "POST", body: JSON.stringify(tableFiles()) });
  expect(response.status, workerd.output()).toBe(200);
  const report = (await response.json()) as HarnessReport;
  expect(report.codeGeneration).toBe("refused");
  expect(report.entries).toEqual(entryNames);
  expect(report.emulator?.length).toBeGreaterThan(0);
  expect(reportMismatches(report)).toEqual([]);
});

/** A case's query string as the official SDK's list params (a repeated key becomes an array, sent repeated). */
function sdkListParams(query: string): Record<string, unknown> | undefined {
  const meta: Record<string, string | string[]> = {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (key.startsWith("meta.")) {
      const name = key.slice("meta.".length);
      const previous = meta[name];
      meta[name] = previous === undefined ? value : [previous, value].flat();
    } else if (key === "creator" || key === "sort_order") params[key] = value;
    else if (key === "per_page") params[key] = Number(value);
    else return undefined; // Not a parameter the SDK's list takes (the in-Worker run covers such cases).
  }
  return Object.keys(meta).length > 0 ? { ...params, meta } : params;
}

async function upload(client: Cloudflare, image: TableImage): Promise<void> {
  await client.images.v1.create({
    account_id: ACCOUNT,
    file: await toFile(PNG, `${image.id}.png`),
    id: image.id,
    ...(image.creator ? { creator: image.creator } : {}),
    ...(image.meta ? { metadata: JSON.stringify(image.meta) } : {}),
  });
}

describe("the emulator's web build as Workers, through the official SDK", () => {
  it("lists what the table says for every case the SDK can send", async () => {
    for (const set of SETS) {
      for (const image of table.sets[set]!) await upload(sdk(`set-${set}`), image);
    }
    const mismatches: Mismatch[] = [];
    let sent = 0;
    for (const item of table.cases) {
      const query = emulatorQuery(item);
      const params = query === undefined ? undefined : sdkListParams(query);
      if (params === undefined) continue;
      sent++;
      const client = sdk(`set-${item.images ?? SETS[0]}`);
      let answer: EmulatorAnswer;
      try {
        const page = await client.images.v2.list({ account_id: ACCOUNT, ...params });
        answer = { ids: sortedIds((page.images ?? []).map((image) => image.id!)) };
      } catch (error) {
        if (!(error instanceof Cloudflare.APIError)) throw error;
        answer = { status: error.status!, codes: (error.errors as { code: number }[]).map((each) => each.code) };
      }
      const expected = expectedEmulator(item);
      if (JSON.stringify(answer) !== JSON.stringify(expected)) mismatches.push({ case: item.name, target: "emulator via SDK", expected, actual: answer });
    }
    expect(sent).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  });

  it("pages by continuation token: the walk is the whole list, in order, each image once", async () => {
    const client = sdk("demo");
    const meta: Record<string, string> = { "status[eq]": "active" };
    const whole = await client.images.v2.list({ account_id: ACCOUNT, meta, per_page: 1000 });
    const walked: string[] = [];
    let pages = 0;
    let token: string | null | undefined;
    do {
      const page = await client.images.v2.list({ account_id: ACCOUNT, meta, per_page: 10, ...(token ? { continuation_token: token } : {}) });
      walked.push(...(page.images ?? []).map((image) => image.id!));
      token = page.continuation_token;
      pages++;
    } while (token);
    expect(whole.continuation_token ?? null).toBeNull();
    expect(pages).toBeGreaterThan(3);
    expect(walked).toEqual((whole.images ?? []).map((image) => image.id));
    expect(new Set(walked).size).toBe(walked.length);
    expect((whole.images ?? []).every((image) => (image.meta as { status?: unknown }).status === "active")).toBe(true);
  });

  it("runs the direct upload V2 flow: create, post the file to the upload URL, see the draft complete", async () => {
    const client = sdk("demo");
    const meta: Record<string, string> = { "flow[eq]": "direct-upload" };
    const { id, uploadURL } = await client.images.v2.directUploads.create({
      account_id: ACCOUNT,
      creator: "workerd-test",
      metadata: JSON.stringify({ flow: "direct-upload" }),
    });
    expect(uploadURL?.startsWith(url("demo"))).toBe(true);
    const draft = (await client.images.v1.get(id!, { account_id: ACCOUNT })) as { draft?: boolean; meta?: unknown };
    expect(draft.draft).toBe(true);
    expect((await client.images.v2.list({ account_id: ACCOUNT, meta })).images).toEqual([]);

    const form = new FormData();
    form.append("file", new Blob([PNG]), "upload.png");
    const posted = await fetch(uploadURL!, { method: "POST", body: form });
    expect(posted.status).toBe(200);

    const image = (await client.images.v1.get(id!, { account_id: ACCOUNT })) as { draft?: boolean; meta?: unknown; creator?: string };
    expect(image.draft).toBeUndefined();
    expect(image).toMatchObject({ meta: { flow: "direct-upload" }, creator: "workerd-test" });
    expect((await client.images.v2.list({ account_id: ACCOUNT, meta })).images?.map((listed) => listed.id)).toEqual([id]);
    // The upload URL is single use. (Sent without a body: workerd closes the connection when a Worker
    // answers without reading the request's body, which the emulator does for a used URL, and a client
    // still writing its body then sees the connection fail rather than the 409.)
    expect((await fetch(uploadURL!, { method: "POST" })).status).toBe(409);
  });
});
