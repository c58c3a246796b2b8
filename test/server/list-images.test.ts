/**
 * `listImages` end to end against the emulator on loopback, with both kinds of source: the official SDK
 * and plain `fetch`. Filters that need a residual, multi-page walks, abort, and a 429 injected by the
 * emulator's faults (more fault kinds in faults.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImagesApiError, listImages, type Image } from "../../src/integrations.js";
import { toPredicate } from "../../src/index.js";
import { ACCOUNT, startEmulator, type Running } from "../support/emulator.js";

let running: Running;
let stored: Image[];

beforeAll(async () => {
  running = await startEmulator({ seed: 300 });
  const page = await running.client.images.v2.list({ account_id: ACCOUNT, per_page: 1000 });
  stored = page.images ?? [];
});
afterAll(() => running.close());

async function collect(iterable: AsyncIterable<Image>): Promise<Image[]> {
  const out: Image[] = [];
  for await (const image of iterable) out.push(image);
  return out;
}

/** What the whole filter selects among every stored image, in the API's default order (newest first). */
function expected(filter: string): string[] {
  return stored.filter(toPredicate(filter)).map((image) => image.id!);
}

const FILTERS = [
  'status = "active" and priority >= 3', // exact: everything pushed
  'status != "deleted" and (priority = 1 or region.name = "eu-west")', // a residual: or across fields, a negation
  "ratings > 1 and ratings > 2 and enabled = true", // two ranges on one key (the SDK's meta object holds one)
  'tags.`0` = "cat" or creator = ""', // nothing pushable
];

describe.each([
  ["the official SDK", () => running.client],
  ["fetch", () => ({ apiToken: "test-token", baseURL: `${running.url}/client/v4` })],
] as const)("listImages through %s", (_name, source) => {
  it.each(FILTERS)("selects exactly what the filter selects, across pages: %s", async (filter) => {
    const found = await collect(listImages(source(), { accountId: ACCOUNT, filter, perPage: 10 }));
    expect(found.map((image) => image.id)).toEqual(expected(filter));
    expect(found.length).toBeGreaterThan(0);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const seen: Image[] = [];
    const walk = async () => {
      for await (const image of listImages(source(), { accountId: ACCOUNT, perPage: 10, signal: controller.signal })) {
        seen.push(image);
        if (seen.length === 15) controller.abort(new Error("enough"));
      }
    };
    await expect(walk()).rejects.toThrow("enough");
    expect(seen).toHaveLength(15);
  });
});

describe("listImages with plain fetch, against the emulator", () => {
  it("retries an injected 429 and carries on", async () => {
    // The second request of the walk gets a 429 (Retry-After: 0) from the emulator's faults.
    running.emulator.setFaults({ faults: ["list:429:retry-after=0:times=1"] });
    running.emulator.clearRecentRequests();
    try {
      let calls = 0;
      const counting: typeof fetch = (input, init) => {
        calls++;
        return fetch(input, init);
      };
      const source = { apiToken: "test-token", baseURL: `${running.url}/client/v4`, fetch: counting, retry: { baseDelayMs: 0 } };
      const found = await collect(listImages(source, { accountId: ACCOUNT, filter: "priority >= 2", perPage: 50 }));
      expect(found.map((image) => image.id)).toEqual(expected("priority >= 2"));
      expect(calls).toBe(Math.ceil(found.length / 50) + 1); // every page, and the one retry
      expect(running.emulator.recentRequests()[0]).toMatchObject({ status: 429, fault: "list:429" });
    } finally {
      running.emulator.setFaults({ faults: [] });
    }
  });

  it("surfaces the emulator's errors with their codes", async () => {
    const error = await collect(listImages({ apiToken: "", baseURL: `${running.url}/client/v4` }, { accountId: ACCOUNT })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagesApiError);
    expect((error as ImagesApiError).status).toBe(400);
  });
});
