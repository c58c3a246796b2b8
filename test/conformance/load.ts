/**
 * Reads the conformance table's JSON files on Node: `images.json` and every `cases/*.json`, in name
 * order. A new case is one more entry in a file (or one more file), never new code.
 */
import { readdirSync, readFileSync } from "node:fs";
import { readTable, type Table, type TableFile } from "./table.js";

const HERE = new URL("./", import.meta.url);

/** The table's files as text, for runtimes that read them with `readTable` themselves. */
export function tableFiles(): TableFile[] {
  const cases = readdirSync(new URL("cases/", HERE))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => `cases/${name}`);
  return ["images.json", ...cases].map((name) => ({ name, text: readFileSync(new URL(name, HERE), "utf8") }));
}

let table: Table | undefined;

/** The table, read once per process. */
export function loadTable(): Table {
  table ??= readTable(tableFiles());
  return table;
}
