/** `npm start`: the emulator with the command line's flags (see `serveCommand`). */
import { serveCommand } from "./cli.js";

await serveCommand(process.argv.slice(2));
