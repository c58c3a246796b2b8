/**
 * listen() on Node starts the requests it reads one per turn of the event loop, in arrival order, so
 * that connections still waiting to be accepted (libuv accepts one per turn) are not starved: see
 * `OnePerTurn` in src/server/one-per-turn.ts.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { expect, it } from "vitest";
import { OnePerTurn } from "../../src/server/one-per-turn.js";

it("starts one waiting request per turn of the event loop, first come first started", async () => {
  const turns = new OnePerTurn();
  const started: number[] = [];
  const answers = [0, 1, 2, 3].map((i) => turns.run(() => (started.push(i), Promise.resolve(new Response(String(i))))));
  expect(started).toEqual([]); // nothing starts in the turn the requests were read in
  await nextTurn();
  expect(started).toEqual([0]);
  await nextTurn();
  expect(started).toEqual([0, 1]);
  await Promise.all(answers.slice(0, 2));
  await nextTurn();
  await nextTurn();
  expect(started).toEqual([0, 1, 2, 3]);
  expect(await Promise.all(answers.map(async (answer) => (await answer).text()))).toEqual(["0", "1", "2", "3"]);
});

it("starts every waiting request at once when flushed (the server is closing)", async () => {
  const turns = new OnePerTurn();
  const started: number[] = [];
  const answers = [0, 1, 2].map((i) => turns.run(() => (started.push(i), Promise.resolve(new Response(String(i))))));
  turns.flush();
  expect(started).toEqual([0, 1, 2]);
  await Promise.all(answers);
  await nextTurn(); // the turn scheduled before the flush finds nothing left to start
  expect(started).toEqual([0, 1, 2]);
  turns.run(() => (started.push(3), Promise.resolve(new Response("3"))));
  await nextTurn();
  expect(started).toEqual([0, 1, 2, 3]);
});
