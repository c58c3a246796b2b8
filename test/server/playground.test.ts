/**
 * The playground's server side and its schema inference (the page itself is tested in a browser by
 * test/e2e/playground.test.ts).
 */
import { describe, expect, it } from "vitest";
import { inferSchema } from "../../src/playground/schema.js";
import { createEmulator } from "../../src/server/index.js";

describe("the playground route", () => {
  it("serves the page given at /", async () => {
    const emulator = createEmulator({ playground: "<!doctype html><title>p</title>" });
    const response = await emulator.fetch(new Request("http://emulator.test/"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toBe("<!doctype html><title>p</title>");
    await emulator.close();
  });
});

describe("inferSchema", () => {
  it("finds every path to a scalar, its usual type, and small enums", () => {
    const schema = inferSchema([
      { status: "active", priority: 1, region: { name: "eu" }, enabled: true, tags: ["a"] },
      { status: "pending", priority: "2", region: { name: "us" }, "a.b": 1 },
      { status: "active", priority: 3, enabled: false },
      null,
      "not an object",
    ]);
    expect(schema).toEqual({
      enabled: { type: "boolean" },
      priority: { type: "number", values: [1, 3], description: "2 values seen" },
      "region.name": { type: "string", values: ["eu", "us"], description: "2 values seen" },
      status: { type: "string", values: ["active", "pending"], description: "2 values seen" },
    });
  });

  it("leaves out the values of fields with many of them", () => {
    const schema = inferSchema(Array.from({ length: 50 }, (_, i) => ({ id: `image-${i}` })));
    expect(schema).toEqual({ id: { type: "string" } });
  });
});
