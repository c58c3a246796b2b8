/**
 * Child of `test/server/direct-answer.test.ts` (run with `node --import tsx`): another node-server in the
 * process, started with default options, makes its lightweight `Response` class the global one before
 * the emulator is first asked to listen. List pages must still arrive whole. Prints one JSON line.
 */
import { request } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createEmulator, demoImages } from "../../src/server/index.js";

const platform = globalThis.Response;
// node-server reports a failure to answer with console.error (and then destroys the socket).
let errors = 0;
console.error = () => void errors++;
getRequestListener(() => new Response("another app")); // what `serve()` does to the globals
const emulator = createEmulator();
await emulator.addImages(demoImages(30));
const { url } = await emulator.listen({ port: 0 });
const path = "/client/v4/accounts/acc/images/v2?per_page=20";
const overHttp = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
  const req = request(`${url}${path}`, { headers: { authorization: "Bearer x" } }, (res) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
  });
  req.on("error", reject);
  req.end();
});
const expected = Buffer.from(await (await emulator.fetch(new Request(`${url}${path}`, { headers: { authorization: "Bearer x" } }))).arrayBuffer());
await emulator.close();
process.stdout.write(
  `${JSON.stringify({ overridden: globalThis.Response !== platform, status: overHttp.status, same: overHttp.body.equals(expected), bytes: overHttp.body.length, errors })}\n`,
);
