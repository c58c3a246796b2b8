/**
 * The playground in a real browser: type a filter character by character, pick completions with the
 * keyboard, see an issue appear and clear, see the result list change. Saves a screenshot.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlayground } from "../../scripts/build-playground.js";
import { playgroundUrl } from "../../src/playground/access.js";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/server/index.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = fileURLToPath(new URL("../.artifacts/playground.png", import.meta.url));

let emulator: Emulator;
let server: ListeningEmulator;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  emulator = createEmulator({ seed: 300, playground: await buildPlayground() });
  server = await emulator.listen({ port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("pageerror", (error) => {
    throw error;
  });
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

const box = () => page.locator("#filter");
const completionLabels = () => page.locator("#completions:not([hidden]) li").evaluateAll((items) => items.map((li) => li.firstChild?.textContent ?? ""));
const issueTexts = () => page.locator("#issues li").allTextContents();
const cardCount = () => page.locator("#images .card").count();

/** Waits until the search for the current text has finished (no "Searching…"), and returns the status. */
async function settled(): Promise<string> {
  await page.waitForFunction(() => {
    const status = document.getElementById("status")?.textContent ?? "";
    return status !== "" && status !== "Searching…";
  });
  return (await page.locator("#status").textContent()) ?? "";
}

describe("the playground", () => {
  it("loads from the emulator, with the images and the fields it inferred", async () => {
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => (document.getElementById("fields")?.textContent ?? "").includes("status"));
    expect(await settled()).toMatch(/^\d+ images/);
    expect(await cardCount()).toBeGreaterThan(10);
  });

  it("completes a field and a value picked with the keyboard", async () => {
    await box().click();
    await box().pressSequentially("sta");
    await page.waitForFunction(() => !document.getElementById("completions")!.hidden);
    expect(await completionLabels()).toEqual(["status"]);
    await page.keyboard.press("Enter");
    expect(await box().inputValue()).toBe("status ");

    await box().pressSequentially("= ");
    await page.waitForFunction(() => document.querySelectorAll("#completions:not([hidden]) li").length > 1);
    const values = await completionLabels();
    expect(values).toContain("active");
    // Arrow down to "active" and take it with Tab.
    for (let i = 0; i < values.indexOf("active"); i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    expect(await box().inputValue()).toBe('status = "active" ');
    await page.keyboard.press("Escape");
    expect(await page.locator("#completions").isHidden()).toBe(true);
  });

  it("shows an issue while the filter is incomplete, and clears it when it is whole", async () => {
    const before = await settled();
    const cardsBefore = await cardCount();
    await box().pressSequentially("and priority >=");
    await page.waitForFunction(() => document.querySelectorAll("#issues li").length > 0);
    expect((await issueTexts()).join(" ")).toContain('expected a value after ">="');
    expect(await page.locator("#highlight .issue-point").count()).toBe(1);

    await box().pressSequentially(" 4");
    await page.waitForFunction(() => document.querySelectorAll("#issues li").length === 0);
    expect(await page.locator("#highlight .issue-point").count()).toBe(0);
    // The search runs once typing pauses: the compiled query, then the results, follow.
    const query = "meta.status[eq:string]=active&meta.priority[gte:number]=4";
    await page.waitForFunction((expected) => document.getElementById("query")?.textContent === expected, query);

    // The result list changes: fewer images are active with priority >= 4 than active at all.
    await page.waitForFunction((previous) => document.getElementById("status")?.textContent !== previous, before);
    const after = await settled();
    expect(after).not.toBe(before);
    expect(await cardCount()).toBeLessThan(cardsBefore);
    expect(await cardCount()).toBeGreaterThan(0);
  });

  it("colours what was typed, and saves a screenshot", async () => {
    const classes = await page.locator("#highlight span").evaluateAll((spans) => spans.map((span) => span.className));
    expect(classes).toEqual(expect.arrayContaining(["tok-field", "tok-operator", "tok-string", "tok-keyword", "tok-number"]));
    mkdirSync(new URL("../.artifacts/", import.meta.url), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    console.log(`playground screenshot: ${SCREENSHOT}`);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it("underlines exactly the span of each issue, among many", async () => {
    const text = Array.from({ length: 300 }, (_, i) => `k${i} ~ ${i}`).join(" and ");
    await box().fill(text);
    await page.waitForFunction(() => document.querySelectorAll("#highlight .issue-error").length > 0);
    const marked = await page.locator("#highlight .issue-error").evaluateAll((spans) => spans.map((span) => span.textContent));
    // Every "~" (an unknown character) is underlined, and nothing else.
    expect(marked.join("")).toBe("~".repeat(300));
    const all = await page.locator("#highlight span").evaluateAll((spans) => spans.map((span) => span.textContent).join(""));
    expect(all).toBe(text);
  });

  it("lets Tab leave the box when no list was asked for, and loads each page once however fast one clicks", async () => {
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => (document.getElementById("fields")?.textContent ?? "").includes("status"));
    await page.waitForFunction(() => document.activeElement?.id === "filter");
    expect(await page.locator("#completions").isHidden()).toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe("filter");
    expect(await box().inputValue()).toBe("");

    await settled();
    await page.locator("#more").dblclick();
    await page.waitForFunction(() => !/Searching/.test(document.getElementById("status")?.textContent ?? "") && !(document.getElementById("more") as HTMLButtonElement).disabled);
    const ids = await page.locator("#images .card").evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset["id"]));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the playground with --token and --account", () => {
  const TOKEN = "s3cret+token/with=";
  let guarded: Emulator;
  let guardedServer: ListeningEmulator;
  let accountOnly: Emulator;
  let accountOnlyServer: ListeningEmulator;

  beforeAll(async () => {
    const html = await buildPlayground();
    guarded = createEmulator({ seed: 40, token: TOKEN, accountId: "acct-1", playground: html });
    guardedServer = await guarded.listen({ port: 0 });
    accountOnly = createEmulator({ seed: 40, accountId: "acct-2", playground: html });
    accountOnlyServer = await accountOnly.listen({ port: 0 });
  });

  afterAll(async () => {
    await guarded?.close();
    await accountOnly?.close();
  });

  /** A fresh tab in a context of its own (its own session storage), with every request's URL recorded. */
  async function freshTab(): Promise<{ tab: Page; urls: string[] }> {
    const context = await browser.newContext();
    const tab = await context.newPage();
    tab.on("pageerror", (error) => {
      throw error;
    });
    const urls: string[] = [];
    tab.on("request", (request) => urls.push(request.url()));
    return { tab, urls };
  }

  const shown = (tab: Page) => tab.waitForFunction(() => /^\d+ images?/.test(document.getElementById("status")?.textContent ?? ""));

  it("opened at the address the banner prints, lists the account, and takes the token out of the address bar", async () => {
    const { tab, urls } = await freshTab();
    await tab.goto(playgroundUrl(guardedServer.url, TOKEN));
    await shown(tab);
    expect(await tab.locator("#images .card").count()).toBeGreaterThan(10);
    expect(await tab.locator("#token-form").isHidden()).toBe(true);
    expect(tab.url()).toBe(`${guardedServer.url}/`); // replaced, not pushed: no history entry keeps it
    // No request carried the token in its address: only in the Authorization header.
    expect(urls.filter((url) => url.includes("s3cret"))).toEqual([]);
    expect(urls.some((url) => url.includes("/accounts/acct-1/images/v2"))).toBe(true);

    // A reload, without the fragment, still lists: the tab keeps the token for its session.
    await tab.reload();
    await shown(tab);
    await tab.context().close();
  });

  it("opened without the token, asks for it, refuses a wrong one, and lists with the right one", async () => {
    const { tab } = await freshTab();
    await tab.goto(`${guardedServer.url}/`);
    await tab.locator("#token-form").waitFor({ state: "visible" });
    expect(await tab.locator("#images .card").count()).toBe(0);

    await tab.locator("#token").fill("wrong-token");
    await tab.locator("#token-form button").click();
    await tab.waitForFunction(() => (document.getElementById("token-problem")?.textContent ?? "").includes("refused"));
    expect(await tab.locator("#token-form").isVisible()).toBe(true);

    await tab.locator("#token").fill(TOKEN);
    await tab.locator("#token-form button").click();
    await shown(tab);
    expect(await tab.locator("#token-form").isHidden()).toBe(true);
    expect(await tab.locator("#images .card").count()).toBeGreaterThan(10);
    await tab.context().close();
  });

  it("with --account alone, lists that account without asking for a token", async () => {
    const { tab, urls } = await freshTab();
    await tab.goto(`${accountOnlyServer.url}/`);
    await shown(tab);
    expect(await tab.locator("#token-form").isHidden()).toBe(true);
    expect(await tab.locator("#images .card").count()).toBeGreaterThan(10);
    expect(urls.some((url) => url.includes("/accounts/acct-2/images/v2"))).toBe(true);
    await tab.context().close();
  });
});
