/**
 * What `listImages`' tests list: a few dozen images with varied metadata, stored in an emulator in this
 * process, which clients under test reach through {@link emulatorFetch} (no server, no socket).
 */
import type { Image } from "../../src/index.js";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/server/index.js";
import { emulatorFetch } from "./emulator.js";

/** Images with ids img-000…, uploaded one second apart, with varied metadata (a `|` in some values). */
export function demoImages(count: number): Image[] {
  const statuses = ["active", "pending", "deleted", "flagged"];
  return Array.from({ length: count }, (_, i) => ({
    id: `img-${String(i).padStart(3, "0")}`,
    uploaded: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    creator: i % 3 === 0 ? null : `user${i % 4}`,
    meta: { status: statuses[i % 4], priority: (i % 5) + 1, region: { name: i % 2 ? "eu-west" : "us-east" }, tag: i % 7 === 0 ? "a|b" : "plain" },
  }));
}

/** An emulator seeded with `images`, and a `fetch` to it that records each request's URL. */
export function emulatorWith(images: readonly Image[], options: EmulatorOptions = {}): { emulator: Emulator; fetch: typeof fetch; requests: string[] } {
  const emulator = createEmulator({ ...options, seed: images.map(({ id, uploaded, creator, meta }) => ({ id: id!, uploaded, creator, meta: meta as Record<string, unknown> })) });
  const requests: string[] = [];
  return { emulator, fetch: emulatorFetch(emulator, requests), requests };
}
