/**
 * The emulator's readers of files: opening a data directory (replaying its log), and the seed.
 *
 * The data directories live on a memory file system where there is one (`/dev/shm`), so that the
 * figure measures the reader, not the disk's fsync: writing the logs takes thousands of acknowledged
 * writes, and opening one is what is timed.
 *
 * SEED FILES: no seed-file reader exists yet (`imgmeta serve --seed-file` is issue 18). When it lands,
 * its rows go here, like the data directory's: a file of n and 10·n images, well-formed, and damaged
 * ones that are refused (time to the refusal).
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { server } from "../server-lib.js";
import { count, type Shape } from "./measure.js";

const { createEmulator, demoImages } = server;

/** Log lines of the smaller data directory; the larger has 10 times as many. */
const LINES = 500;
/**
 * Demo images of the smaller seed (the README's example seeds 300). Every image made is kept until the
 * call returns, so a young generation full of live images is what the larger seeds measure: at 1,000 →
 * 10,000 images, `demoImages` read 27–33×, and 9× with a young generation large enough that no
 * collection ran during a call (`node --min-semi-space-size=256`), for the same code.
 */
const SEED = 100;

/**
 * Writes a data directory whose log has `lines` lines: 60% uploads of new images and 40% changes to
 * images already there (so that start-up does not compact it), one acknowledged write per line. The
 * images share one file, so that opening reads the log and one blob.
 */
async function writeDataDir(dir: string, lines: number): Promise<void> {
  const emulator = createEmulator({ dataDir: dir });
  await emulator.ready;
  const [card] = demoImages(1);
  const uploads = Math.ceil(lines * 0.6);
  const images = demoImages(uploads).map((image) => ({ ...image, format: card!.format, bytes: card!.bytes }));
  const writes: Promise<void>[] = images.map((image) => emulator.addImages([image]));
  for (let i = 0; writes.length < lines; i++) {
    const image = images[i % uploads]!;
    writes.push(emulator.addImages([{ ...image, meta: { ...image.meta, changed: i } }]));
  }
  await Promise.all(writes);
  await emulator.close();
}

/** A copy of `dir` whose log has one byte changed in its last line but one: a damage start-up must refuse. */
async function damagedCopy(dir: string, to: string): Promise<void> {
  await cp(dir, to, { recursive: true });
  const log = join(to, "images.log");
  const text = await readFile(log, "latin1");
  const lastButOne = text.lastIndexOf("\n", text.lastIndexOf("\n", text.length - 2) - 1) + 1;
  const at = lastButOne + Math.floor((text.indexOf("\n", lastButOne) - lastButOne) / 2);
  const handle = await open(log, "r+");
  try {
    await handle.write(Buffer.from([text.charCodeAt(at) ^ 1]), 0, 1, at);
  } finally {
    await handle.close();
  }
}

/** Opens a data directory and closes it; whether it could be opened. */
async function openDataDir(dir: string): Promise<boolean> {
  const emulator = createEmulator({ dataDir: dir });
  const opened = await emulator.ready.then(
    () => true,
    () => false,
  );
  await emulator.close();
  return opened;
}

/** The rows of the data directory and the seed, and what to remove once measured. */
export async function fileShapes(): Promise<{ shapes: Shape[]; close: () => Promise<void> }> {
  const root = await mkdtemp(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "imgmeta-linearity-"));
  const close = () => rm(root, { recursive: true, force: true });
  const sizes = [LINES, LINES * 10] as const;
  const dirs = sizes.map((lines) => join(root, `log-${lines}`));
  const damaged = sizes.map((lines) => join(root, `damaged-${lines}`));
  try {
    for (const [i, lines] of sizes.entries()) {
      await writeDataDir(dirs[i]!, lines);
      await damagedCopy(dirs[i]!, damaged[i]!);
      if (!(await openDataDir(dirs[i]!)) || (await openDataDir(damaged[i]!))) throw new Error(`the data directories of ${lines} lines are not as meant`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const seeded = async (n: number): Promise<void> => {
    const emulator = createEmulator({ seed: n });
    await emulator.ready;
    await emulator.close();
  };
  const shapes: Shape[] = [
    {
      subject: "data directory: opening it",
      sizes: `${count(LINES)} → ${count(LINES * 10)} log lines`,
      small: () => openDataDir(dirs[0]!),
      large: () => openDataDir(dirs[1]!),
    },
    {
      subject: "data directory: a damaged line near the end (refused)",
      sizes: `${count(LINES)} → ${count(LINES * 10)} log lines`,
      small: () => openDataDir(damaged[0]!),
      large: () => openDataDir(damaged[1]!),
    },
    { subject: "seed: demoImages(n)", sizes: `${count(SEED)} → ${count(SEED * 10)} images`, small: () => demoImages(SEED), large: () => demoImages(SEED * 10) },
    { subject: "seed: --seed n, createEmulator({ seed: n }) until ready", sizes: `${count(SEED)} → ${count(SEED * 10)} images`, small: () => seeded(SEED), large: () => seeded(SEED * 10) },
  ];
  return { shapes, close };
}
