/**
 * Run in a fresh process with a small stack (`--stack-size`), so that nothing is compiled yet (cold code
 * takes the most stack): every function on every shape nested exactly `NESTING_CEILING` deep, or
 * (`parse-only`) `parse` and `check` alone, then a plain parse. Prints the outcome of each as one line of JSON.
 */
import { format, parse } from "../../src/index.js";
import { NESTING_CEILING } from "../../src/syntax/guards.js";
import { FILTER_READERS, outcome, TEXT_READERS, TEXT_SHAPES, TREE_SHAPES } from "./nesting.js";

const parseOnly = process.argv[2] === "parse-only";
const results: Record<string, string> = {};
for (const [shape, make] of Object.entries(TEXT_SHAPES)) {
  const text = make(NESTING_CEILING);
  for (const [name, read] of Object.entries(TEXT_READERS)) {
    if (parseOnly && name !== "parse" && name !== "check") continue;
    results[`${name} on a ${shape} (text)`] = await outcome(() => read(text));
  }
}
if (!parseOnly) {
  for (const [shape, make] of Object.entries(TREE_SHAPES)) {
    const filter = make(NESTING_CEILING);
    for (const [name, read] of Object.entries(FILTER_READERS)) results[`${name} on a ${shape} (built)`] = await outcome(() => read(filter));
  }
}
// The parser is shared: after an overflow it caught, it must read the next text as if nothing happened.
results["parse after the others"] = await outcome(() => {
  if (format(parse("(a = 1) and not (b = 2 or c = 3)")) !== "a = 1 and not (b = 2 or c = 3)") throw new Error("read wrong");
});
console.log(JSON.stringify(results));
