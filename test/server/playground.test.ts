/**
 * The playground's server side and its schema inference (the page itself is tested in a browser by
 * test/e2e/playground.test.ts).
 */
import { describe, expect, it } from "vitest";
import {
  adoptFragmentToken,
  authorization,
  CONFIG_PATH,
  forgetToken,
  listUrl,
  loadConfig,
  playgroundUrl,
  splitFragment,
  storedToken,
  type PageWindow,
} from "../../src/playground/access.js";
import { inferSchema } from "../../src/playground/schema.js";
import { banner, parseServeArgs } from "../../src/server/cli.js";
import { createEmulator } from "../../src/server/index.js";

const PAGE = "<!doctype html><title>p</title>";
const TOKEN = "s3cret+token/with=";

describe("the playground route", () => {
  it("serves the page given at /", async () => {
    const emulator = createEmulator({ playground: PAGE });
    const response = await emulator.fetch(new Request("http://emulator.test/"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toBe("<!doctype html><title>p</title>");
    await emulator.close();
  });

  it("tells the page the account to list and whether a token is needed, without credentials and never the token", async () => {
    const cases = [
      [{}, { accountId: "playground", tokenRequired: false }],
      [{ accountId: "acct-1" }, { accountId: "acct-1", tokenRequired: false }],
      [{ token: TOKEN }, { accountId: "playground", tokenRequired: true }],
      [{ token: TOKEN, accountId: "acct-1" }, { accountId: "acct-1", tokenRequired: true }],
    ] as const;
    for (const [options, expected] of cases) {
      const emulator = createEmulator({ ...options, playground: PAGE });
      const config = await emulator.fetch(new Request(`http://emulator.test${CONFIG_PATH}`));
      expect(config.status).toBe(200);
      const text = await config.text();
      expect(JSON.parse(text)).toEqual(expected);
      expect(text).not.toContain("s3cret");
      expect(await (await emulator.fetch(new Request("http://emulator.test/"))).text()).toBe(PAGE);
      await emulator.close();
    }
  });

  it("lists with what the page sends, in each case (a token given in the fragment, another account)", async () => {
    for (const options of [{}, { accountId: "acct-1" }, { token: TOKEN }, { token: TOKEN, accountId: "acct-1" }]) {
      const emulator = createEmulator({ ...options, seed: 12, playground: PAGE });
      const fetchHere = ((input: string) => emulator.fetch(new Request(`http://emulator.test${input}`))) as typeof fetch;
      const config = await loadConfig(fetchHere);
      const token = config.tokenRequired ? splitFragment(new URL(playgroundUrl("http://x", options.token)).hash).token : undefined;
      const response = await emulator.fetch(
        new Request(`http://emulator.test${listUrl(config, new URLSearchParams({ per_page: "10" }))}`, { headers: { authorization: authorization(config, token) } }),
      );
      expect([JSON.stringify(options), response.status]).toEqual([JSON.stringify(options), 200]);
      expect(((await response.json()) as { result: { images: unknown[] } }).result.images).toHaveLength(10);
      await emulator.close();
    }
  });

  it("has no config route without the page", async () => {
    const emulator = createEmulator({ token: TOKEN });
    expect((await emulator.fetch(new Request(`http://emulator.test${CONFIG_PATH}`))).status).toBe(404);
    await emulator.close();
  });
});

describe("the playground's access (access.ts)", () => {
  it("the banner sends to the playground with the token in the fragment, and only then", () => {
    expect(banner("http://127.0.0.1:8787", parseServeArgs(["--token", TOKEN]))).toContain(`playground: http://127.0.0.1:8787/#token=${encodeURIComponent(TOKEN)}\n`);
    expect(banner("http://127.0.0.1:8787", parseServeArgs(["--account", "acct-1"]))).toContain("playground: http://127.0.0.1:8787/\n");
  });

  it("reads the token from the fragment as it was written: percent-decoded, a + kept", () => {
    expect(splitFragment(new URL(playgroundUrl("http://x", TOKEN)).hash)).toEqual({ token: TOKEN, rest: "" });
    expect(splitFragment("#token=a+b")).toEqual({ token: "a+b", rest: "" });
    expect(splitFragment("#q=1&token=t&x")).toEqual({ token: "t", rest: "q=1&x" });
    expect(splitFragment("#token=")).toEqual({ token: undefined, rest: "" });
    expect(splitFragment("#token=%zz")).toEqual({ token: undefined, rest: "" });
    expect(splitFragment("")).toEqual({ token: undefined, rest: "" });
  });

  it("moves the token into session storage and out of the address bar, keeping the rest of the address", () => {
    const page = fakePage(`http://127.0.0.1:8787/?q=a%3D1#token=${encodeURIComponent(TOKEN)}`);
    adoptFragmentToken(page);
    expect(storedToken(page.sessionStorage)).toBe(TOKEN);
    expect(page.replaced).toEqual(["http://127.0.0.1:8787/?q=a%3D1"]);
    forgetToken(page.sessionStorage);
    expect(storedToken(page.sessionStorage)).toBeUndefined();

    const plain = fakePage("http://127.0.0.1:8787/#other");
    adoptFragmentToken(plain);
    expect(plain.replaced).toEqual([]); // nothing to take out
    expect(storedToken(plain.sessionStorage)).toBeUndefined();
  });

  it("sends any token when none is needed, and the one given when one is", () => {
    expect(authorization({ accountId: "a", tokenRequired: false }, undefined)).toBe("Bearer playground");
    expect(authorization({ accountId: "a", tokenRequired: false }, "ignored")).toBe("Bearer playground");
    expect(authorization({ accountId: "a", tokenRequired: true }, TOKEN)).toBe(`Bearer ${TOKEN}`);
    expect(listUrl({ accountId: "a/b", tokenRequired: false }, new URLSearchParams({ per_page: "10" }))).toBe("/client/v4/accounts/a%2Fb/images/v2?per_page=10");
  });
});

/** A window with an address, a history that records replaceState, and a session storage. */
function fakePage(href: string): PageWindow & { replaced: string[] } {
  const items = new Map<string, string>();
  const replaced: string[] = [];
  return {
    location: { href, hash: new URL(href).hash },
    history: { replaceState: (_data, _unused, url) => void replaced.push(url) },
    sessionStorage: {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    },
    replaced,
  };
}

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

  it("counts one value in the singular", () => {
    expect(inferSchema([{ kind: "photo" }])).toEqual({ kind: { type: "string", values: ["photo"], description: "1 value seen" } });
  });

  it("leaves out the values of fields with many of them", () => {
    const schema = inferSchema(Array.from({ length: 50 }, (_, i) => ({ id: `image-${i}` })));
    expect(schema).toEqual({ id: { type: "string" } });
  });
});
