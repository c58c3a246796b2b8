/**
 * The playground in a real browser: type a filter character by character, pick completions with the
 * keyboard, see an issue appear and clear, see the result list change. Saves a screenshot.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlayground } from "../../scripts/build-playground.js";
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
