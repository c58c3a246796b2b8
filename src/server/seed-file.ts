/**
 * Seed files (`imgmeta serve --seed-file images.json`, the `seedFile` option): read on Node, loaded on
 * demand; what they hold is checked by `seedRecords`.
 */
import { readFile } from "node:fs/promises";
import { RecordError } from "./record-error.js";

/**
 * The JSON value of a seed file.
 * @throws RecordError naming the file when it cannot be read or is not JSON.
 */
export async function readSeedFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new RecordError({ source: path, problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RecordError({ source: path, problem: `is not JSON (${(error as Error).message})` });
  }
}
