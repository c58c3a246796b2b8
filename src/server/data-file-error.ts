/**
 * The error a data directory that cannot be used is reported with (through `Emulator.ready` and
 * `listen()`). A module of its own, free of Node imports, so that both builds of `imgmeta/server` can
 * export it.
 */

/** The stored data cannot be loaded, or the directory cannot be used: the message names the file (and line). */
export class DataFileError extends Error {
  /** The file (or directory) at fault. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "DataFileError";
    this.file = file;
  }
}
