/**
 * Figure: linear time, for every reader of untrusted input. Each shape of input is read at n and at
 * 10·n; a ratio near 10 is linear (a quadratic step would show ~100), and well below 10 means a fixed
 * cost dominates (a limit refuses the input early, or the request's own overhead outweighs its body).
 *
 * The readers, in `bench/linearity/`: filter text and query strings (`library.ts`); the emulator's
 * request bodies, multipart fields, uploaded files and list queries (`emulator.ts`); its data directory
 * and its seed (`files.ts`, which has the place for the seed-file reader that does not exist yet). Each
 * reads well-formed input and the malformed shapes of issue 14, and every shape is checked once to be
 * read or refused as its name says, so that a row cannot silently measure an early refusal instead.
 *
 * `npx tsx bench/figures/linearity.ts [words…]` measures only the rows whose subject holds one of the words.
 */
import { emit, type Row } from "../harness.js";
import { emulatorShapes } from "../linearity/emulator.js";
import { fileShapes } from "../linearity/files.js";
import { filterTextShapes, queryStringShapes } from "../linearity/library.js";
import { measureRatio, type Shape } from "../linearity/measure.js";

/** Milliseconds of timing per row (both sizes, every turn). */
const BUDGET_MS = 200;

const only = process.argv.slice(2);
const emulator = await emulatorShapes();
const files = await fileShapes();
const shapes: Shape[] = [...filterTextShapes(), ...queryStringShapes(), ...emulator.shapes, ...files.shapes].filter((shape) => only.length === 0 || only.some((word) => shape.subject.includes(word)));
const rows: Row[] = [];
try {
  for (const shape of shapes) rows.push(await measureRatio(shape, BUDGET_MS));
} finally {
  await emulator.close();
  await files.close();
}
emit(rows);
