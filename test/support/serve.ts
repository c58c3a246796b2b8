/**
 * `imgmeta serve` from the sources, as a child process on a free port, for tests that talk to it over
 * HTTP; stopped by its process id when the test is done (killed if it never listens).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A `serve` process running until stopped: its URL once the banner is out, and what it printed. */
export interface Serving {
  readonly url: string;
  output(): string;
  /** SIGTERM, then what it printed by the time it exited. */
  stop(): Promise<string>;
}

/**
 * Starts `imgmeta serve --port 0 …`; killed (SIGKILL) if it prints no URL within 15 s, or does not exit
 * within 10 s of being stopped.
 */
export async function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "serve", "--port", "0", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const look = () => {
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      };
      child.stdout.on("data", look);
      void exited.then(() => reject(new Error(`serve exited before listening: ${stderr}`)));
    });
    clearTimeout(kill);
    return {
      url,
      output: () => stdout,
      async stop() {
        child.kill("SIGTERM");
        const stuck = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(stuck);
        return stdout;
      },
    };
  } catch (error) {
    clearTimeout(kill);
    child.kill("SIGKILL");
    throw error;
  }
}
