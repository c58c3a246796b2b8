/**
 * A concurrent load against an emulator over loopback HTTP, shared by the load test and the memory
 * child process: uploads (some racing for the same custom id), direct uploads completed through their
 * URLs, and filtered list walks across pages while the writes land. Deterministic in what it sends
 * (seeded); what it checks does not depend on timing.
 */
import { toPredicate, toSearchParams, type FilterNode } from "../../src/index.js";
import { ACCOUNT, AUTH, IMAGES } from "./emulator.js";
import { random } from "../../src/server/seed.js";

/** The filter the walkers use: the status equality goes through an index, the range does not. */
export const LOAD_FILTER = 'status = "active" and priority >= 2';

/** Metadata as the load writes it. */
export interface LoadMeta {
  readonly status: string;
  readonly priority: number;
  readonly region: { readonly name: string };
  readonly n: number;
  readonly side?: number;
}

/** An image as the API lists it (what the checks read). */
export interface ListedImage {
  readonly id: string;
  readonly meta: Record<string, unknown>;
  readonly uploaded: string;
}

/** How much load one round sends, and where. */
export interface LoadOptions {
  /** The emulator's base URL. */
  readonly url: string;
  readonly uploads: number;
  readonly directUploads: number;
  /** Pairs of uploads racing for the same custom id: exactly one of each pair must win. */
  readonly races: number;
  readonly walkers: number;
  readonly seed: number;
  /** Makes custom ids unique across repeated rounds. */
  readonly round: number;
  /** The size of each uploaded file (a PNG header and padding); the smallest PNG by default. */
  readonly fileBytes?: number;
}

/** What one round of load saw. */
export interface LoadResult {
  /** Every image whose write was acknowledged (200), with the metadata it was given. */
  readonly acknowledged: Map<string, LoadMeta>;
  /** Filtered walks completed while writing. */
  readonly walks: number;
  /** Problems seen by the walkers (duplicates, non-matching images, failed pages). */
  readonly problems: string[];
}


const STATUSES = ["active", "pending", "deleted", "flagged"];
const REGIONS = ["eu-west", "us-east", "ap-south", "eu-central"];

function api(url: string): string {
  return `${url}/client/v4/accounts/${ACCOUNT}`;
}

/** Walks every page of a filtered list (per_page 10 by default); throws on a non-200 page. */
export async function walkAll(url: string, filter: FilterNode | string, perPage = 10): Promise<ListedImage[]> {
  const seen: ListedImage[] = [];
  let token: string | null = "";
  while (token !== null) {
    const query = toSearchParams(filter, { perPage, continuationToken: token });
    const response = await fetch(`${api(url)}/images/v2?${query}`, { headers: AUTH });
    const body = (await response.json()) as { result: { images: ListedImage[]; continuation_token: string | null }; errors: unknown[] };
    if (response.status !== 200) throw new Error(`list page: ${response.status} ${JSON.stringify(body.errors)}`);
    seen.push(...body.result.images);
    token = body.result.continuation_token;
  }
  return seen;
}

function uploadForm(fields: Record<string, string>, file: Uint8Array<ArrayBuffer> = IMAGES.png): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([file]), "load.png");
  return form;
}

/** Runs one round of the load; resolves once every write has been answered and the walkers stopped. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const next = random(options.seed + options.round);
  const acknowledged = new Map<string, LoadMeta>();
  const problems: string[] = [];
  let n = 0;
  const meta = (side?: number): LoadMeta => ({
    status: STATUSES[Math.floor(next() * STATUSES.length)]!,
    priority: 1 + Math.floor(next() * 5),
    region: { name: REGIONS[Math.floor(next() * REGIONS.length)]! },
    n: n++,
    ...(side !== undefined ? { side } : {}),
  });
  const base = api(options.url);
  const file = new Uint8Array(Math.max(IMAGES.png.length, options.fileBytes ?? 0));
  file.set(IMAGES.png);

  const writes: Promise<void>[] = [];
  for (let i = 0; i < options.uploads; i++) {
    const m = meta();
    const custom = next() < 0.3 ? `load/${options.round}/${i}` : undefined;
    writes.push(
      (async () => {
        const response = await fetch(`${base}/images/v1`, { method: "POST", headers: AUTH, body: uploadForm({ metadata: JSON.stringify(m), ...(custom ? { id: custom } : {}) }, file) });
        const body = (await response.json()) as { result: { id: string } };
        if (response.status === 200) acknowledged.set(body.result.id, m);
        else problems.push(`upload ${i}: ${response.status}`);
      })(),
    );
  }
  for (let k = 0; k < options.races; k++) {
    const id = `race/${options.round}/${k}`;
    const sides = [meta(0), meta(1)];
    writes.push(
      (async () => {
        const answers = await Promise.all(
          sides.map(async (m) => {
            const response = await fetch(`${base}/images/v1`, { method: "POST", headers: AUTH, body: uploadForm({ id, metadata: JSON.stringify(m) }, file) });
            await response.body?.cancel();
            if (response.status === 200) acknowledged.set(id, m);
            return response.status;
          }),
        );
        if (answers.sort().join() !== "200,409") problems.push(`race ${id}: ${answers.join()}`);
      })(),
    );
  }
  for (let i = 0; i < options.directUploads; i++) {
    const m = meta();
    writes.push(
      (async () => {
        const form = new FormData();
        form.append("metadata", JSON.stringify(m));
        const created = await fetch(`${base}/images/v2/direct_upload`, { method: "POST", headers: AUTH, body: form });
        const { result } = (await created.json()) as { result: { id: string; uploadURL: string } };
        if (created.status !== 200) return void problems.push(`direct upload ${i}: ${created.status}`);
        const done = await fetch(result.uploadURL, { method: "POST", body: uploadForm({}, file) });
        await done.body?.cancel();
        if (done.status === 200) acknowledged.set(result.id, m);
        else problems.push(`completion ${i}: ${done.status}`);
      })(),
    );
  }

  let writing = true;
  let walks = 0;
  const matches = toPredicate(LOAD_FILTER);
  const walkers = Array.from({ length: options.walkers }, async () => {
    // At least one walk each, then as many as fit while the writes land (bounded).
    for (let count = 0; count === 0 || (writing && count < 25); count++) {
      const seen = await walkAll(options.url, LOAD_FILTER);
      const ids = new Set(seen.map((image) => image.id));
      if (ids.size !== seen.length) problems.push(`a walk repeated an image (${seen.length - ids.size} times)`);
      for (const image of seen) if (!matches(image)) problems.push(`a walk returned ${image.id}, which does not match`);
      walks++;
    }
  });
  await Promise.all(writes);
  writing = false;
  await Promise.all(walkers);
  return { acknowledged, walks, problems };
}

/** Deletes images by id (as a cleanup between rounds). */
export async function deleteAll(url: string, ids: Iterable<string>): Promise<void> {
  await Promise.all(
    [...ids].map(async (id) => {
      const response = await fetch(`${api(url)}/images/v1/${encodeURIComponent(id)}`, { method: "DELETE", headers: AUTH });
      await response.body?.cancel();
      if (response.status !== 200) throw new Error(`delete ${id}: ${response.status}`);
    }),
  );
}
