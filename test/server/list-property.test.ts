/**
 * The emulator's list and the library agree: for random image sets and random filters, a page walk
 * returns exactly the images `toPredicate` selects, in (uploaded, id) order, each once; and a walk
 * with images added and deleted between pages neither skips nor repeats one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPredicate, toSearchParams, validate, type FilterNode } from "../../src/index.js";
import { createEmulator, type Emulator, type StoredImage } from "../../src/server/index.js";
import { apiFilterArb, filterArb, SEED } from "../support/arbitraries.js";
import { storedImage, storedImagesArb } from "../support/server-arbitraries.js";
import { conformanceEmulator } from "../conformance/runner.js";

const API = "http://emulator.test/client/v4/accounts/acc/images/v2";
const AUTH = { authorization: "Bearer t" };

/** Filters the API can express, from the shared generators (as the library's own round-trip test draws them). */
const expressible = fc
  .oneof(apiFilterArb, filterArb)
  .filter((filter) => validate(filter).every((issue) => issue.severity !== "error"));

interface ListResult {
  images: { id: string }[];
  continuation_token: string | null;
}

async function listPage(emulator: Emulator, query: URLSearchParams): Promise<ListResult> {
  const response = await emulator.fetch(new Request(`${API}?${query}`, { headers: AUTH }));
  const body = (await response.json()) as { result: ListResult; errors: unknown[] };
  expect(response.status, JSON.stringify(body.errors)).toBe(200);
  return body.result;
}

/** Walks every page; `between` runs after each page. Returns the ids in the order seen. */
async function walk(
  emulator: Emulator,
  filter: FilterNode,
  order: "asc" | "desc" | undefined,
  perPage: number,
  between: (page: number) => Promise<void> = async () => undefined,
): Promise<string[]> {
  const seen: string[] = [];
  let token: string | null = "";
  for (let page = 0; token !== null; page++) {
    const query = toSearchParams(filter, { perPage, ...(order ? { sortOrder: order } : {}), continuationToken: token });
    const result = await listPage(emulator, query);
    expect(result.images.length).toBeLessThanOrEqual(perPage);
    if (result.continuation_token !== null) {
      expect(result.images).toHaveLength(perPage);
      expect(result.continuation_token.length).toBeLessThanOrEqual(32);
    }
    seen.push(...result.images.map((image) => image.id));
    token = result.continuation_token;
    await between(page);
  }
  return seen;
}

function inListOrder(images: readonly StoredImage[], order: "asc" | "desc"): StoredImage[] {
  // Written out here rather than reusing the store's comparator: the test states the order itself.
  const sorted = [...images].sort((a, b) => a.uploaded - b.uploaded || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return order === "asc" ? sorted : sorted.reverse();
}

describe("list images V2 against toPredicate", () => {
  it("a page walk returns exactly the matching images, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        storedImagesArb,
        expressible,
        fc.constantFrom<"asc" | "desc" | undefined>("asc", "desc", undefined),
        fc.integer({ min: 10, max: 12 }),
        async (images, filter, order, perPage) => {
          const emulator = createEmulator();
          await emulator.addImages(images);
          const matches = toPredicate(filter);
          const expected = inListOrder(images.filter(matches), order ?? "desc").map((image) => image.id);
          expect(await walk(emulator, filter, order, perPage)).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("a walk narrowed by an equality index returns exactly what a scan does", async () => {
    /** The scalar leaves of a metadata object, as (path, value). */
    const leaves = (value: unknown, path: string[] = []): { path: string[]; value: string | number | boolean }[] => {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return path.length > 0 ? [{ path, value }] : [];
      if (typeof value !== "object" || value === null || Array.isArray(value) || path.length >= 5) return [];
      return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
    };
    let indexed = 0;
    await fc.assert(
      fc.asyncProperty(
        storedImagesArb,
        fc.nat(),
        fc.nat(),
        fc.option(expressible, { nil: undefined }),
        fc.constantFrom<"asc" | "desc">("asc", "desc"),
        async (images, which, leaf, extra, order) => {
          // An equality on a value some image really has, so that the index has something to find.
          const found = leaves(images[which % Math.max(1, images.length)]?.meta);
          const chosen = found[leaf % Math.max(1, found.length)];
          fc.pre(chosen !== undefined);
          const equality = (at: { path: string[]; value: string | number | boolean }): FilterNode => ({ type: "compare", op: "eq", field: { type: "meta", path: at.path }, value: { value: at.value } });
          // Often a second equality true of the same image, so that two indexes are intersected.
          const second = found[(leaf >> 3) % found.length]!;
          const operands = [equality(chosen), ...(leaf % 2 === 0 && second !== chosen ? [equality(second)] : []), ...(extra === undefined || extra.type === "all" ? [] : extra.type === "and" ? extra.operands : [extra])];
          const filter: FilterNode = operands.length === 1 ? operands[0]! : { type: "and", operands };
          fc.pre(validate(filter).every((issue) => issue.severity !== "error"));
          indexed++;
          const emulator = createEmulator();
          await emulator.addImages(images);
          // A first walk builds the index; images added afterwards must be indexed too.
          await walk(emulator, filter, order, 10);
          const more = images.map((image) => storedImage(`${image.id}+`, image.uploaded + 500, image));
          await emulator.addImages(more);
          const expected = inListOrder([...images, ...more].filter(toPredicate(filter)), order).map((image) => image.id);
          if (extra === undefined) expect(expected.length).toBeGreaterThan(0);
          expect(await walk(emulator, filter, order, 10)).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    expect(indexed).toBeGreaterThan(100);
  });

  it("a walk with images added and deleted between pages neither skips nor repeats one", async () => {
    await fc.assert(
      fc.asyncProperty(
        storedImagesArb,
        storedImagesArb,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.constantFrom<"asc" | "desc">("asc", "desc"),
        async (images, extra, deletions, order) => {
          const emulator = createEmulator();
          await emulator.addImages(images);
          const store = await emulator.store();
          const deleted = new Set<string>();
          const fresh = extra.filter((image) => !images.some((other) => other.id === image.id));
          const all: FilterNode = { type: "all" };
          const seen = await walk(emulator, all, order, 10, async (page) => {
            // Delete a pseudo-random original image and add a new one (at any time, ties included).
            const victim = images[(deletions[page] ?? page) % Math.max(1, images.length)];
            if (victim && !deleted.has(victim.id)) {
              deleted.add(victim.id);
              await store.write(() => ({ changes: [{ type: "delete", id: victim.id }], result: undefined }));
            }
            const added = fresh[page];
            if (added) await emulator.addImages([storedImage(added.id, added.uploaded, added)]);
          });
          expect(new Set(seen).size).toBe(seen.length);
          const kept = inListOrder(images.filter((image) => !deleted.has(image.id)), order).map((image) => image.id);
          // Every image there throughout is seen, and the originals come in list order.
          expect(seen.filter((id) => kept.includes(id))).toEqual(kept);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// The conformance table (test/conformance/): what the list returns for each case's parameters.
describe("the conformance table", () => conformanceEmulator());
