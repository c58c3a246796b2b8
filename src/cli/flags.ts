/**
 * Command-line flags, read strictly by Node's `parseArgs`, with a mistake told in one plain line
 * (`unknown flag --perpage; did you mean --per-page?`) instead of Node's message, which suggests putting
 * the flag after `--`. Shared by `imgmeta` and `imgmeta serve` (which `npm start` also runs); it imports
 * nothing of the package.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Flags a command takes, as `parseArgs` declares them. */
export type FlagSpecs = NonNullable<ParseArgsConfig["options"]>;

/** A command line the command cannot use; its message is one line, for `imgmeta <command>: <message>`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** What {@link readFlags} read: each flag's value, and the arguments that are not flags. */
export interface ReadFlags {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Reads `argv` as `parseArgs` does in strict mode.
 * @throws UsageError for an unknown flag (naming the closest known one), a flag without its value, a value
 *   given to a flag that takes none, or an argument where the command takes none.
 */
export function readFlags(argv: readonly string[], options: FlagSpecs, allowPositionals: boolean): ReadFlags {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    if (!(error instanceof TypeError) || !String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS")) throw error;
    throw new UsageError(describeMistake(argv, options, allowPositionals) ?? error.message.split("\n")[0]!);
  }
}

/** The first mistake in `argv`, read again leniently so that its tokens say which flag it is. */
function describeMistake(argv: readonly string[], options: FlagSpecs, allowPositionals: boolean): string | undefined {
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === "positional" && !allowPositionals) return `unexpected argument ${JSON.stringify(token.value)}`;
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (spec === undefined) {
      const known = Object.entries(options).flatMap(([name, { short }]) => [`--${name}`, ...(short === undefined ? [] : [`-${short}`])]);
      const closest = closestName(token.rawName, known);
      return `unknown flag ${token.rawName}${closest === undefined ? "" : `; did you mean ${closest}?`}`;
    }
    if (spec.type === "boolean" && token.value !== undefined) return `${token.rawName} takes no value`;
    // Strict parsing refuses a value that looks like a flag (`--port --host`) unless written `--port=--host`.
    if (spec.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) return `${token.rawName} needs a value`;
  }
  return undefined;
}

/**
 * The known flag or command closest to `word`, when it is a plausible typo: at most one edit in three
 * characters (insertions, deletions, substitutions, swaps of neighbours), leading dashes aside, so
 * `--perpage` finds `--per-page`, `--prot` finds `--port` and `compil` finds `compile`.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const name = word.replace(/^-+/, "");
  // One or two letters are too few to tell a typo from another flag; a long paste is no typo.
  if (name.length < 3 || name.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.replace(/^-+/, "").toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
