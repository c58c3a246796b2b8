/**
 * The layers of imgmeta, enforced (`npm run lint:deps`, run by `.ci/run`). Data flows one way:
 *
 *   syntax  →  semantics  →  assist / targets  →  integrations  →  entry points  →  server, cli, playground
 *
 * A module may import from its own layer and the layers to its left, never to its right. Exceptions are
 * named here with their reason:
 * - the playground page imports the emulator's playground contract (`src/server/playground-contract.ts`:
 *   the route that tells the page which account to list, and the page's address with a token), which
 *   imports nothing: it is the API between the two, like the REST API the page then calls;
 * - the emulator's `serve` command reads its flags with the CLI's flag reader (`src/cli/flags.ts`: Node's
 *   parseArgs with one-line messages that name the closest flag), which imports nothing of the package:
 *   `imgmeta serve` and `npm start` tell a mistyped flag as every other command does.
 */

/** Folders (under src/) of each layer. */
const SYNTAX = "^src/syntax/";
const SEMANTICS = "^src/semantics/";
const ASSIST = "^src/assist/";
const TARGETS = "^src/targets/";
const INTEGRATIONS = "^src/integrations/";
/** The package's public entry points (package.json "exports"), and the one text-or-filter opening. */
const ENTRY_POINTS = "^src/(index|sql|sql-node|sql-api|integrations|input|parse)\\.ts$";
const APPLICATIONS = "^src/(server|cli|playground|codemirror)/";

/** `from` may import only what `allowed` matches (besides itself and packages). */
function only(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: from },
    to: { path: "^src/", pathNot: [...allowed, from] },
  };
}

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "A cycle makes two modules one concern in two files: break it by moving what both need down a layer.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    only(
      "syntax-depends-on-nothing",
      SYNTAX,
      [],
      "Reading and writing the language (tokens, parser, AST, issues, format) knows nothing of what a filter means or where it goes.",
    ),
    only(
      "semantics-on-syntax",
      SEMANTICS,
      [SYNTAX],
      "What a filter matches and what the API accepts are defined on the AST, for every target alike.",
    ),
    only("assist-on-syntax-and-semantics", ASSIST, [SYNTAX, SEMANTICS], "Completions and highlighting read the text and the field schema, nothing of the targets."),
    only(
      "targets-on-syntax-and-semantics",
      TARGETS,
      [SYNTAX, SEMANTICS],
      "A target compiles a Filter, never text, and never through another target's internals: what two targets share belongs to semantics.",
    ),
    {
      name: "targets-do-not-import-each-other",
      comment:
        "A target's own layer is no licence to use another target: each compiles a Filter by itself, and what two share belongs to semantics (the rule above lets a layer import its own folder).",
      severity: "error",
      from: { path: "^src/targets/([^/]+)\\.ts$" },
      to: { path: "^src/targets/", pathNot: ["^src/targets/$1\\.ts$"] },
    },
    only("integrations-on-targets", INTEGRATIONS, [SYNTAX, SEMANTICS, TARGETS], "Integrations drive the targets; they do not parse text (the entry points do)."),
    only(
      "entry-points-on-the-layers",
      ENTRY_POINTS,
      [SYNTAX, SEMANTICS, ASSIST, TARGETS, INTEGRATIONS, ENTRY_POINTS],
      "Entry points turn text into a Filter once and hand it to the layers.",
    ),
    {
      name: "applications-on-entry-points",
      comment: "The emulator, the CLI, the playground and the search box use the package as its users do: through its public entry points.",
      severity: "error",
      from: { path: APPLICATIONS },
      to: { path: "^src/", pathNot: [ENTRY_POINTS, "^src/$1/", "^src/server/playground-contract\\.ts$", "^src/codemirror/index\\.ts$", "^src/cli/flags\\.ts$"] },
    },
    {
      name: "applications-do-not-import-each-other",
      comment: "The server, the CLI, the playground and the search box are separate programs; the CLI loads the server only for `serve`, through its entry point.",
      severity: "error",
      from: { path: "^src/(server|cli|playground|codemirror)/" },
      to: {
        path: "^src/(server|cli|playground|codemirror)/",
        pathNot: ["^src/$1/", "^src/server/index\\.ts$", "^src/codemirror/index\\.ts$", "^src/server/playground-contract\\.ts$", "^src/cli/flags\\.ts$"],
      },
    },
    {
      name: "no-orphans",
      comment: "A module nothing imports is dead code or a forgotten entry point.",
      severity: "error",
      from: { orphan: true, path: "^src/", pathNot: ["\\.d\\.ts$", "^src/(cli|server/start)\\.ts$"] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "^(test|bench|scripts|dist)/" },
  },
};
