/**
 * One process per data directory: `DIR/lock` holds the pid of the emulator using it. Two emulators on one
 * directory would interleave their logs and remove each other's new blobs at start-up, so the second is
 * refused. A lock left by a process that died (kill -9, a crash) is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

const LOCK_FILE = "lock";

/** Why a data directory could not be locked (the caller turns it into its own error). */
export interface LockRefusal {
  readonly file: string;
  readonly message: string;
}

/** A held lock: `release` removes the file (only if it is still ours). */
export interface DataLock {
  release(): Promise<void>;
}

/**
 * Takes the lock of `dir`, or says who holds it.
 * @returns the lock, or a refusal when a living process (this one included) holds it.
 */
export async function lockDataDir(dir: string): Promise<DataLock | LockRefusal> {
  const file = join(dir, LOCK_FILE);
  const mine = `${process.pid}\n`;
  // Two tries: the second after removing a lock whose process is gone.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(mine);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return {
        async release() {
          const held = await readFile(file, "utf8").catch(() => undefined);
          if (held === mine) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        return { file, message: `cannot be created (${(error as NodeJS.ErrnoException).code ?? "error"})` };
      }
    }
    const holder = Number.parseInt((await readFile(file, "utf8").catch(() => "")).trim(), 10);
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      const who = holder === process.pid ? "another emulator in this process" : `process ${holder}`;
      return {
        file,
        message: `shows that ${who} is using ${dir}; only one emulator may use a data directory at a time (stop the other one; if process ${holder} is not an emulator, delete this file)`,
      };
    }
    // Left by a process that is gone (or unreadable: a crash while it was written): take it over.
    await rm(file, { force: true });
  }
  return { file, message: `was taken by another process while this one started; only one emulator may use ${dir} at a time` };
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
