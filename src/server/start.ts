/** `npm start`: the emulator with the command line's flags (see `serveCommand`). */
import { serveCommand } from "./cli.js";

const code = await serveCommand(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
