/**
 * The README's examples, read from its fenced code blocks, so that tests run them as written.
 *
 * What counts as an example (the "marker" is the command itself):
 * - in a `sh` block, a line that runs the CLI (`npx imgmeta …`, `… | npx imgmeta …`) or `npm start`, and a
 *   line that starts with `curl `. A comment `# → TEXT` states what the command prints on stdout; `exit N`
 *   in the comment states its exit code (0 otherwise).
 * - in a `console` block, a line `$ COMMAND`, followed by what it prints (stdout and stderr together) up to
 *   the next `$ ` line or the end of the block.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

/** A fenced code block: its info string (`sh`, `console`, …), its first line's number, its lines. */
export interface CodeBlock {
  readonly info: string;
  readonly line: number;
  readonly lines: readonly string[];
}

/** Every fenced code block of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.startsWith("```")) end++;
    blocks.push({ info: open[1]!, line: start + 1, lines: lines.slice(start, end) });
    i = end;
  }
  return blocks;
}

/** A command of the README, and what the README says it does. */
export interface Example {
  /** Its line in the README (1-based). */
  readonly line: number;
  /** The command as written (a `sh` line whole, comment included: the shell ignores it). */
  readonly command: string;
  /** What it prints, where the README says: stdout for a `sh` line, stdout and stderr for a transcript. */
  readonly output?: string;
  /** Whether `output` is stdout alone (`sh`) or both streams (`console`). */
  readonly streams: "stdout" | "both";
  /** The exit code the README states for a `sh` line (0 unless its comment says `exit N`); none for a transcript. */
  readonly exitCode?: number;
}

/** The text of a command before its `# …` comment (a `#` after a space), and the comment. */
export function splitComment(line: string): { command: string; comment: string } {
  const at = line.search(/\s#\s/);
  return at < 0 ? { command: line.trimEnd(), comment: "" } : { command: line.slice(0, at).trimEnd(), comment: line.slice(at).replace(/^\s#\s/, "") };
}

function fromShLine(line: string, at: number): Example {
  const { comment } = splitComment(line);
  const stated = /^→ (.*)$/.exec(comment);
  const exit = /\bexit (\d+)\b/.exec(comment);
  return { line: at, command: line, streams: "stdout", exitCode: exit ? Number(exit[1]) : 0, ...(stated ? { output: stated[1]!.trimEnd() } : {}) };
}

/** The examples of `sh` and `console` blocks whose command `isExample` picks. */
export function examples(markdown: string, isExample: (command: string) => boolean): Example[] {
  const found: Example[] = [];
  for (const block of codeBlocks(markdown)) {
    if (block.info === "sh") {
      block.lines.forEach((line, i) => {
        if (isExample(splitComment(line).command)) found.push(fromShLine(line, block.line + i));
      });
    } else if (block.info === "console") {
      block.lines.forEach((line, i) => {
        if (!line.startsWith("$ ") || !isExample(line.slice(2))) return;
        const output: string[] = [];
        for (let j = i + 1; j < block.lines.length && !block.lines[j]!.startsWith("$ "); j++) output.push(block.lines[j]!);
        found.push({ line: block.line + i, command: line.slice(2), output: output.join("\n"), streams: "both" });
      });
    }
  }
  return found;
}

/** Whether a command runs the CLI or the emulator (`npx imgmeta …`, `… | npx imgmeta …`, `npm start …`). */
export function isCliExample(command: string): boolean {
  return /^npx imgmeta\b|\| npx imgmeta\b|^npm start\b/.test(command);
}

/** Whether a CLI example starts a server that runs until stopped (`npm start`, `imgmeta serve` but its `--help`). */
export function isServer(command: string): boolean {
  return /^npm start\b/.test(command) || (/\bimgmeta serve\b/.test(command) && !/\s(--help|-h)\b/.test(command));
}

/**
 * A server example made to listen on a free port: its `--port N` becomes `--port 0`, or `--port 0` is
 * added (after `--` for `npm start`); its comment is dropped.
 */
export function onFreePort(command: string): string {
  const bare = splitComment(command).command;
  if (/--port[ =]\d+/.test(bare)) return bare.replace(/--port[ =]\d+/, "--port 0");
  return /^npm start$/.test(bare) ? `${bare} -- --port 0` : `${bare} --port 0`;
}

/** The README of a checkout. */
export function readme(root: string): string {
  return readFileSync(join(root, "README.md"), "utf8");
}

/** What a shell command printed, and its exit code. */
export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `script` in bash, as a README line is run; killed (SIGKILL) after `timeout` ms. */
export async function runShell(script: string, options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeout: number }): Promise<ShellResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)("bash", ["-c", script], { ...options, killSignal: "SIGKILL" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}
