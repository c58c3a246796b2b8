/**
 * `npm run grammar`: writes `grammar/diagrams.html` from the parser and checks `grammar/filter.ebnf`
 * against it, printing the rules that differ (the EBNF file is written by hand, with its comments).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { diagramsHtml, ebnfRules, readEbnf } from "./grammar.js";

const ebnfPath = new URL("../grammar/filter.ebnf", import.meta.url);
const written = readEbnf(readFileSync(ebnfPath, "utf8"));
let drift = 0;
for (const [name, rule] of ebnfRules()) {
  if (written.get(name) !== rule) {
    drift++;
    console.log(`grammar/filter.ebnf should say:\n  ${rule}\nbut says:\n  ${written.get(name) ?? "(nothing)"}\n`);
  }
}
writeFileSync(new URL("../grammar/diagrams.html", import.meta.url), diagramsHtml());
console.log(`wrote grammar/diagrams.html; ${drift === 0 ? "grammar/filter.ebnf matches the parser" : `${drift} rule(s) of grammar/filter.ebnf differ`}`);
process.exitCode = drift === 0 ? 0 : 1;
