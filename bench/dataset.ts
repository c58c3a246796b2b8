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
