/**
 * "List up to 10000 images" (List images V2): a walk by continuation tokens ends after 10,000 images,
 * whatever page size it uses; the page that reaches the 10,000th image carries no token. `listCap: false`
 * (`--no-list-cap`) walks on to the end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createEmulator, demoImages, type Emulator } from "../../src/server/index.js";
import { ACCOUNT, AUTH } from "../support/emulator.js";

const STORED = 10_050;
const API = `http://emulator.test/client/v4/accounts/${ACCOUNT}/images/v2`;
let capped: Emulator;
let uncapped: Emulator;
/** Every stored id, newest first (the default order), read in-process. */
let newestFirst: string[];

beforeAll(async () => {
  const images = demoImages(STORED);
  capped = createEmulator();
  uncapped = createEmulator({ listCap: false });
  await capped.addImages(images);
  await uncapped.addImages(images);
  newestFirst = [...images].sort((a, b) => b.uploaded - a.uploaded || (a.id < b.id ? 1 : -1)).map((image) => image.id);
});

interface Page {
  images: { id: string }[];
  continuation_token: string | null;
}

/** The pages of a walk: each page's size, and every id in order. */
async function walk(emulator: Emulator, query: string): Promise<{ sizes: number[]; ids: string[]; lastToken: string | null }> {
  const sizes: number[] = [];
  const ids: string[] = [];
  let token = "";
  for (;;) {
    const response = await emulator.fetch(new Request(`${API}?${query}&continuation_token=${token}`, { headers: AUTH }));
    expect(response.status).toBe(200);
    const page = ((await response.json()) as { result: Page }).result;
    sizes.push(page.images.length);
    ids.push(...page.images.map((image) => image.id));
    if (page.continuation_token === null) return { sizes, ids, lastToken: null };
    token = page.continuation_token;
  }
}

describe("the list cap", () => {
  it("ends a walk after 10,000 images: the page that reaches the cap has no token", { timeout: 30_000 }, async () => {
    const byThousand = await walk(capped, "per_page=1000");
    expect(byThousand.sizes).toEqual(Array(10).fill(1000));
    expect(byThousand.ids).toEqual(newestFirst.slice(0, 10_000));

    // A page size that does not divide 10,000: the last page is cut to the cap.
    const byThree = await walk(capped, "per_page=3000");
    expect(byThree.sizes).toEqual([3000, 3000, 3000, 1000]);
    expect(byThree.ids).toEqual(newestFirst.slice(0, 10_000));

    // One page of 10,000: no token, although 50 more images are stored.
    expect((await walk(capped, "per_page=10000")).sizes).toEqual([10_000]);
  });

  it("counts each walk from its first page, in either order", { timeout: 30_000 }, async () => {
    const ascending = await walk(capped, "per_page=2500&sort_order=asc");
    expect(ascending.sizes).toEqual([2500, 2500, 2500, 2500]);
    expect(ascending.ids).toEqual(newestFirst.slice(-10_000).reverse());
    // A walk started again gets the whole 10,000 again.
    expect((await walk(capped, "per_page=5000")).sizes).toEqual([5000, 5000]);
  });

  it("does not touch a walk that lists fewer than 10,000 images", async () => {
    const filtered = await walk(capped, "meta.status[eq]=pending&per_page=100");
    expect(filtered.ids.length).toBeGreaterThan(100);
    expect(filtered.ids.length).toBeLessThan(10_000);
    expect(filtered.sizes.at(-1)).toBeLessThanOrEqual(100);
  });

  it("is off with listCap: false: the walk goes on to the last image", { timeout: 30_000 }, async () => {
    const all = await walk(uncapped, "per_page=5000");
    expect(all.sizes).toEqual([5000, 5000, 50]);
    expect(all.ids).toEqual(newestFirst);
  });
});
