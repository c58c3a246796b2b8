/**
 * Demo data: deterministic images with varied metadata (status, priority, ratings, enabled,
 * region.name, tags), including missing fields and odd types, from several creators, with some upload
 * times shared so that ties (broken by id) show up in lists. Each image is a small SVG card of its metadata.
 */
import type { StoredImage } from "./store.js";

/** The smallest valid PNG (1×1, transparent), for tests that upload an image. */
export const DEMO_PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (char) => char.charCodeAt(0),
);

/** When the demo images start: fixed, so that a seed gives the same store on every run. */
const DEMO_START = Date.UTC(2026, 0, 1);

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence (demo data, benchmarks). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function uuid(next: () => number): string {
  let hex = "";
  for (let i = 0; i < 32; i++) hex += Math.floor(next() * 16).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const STATUSES = ["active", "active", "active", "pending", "deleted", "flagged", "Active"];
const REGIONS = ["eu-west", "eu-west", "us-east", "us-west", "ap-south"];
const CREATORS = ["user123", "user123", "alice", "bob", "carol", null, null, ""];
const TAGS = ["cat", "dog", "sunset", "portrait", "landscape"];

function demoMeta(next: () => number, index: number): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  // Mostly well-typed values, with some missing and some of the wrong type, as real data has.
  if (next() < 0.95) meta["status"] = next() < 0.03 ? 1 : pick(next, STATUSES);
  const priority = 1 + Math.floor(next() * 5);
  const roll = next();
  if (roll < 0.85) meta["priority"] = priority;
  else if (roll < 0.95) meta["priority"] = String(priority);
  if (next() < 0.8) meta["ratings"] = Math.round(next() * 50) / 10;
  const flag = next();
  if (flag < 0.8) meta["enabled"] = next() < 0.7;
  else if (flag < 0.85) meta["enabled"] = "true";
  else if (flag < 0.9) meta["enabled"] = null;
  if (next() < 0.9) meta["region"] = next() < 0.05 ? "eu-west" : { name: pick(next, REGIONS), zone: 1 + Math.floor(next() * 3) };
  if (next() < 0.3) meta["tags"] = [pick(next, TAGS), pick(next, TAGS)];
  meta["index"] = index;
  return meta;
}

const STATUS_COLOURS: Readonly<Record<string, string>> = {
  active: "#2e7d32",
  Active: "#558b2f",
  pending: "#f9a825",
  deleted: "#616161",
  flagged: "#c62828",
};

/** A small SVG card showing the image's metadata, so that lists and the playground show something. */
function demoCard(index: number, meta: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  const status = typeof meta["status"] === "string" ? meta["status"] : "no status";
  const colour = STATUS_COLOURS[status] ?? "#37474f";
  const region = meta["region"] as { name?: unknown } | string | undefined;
  const place = typeof region === "object" && region !== null ? String(region.name) : String(region ?? "");
  const lines = [`#${index}`, status, `priority ${String(meta["priority"] ?? "–")}`, place].map((text) =>
    text.replace(/[<&>"]/g, (c) => `&#${c.charCodeAt(0)};`),
  );
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">` +
    `<rect width="160" height="120" rx="8" fill="${colour}"/>` +
    lines.map((text, i) => `<text x="12" y="${28 + i * 24}" font-family="sans-serif" font-size="${i === 0 ? 18 : 14}" fill="#fff">${text}</text>`).join("") +
    `</svg>`;
  return new TextEncoder().encode(svg) as Uint8Array<ArrayBuffer>;
}

/** `count` demo images, the same for the same `seed`. */
export function demoImages(count: number, seed = 1): StoredImage[] {
  const next = random(seed);
  const images: StoredImage[] = [];
  let uploaded = DEMO_START;
  for (let index = 0; index < count; index++) {
    // One in ten shares the previous upload time.
    if (index === 0 || next() >= 0.1) uploaded += 1000 + Math.floor(next() * 600_000);
    const custom = next() < 0.1;
    const meta = demoMeta(next, index);
    images.push({
      id: custom ? `demo/${pick(next, TAGS)}/${index}.svg` : uuid(next),
      customId: custom,
      creator: pick(next, CREATORS) || null,
      meta,
      requireSignedURLs: !custom && next() < 0.05,
      uploaded,
      draft: false,
      uploadExpires: null,
      filename: `demo-${index}.svg`,
      format: "svg",
      bytes: demoCard(index, meta),
    });
  }
  return images;
}
