/**
 * The benchmark's dataset: 100,000 seeded image records, dirty on purpose — missing fields, `null`s,
 * numbers stored as strings — as real metadata is.
 */
import { random } from "../src/server/seed.js";

export interface BenchImage {
  id: string;
  creator: string | null;
  uploaded: string;
  meta: Record<string, unknown>;
}

const STATUSES = ["active", "pending", "deleted", "flagged"];
const REGIONS = ["eu-west", "us-east", "ap-south", "eu-central"];

/** `count` records: status (4 values), priority and ratings (1–5), enabled, region.name (4 values). */
export function dataset(count = 100_000, seed = 20261122): BenchImage[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const images: BenchImage[] = [];
  for (let i = 0; i < count; i++) {
    const meta: Record<string, unknown> = {};
    const roll = next();
    if (roll > 0.05) meta.status = pick(STATUSES);
    if (next() > 0.1) meta.priority = 1 + Math.floor(next() * 5);
    if (next() > 0.1) meta.ratings = 1 + Math.floor(next() * 5);
    if (next() > 0.05) meta.enabled = next() > 0.5;
    if (next() > 0.08) meta.region = { name: pick(REGIONS) };
    // Dirt: a number stored as a string, a null, an extra key.
    if (next() < 0.05) meta.priority = String(1 + Math.floor(next() * 5));
    if (next() < 0.03) meta.ratings = null;
    if (next() < 0.1) meta.note = "imported";
    images.push({
      id: `img-${i}`,
      creator: next() < 0.2 ? null : `user${Math.floor(next() * 20)}`,
      uploaded: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      meta,
    });
  }
  return images;
}

// Skewed where dataset() is uniform: most images active, enabled and rated well, spread over eight regions,
// so that Q3's first condition (region.name) is its selective one and the others pass for most records.
const SKEWED_STATUSES = ["active", "active", "active", "active", "active", "active", "pending", "pending", "deleted", "flagged"];
const SKEWED_RATINGS = [5, 5, 5, 4, 4, 4, 3, 2, 1];
const SKEWED_REGIONS = ["eu-west", "us-east", "us-east", "us-west", "ap-south", "eu-central", "eu-north", "sa-east"];
const EXTRA_KEYS = ["note", "tags", "owner", "size", "camera", "album", "source", "v"];

/** A region as stored by many different writers: objects of several shapes, and things that are not one. */
function heldOutRegion(next: () => number, name: string): unknown {
  const roll = next();
  if (roll < 0.3) return { name };
  if (roll < 0.45) return { name, zone: `${name}-a` };
  if (roll < 0.6) return { zone: `${name}-b`, name };
  if (roll < 0.7) return { id: Math.floor(next() * 1000), name, zone: null };
  if (roll < 0.78) return [{ name }];
  if (roll < 0.84) return name;
  if (roll < 0.9) return { name: { en: name } };
  if (roll < 0.95) return { name: null };
  return null;
}

/** A value of `pick(values)`, or now and then the same thing in a type nobody asked for. */
function untidy<T>(next: () => number, value: T): unknown {
  const roll = next();
  if (roll < 0.04) return String(value);
  if (roll < 0.07) return [value];
  if (roll < 0.09) return null;
  return value;
}

/**
 * A second dataset, held out: the same fields, skewed values, and shaped differently, as metadata written
 * by many clients over years is — each of 24 writers with its own order of keys and
 * its own extra keys (a few hundred hidden classes in all), nested objects of several shapes, arrays and
 * strings where objects are expected, values in the wrong type, images with and without a creator — and
 * read through `JSON.parse`, as a client gets them from the API. Tuning for `dataset()` alone cannot fit it.
 */
export function heldOutDataset(count = 100_000, seed = 20261207): BenchImage[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const shuffled = <T>(values: readonly T[]): T[] => {
    const out = [...values];
    for (let k = out.length - 1; k > 0; k--) {
      const j = Math.floor(next() * (k + 1));
      [out[k], out[j]] = [out[j]!, out[k]!];
    }
    return out;
  };
  // A writer: its order of keys, extras included.
  const writers = Array.from({ length: 24 }, () => shuffled(["status", "priority", "ratings", "enabled", "region", ...EXTRA_KEYS.filter(() => next() < 0.25)]));
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const meta: Record<string, unknown> = {};
    for (const key of pick(writers)) {
      switch (key) {
        case "status":
          if (next() > 0.05) meta.status = untidy(next, pick(SKEWED_STATUSES));
          break;
        case "priority":
          if (next() > 0.1) meta.priority = untidy(next, 1 + Math.floor(next() * 5));
          break;
        case "ratings":
          if (next() > 0.1) meta.ratings = next() < 0.05 ? 3.5 + Math.floor(next() * 2) : untidy(next, pick(SKEWED_RATINGS));
          break;
        case "enabled":
          if (next() > 0.05) meta.enabled = untidy(next, next() > 0.05);
          break;
        case "region":
          if (next() > 0.08) meta.region = heldOutRegion(next, pick(SKEWED_REGIONS));
          break;
        case "tags":
          meta.tags = ["a", "b"].slice(0, 1 + Math.floor(next() * 2));
          break;
        case "camera":
          meta.camera = next() < 0.5 ? { make: "x", model: `m${Math.floor(next() * 9)}` } : { model: "y" };
          break;
        case "size":
          meta.size = Math.floor(next() * 1e6);
          break;
        default:
          meta[key] = "x";
      }
    }
    const image: Record<string, unknown> = { id: `img-${i}`, filename: `${i}.jpg`, uploaded: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), requireSignedURLs: next() < 0.1, variants: [`https://imagedelivery.net/h/${i}/public`] };
    const creator = next();
    if (creator < 0.6) image.creator = `user${Math.floor(next() * 20)}`;
    else if (creator < 0.7) image.creator = null;
    image.meta = meta;
    records.push(image);
  }
  return JSON.parse(JSON.stringify(records)) as BenchImage[];
}
