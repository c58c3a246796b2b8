/** `npm start`: the emulator with the command line's flags (see `serveCommand`), given after `npm start --`. */
import { serveCommand } from "./cli.js";

const code = await serveCommand(process.argv.slice(2), "npm start --");
if (code !== undefined) process.exitCode = code;
