/**
 * The emulator's readers of files: opening a data directory (replaying its log), the seed (demo images
 * and seed files), and an import of the whole store (`importStore`, `POST /_imgmeta/import`): each at n
 * and 10·n, well-formed, and damaged near the end so that it is refused (timed to the refusal).
 *
 * The files live on a memory file system where there is one (`/dev/shm`), so that the figure measures
 * the reader, not the disk's fsync: writing the logs takes thousands of acknowledged writes, and opening
 * one is what is timed.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
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

/** A seed file of `n` images as List V2 shows them (placeholder bytes), and one whose last entry is bad. */
async function writeSeedFiles(dir: string, n: number): Promise<{ good: string; bad: string }> {
  const entries = demoImages(n).map((image) => ({ id: image.id, creator: image.creator ?? null, meta: image.meta, uploaded: new Date(image.uploaded).toISOString() }));
  const good = join(dir, `seed-${n}.json`);
  const bad = join(dir, `seed-${n}-bad.json`);
  await writeFile(good, JSON.stringify(entries));
  await writeFile(bad, JSON.stringify([...entries.slice(0, -1), { ...entries.at(-1), uploaded: "yesterday" }]));
  return { good, bad };
}

/** Starts an emulator from a seed file and closes it; whether the seed was read. */
async function seedFrom(seedFile: string): Promise<boolean> {
  const emulator = createEmulator({ seedFile });
  const read = await emulator.ready.then(
    () => true,
    () => false,
  );
  await emulator.close();
  return read;
}

/** An export of `n` demo images, and the same with its last line damaged. */
async function exports(n: number): Promise<{ good: string; bad: string }> {
  const emulator = createEmulator({ seed: n });
  await emulator.ready;
  const good = await new Response(await emulator.exportStore()).text();
  await emulator.close();
  const last = good.lastIndexOf("\n", good.length - 2) + 1;
  return { good, bad: `${good.slice(0, last)}{"id":${good.slice(last)}` };
}

/** Imports an export into a fresh emulator; whether it was taken. */
async function importInto(data: string): Promise<boolean> {
  const emulator = createEmulator({ seed: 0 });
  const taken = await emulator.importStore(data).then(
    () => true,
    () => false,
  );
  await emulator.close();
  return taken;
}

/** The rows of the data directory, the seed and the import, and what to remove once measured. */
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
  const seedFiles = [await writeSeedFiles(root, SEED), await writeSeedFiles(root, SEED * 10)];
  const exported = [await exports(SEED), await exports(SEED * 10)];
  for (const [i, files] of seedFiles.entries()) {
    if (!(await seedFrom(files.good)) || (await seedFrom(files.bad))) throw new Error("the seed files are not as meant");
    if (!(await importInto(exported[i]!.good)) || (await importInto(exported[i]!.bad))) throw new Error("the exports are not as meant");
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
    {
      subject: "seed file: --seed-file of n images until ready",
      sizes: `${count(SEED)} → ${count(SEED * 10)} images`,
      small: () => seedFrom(seedFiles[0]!.good),
      large: () => seedFrom(seedFiles[1]!.good),
    },
    {
      subject: "seed file: its last entry bad (refused)",
      sizes: `${count(SEED)} → ${count(SEED * 10)} images`,
      small: () => seedFrom(seedFiles[0]!.bad),
      large: () => seedFrom(seedFiles[1]!.bad),
    },
    {
      subject: "import: an export of n images",
      sizes: `${count(SEED)} → ${count(SEED * 10)} images`,
      small: () => importInto(exported[0]!.good),
      large: () => importInto(exported[1]!.good),
    },
    {
      subject: "import: its last line damaged (refused)",
      sizes: `${count(SEED)} → ${count(SEED * 10)} images`,
      small: () => importInto(exported[0]!.bad),
      large: () => importInto(exported[1]!.bad),
    },
  ];
  return { shapes, close };
}
