/**
 * Figure: the emulator's resident memory (RSS) holding 10,000 images of 100 KB (about a gigabyte of bytes),
 * in memory and with a data directory, whose bytes stay in `blobs/` and are read when served.
 *
 * Each store is measured in a child process of its own (`memory.ts child <mode>`, run with `--expose-gc`),
 * so that one's heap and allocator never count for the other: the RSS after a full GC with the emulator
 * ready and empty ("before"), after the images are added ("after adding"), after 1,000 of them are served
 * over `fetch` ("after serving"), and, for the data directory, after the emulator is closed and opened
 * again on it (start-up reads and checks every blob, one at a time) and serves them again ("after a restart").
 * The images are added 200 at a time, each a PNG signature and random bytes (so every blob differs), so
 * that the figure process never holds the gigabyte itself.
 */
import { execFile } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createEmulator, type Emulator, type StoredImage } from "../../src/server/index.js";
import { emit, emitted, type Row } from "../harness.js";

const IMAGES = 10_000;
const IMAGE_BYTES = 100 * 1024;
const BATCH = 200;
const SERVED = 1000;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIGURE = `emulator: resident memory, ${IMAGES.toLocaleString("en")} images of ${IMAGE_BYTES / 1024} KB`;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Mode = "memory" | "data";

/** What one child measured, in MB. */
interface Measured {
  readonly before: number;
  readonly added: number;
  readonly served: number;
  readonly restarted?: number;
  readonly seconds: number;
}

function rssMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

function batch(from: number): StoredImage[] {
  return Array.from({ length: Math.min(BATCH, IMAGES - from) }, (_, k) => {
    const bytes = new Uint8Array(IMAGE_BYTES);
    randomFillSync(bytes);
    bytes.set(PNG_SIGNATURE);
    const index = from + k;
    return {
      id: `bench/${index}.png`,
      customId: true,
      creator: null,
      meta: { index },
      requireSignedURLs: false,
      uploaded: Date.UTC(2026, 0, 1) + index * 1000,
      draft: false,
      uploadExpires: null,
      filename: `${index}.png`,
      format: "png",
      bytes,
    };
  });
}

/** Serves `SERVED` images' bytes through `fetch` (each read whole, then dropped). */
async function serve(emulator: Emulator): Promise<void> {
  for (let i = 0; i < SERVED; i++) {
    const id = encodeURIComponent(`bench/${(i * 7919) % IMAGES}.png`);
    const response = await emulator.fetch(new Request(`http://bench/client/v4/accounts/bench/images/v1/${id}/blob`, { headers: { authorization: "Bearer bench" } }));
    if ((await response.arrayBuffer()).byteLength !== IMAGE_BYTES) throw new Error(`image ${id}: not ${IMAGE_BYTES} bytes`);
  }
}

/** Child mode: one store, measured. */
async function child(mode: Mode): Promise<Measured> {
  const dir = mode === "data" ? await mkdtemp(join(tmpdir(), "imgmeta-bench-memory-")) : undefined;
  const started = performance.now();
  try {
    let emulator = createEmulator({ dataDir: dir });
    await emulator.ready;
    const before = rssMb();
    for (let from = 0; from < IMAGES; from += BATCH) await emulator.addImages(batch(from));
    const added = rssMb();
    await serve(emulator);
    const served = rssMb();
    let restarted: number | undefined;
    if (dir !== undefined) {
      await emulator.close();
      emulator = createEmulator({ dataDir: dir });
      await emulator.ready;
      await serve(emulator);
      restarted = rssMb();
    }
    await emulator.close();
    return { before, added, served, ...(restarted !== undefined ? { restarted } : {}), seconds: (performance.now() - started) / 1000 };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

async function measure(mode: Mode): Promise<Measured> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--import", "tsx", "bench/figures/memory.ts", "child", mode], { cwd: ROOT, maxBuffer: 1 << 20 });
  return emitted<Measured>(stdout);
}

function row(subject: string, mb: number, note: string): Row {
  return { figure: FIGURE, subject, median: mb, p25: mb, p75: mb, unit: "MB", note };
}

const [command, mode] = process.argv.slice(2);
if (command === "child") {
  process.stdout.write(`${JSON.stringify(await child(mode as Mode))}\n`);
} else {
  const inMemory = await measure("memory");
  const onDisk = await measure("data");
  const took = (measured: Measured) => `the child took ${measured.seconds.toFixed(0)} s`;
  emit([
    row("in memory: before (empty store)", inMemory.before, "RSS after a full GC"),
    row("in memory: after adding", inMemory.added, `the bytes are held; ${took(inMemory)}`),
    row(`in memory: after serving ${SERVED} images`, inMemory.served, ""),
    row("--data (bytes on disk): before (empty store)", onDisk.before, ""),
    row("--data (bytes on disk): after adding", onDisk.added, `each blob written and fsynced, then dropped; ${took(onDisk)}`),
    row(`--data (bytes on disk): after serving ${SERVED} images`, onDisk.served, "each read from blobs/ and checked against its hash"),
    row("--data (bytes on disk): after a restart and serving again", onDisk.restarted ?? NaN, "start-up reads and checks every blob, one at a time, keeping none"),
  ]);
}
