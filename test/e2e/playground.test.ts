/**
 * The playground in a real browser, on the `imgmeta/codemirror` search box: type a filter key by key, pick
 * completions with the keyboard, submit with Enter, apply a did-you-mean fix, share the search by its
 * link, load more by keyboard; an accessibility check with axe-core; screenshots at 1280 and 390 px.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlayground } from "../../scripts/build-playground.js";
import { playgroundUrl } from "../../src/playground/access.js";
import { toPredicate, type Image } from "../../src/index.js";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/server/index.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../.artifacts/", import.meta.url);
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => {
    throw error;
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

const box = () => page.locator(".cm-content");
/** The text in the box (the placeholder left out). */
const boxText = () =>
  page.evaluate(() => {
    const line = document.querySelector(".cm-content .cm-line")!.cloneNode(true) as HTMLElement;
    line.querySelectorAll(".cm-placeholder").forEach((placeholder) => placeholder.remove());
    return line.textContent ?? "";
  });
const listOpen = () => page.locator(".cm-tooltip-autocomplete").isVisible();
const completionLabels = () => page.locator(".cm-tooltip-autocomplete li .cm-completionLabel").allTextContents();
const cardIds = () => page.locator("#images .card").evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset["id"] ?? ""));
const focusedId = () => page.evaluate(() => (document.activeElement?.closest(".cm-content") ? "box" : document.activeElement?.id || document.activeElement?.tagName));

/** Waits until no search is running, and returns the status. */
async function settled(): Promise<string> {
  await page.waitForFunction(() => {
    const status = document.getElementById("status")?.textContent ?? "";
    return status !== "" && status !== "Searching…" && !document.getElementById("images")!.hasAttribute("aria-busy");
  });
  return (await page.locator("#status").textContent()) ?? "";
}

/** Opens the playground (at `query`, the part of the address after `/`) once it has its images and fields. */
async function open(query = ""): Promise<void> {
  await page.goto(`${server.url}/${query}`);
  await page.waitForFunction(() => (document.getElementById("fields")?.textContent ?? "").includes("status"));
  await page.waitForFunction(() => document.activeElement?.closest(".cm-content") !== null);
  await settled();
}

/** Replaces the box's text at once (as a paste would). */
async function setText(text: string): Promise<void> {
  await box().click();
  await page.keyboard.press("Control+A");
  if (text === "") await page.keyboard.press("Backspace");
  else await page.keyboard.insertText(text);
}

/** The first page of the API's answer for no filter, filtered here: what the page shows for a filter no condition of which is sent. */
async function firstPageMatching(text: string): Promise<string[]> {
  const response = await fetch(`${server.url}/client/v4/accounts/any/images/v2?per_page=60`, { headers: { authorization: "Bearer t" } });
  const body = (await response.json()) as { result: { images: Image[] } };
  const matches = toPredicate(text);
  return body.result.images.filter(matches).map((image) => image.id ?? "");
}

describe("the playground", () => {
  it("loads from the emulator, with the images and the fields it inferred, the box focused", async () => {
    await open();
    expect(await settled()).toMatch(/^\d+ images/);
    expect((await cardIds()).length).toBeGreaterThan(10);
    expect(await focusedId()).toBe("box");
  });

  it("takes a filter typed key by key; Enter after the finished filter searches, and changes the grid without changing the text", async () => {
    const before = await cardIds();
    const filter = 'status = "active" and priority in (4, 5)';
    await box().pressSequentially(filter);
    await page.keyboard.press("Enter");
    expect(await boxText()).toBe(filter);
    const query = "meta.status[eq:string]=active&meta.priority[in:number]=4|5";
    await page.waitForFunction((expected) => document.getElementById("query")?.textContent === expected, query);
    await page.waitForFunction((previous) => document.querySelector("#images .card")?.getAttribute("data-id") !== previous[0] || document.querySelectorAll("#images .card").length !== previous.length, before);
    await settled();
    expect(await cardIds()).not.toEqual(before);
    expect((await cardIds()).length).toBeGreaterThan(0);
    expect(await boxText()).toBe(filter);
    expect(new URL(page.url()).searchParams.get("q")).toBe(filter);
    expect(await page.locator("#issues li").count()).toBe(0);
  });

  it("Enter after a finished value does not take the list's entry that only repeats it", async () => {
    await setText("");
    await box().pressSequentially("status = pending");
    await page.keyboard.press("Enter");
    expect(await boxText()).toBe("status = pending");
    await page.waitForFunction(() => document.getElementById("query")?.textContent === "meta.status[eq:string]=pending");
  });

  it("picks a completion with the arrows and Enter; Escape closes the list", async () => {
    await setText("");
    await box().pressSequentially("sta");
    await page.locator(".cm-tooltip-autocomplete").waitFor();
    expect(await completionLabels()).toEqual(["status"]);
    await page.keyboard.press("Enter"); // completes the word being typed
    expect(await boxText()).toBe("status ");
    expect(await listOpen()).toBe(false); // nothing opens after a field: the operator is the user's

    await box().pressSequentially("= a");
    await page.locator(".cm-tooltip-autocomplete").waitFor();
    const values = await completionLabels();
    expect(values.length).toBeGreaterThan(1);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await boxText()).toBe(`status = ${JSON.stringify(values[1])} `);

    await box().pressSequentially("o");
    await page.locator(".cm-tooltip-autocomplete").waitFor();
    expect(await completionLabels()).toEqual(["or"]);
    await page.keyboard.press("Escape");
    expect(await listOpen()).toBe(false);
    expect(await boxText()).toBe(`status = ${JSON.stringify(values[1])} o`);
  });

  it("opens the list on Ctrl+Space, and an inserted keyword gets its spaces", async () => {
    await setText('status = "active" ');
    await page.keyboard.press("Control+Space");
    await page.locator(".cm-tooltip-autocomplete").waitFor();
    expect(await completionLabels()).toEqual(["and", "or"]);
    await page.keyboard.press("Enter");
    expect(await boxText()).toBe('status = "active" and ');
  });

  it("lets Tab leave the box when no list is open, also right after the box is cleared", async () => {
    await setText("");
    expect(await listOpen()).toBe(false);
    await page.keyboard.press("Tab");
    expect(await focusedId()).not.toBe("box");
    expect(await boxText()).toBe("");
  });

  it("applies a did-you-mean fix with one click", async () => {
    await setText("status inn (active, pending)");
    const wrong = page.locator(".cm-lintRange-error");
    await wrong.first().waitFor();
    expect(await wrong.first().textContent()).toBe("inn");
    await wrong.first().hover();
    const fix = page.locator(".cm-tooltip-lint .cm-diagnosticAction");
    await fix.waitFor();
    expect(await fix.textContent()).toBe("Replace with in");
    await fix.click();
    expect(await boxText()).toBe("status in (active, pending)");
    await page.waitForFunction(() => document.querySelectorAll(".cm-lintRange-error").length === 0);
  });

  it("shows an or filter as information, not an error, and finds the right images", async () => {
    const filter = "status = pending or priority = 5";
    await setText(filter);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("#issues li.info").length === 1);
    await settled();
    expect(await page.locator("#issues li.error").count()).toBe(0);
    expect(await page.locator("#issues li.info").textContent()).toMatch(/^applied locally: /);
    await page.locator(".cm-lintRange-info").first().waitFor();
    expect(await page.locator(".cm-lintRange-error").count()).toBe(0);
    expect(await page.locator("#query").textContent()).toBe("(no filter: every image)");
    expect(await page.locator("#residual").textContent()).toContain('status = "pending" or priority = 5');
    expect(await cardIds()).toEqual(await firstPageMatching(filter));
  });

  it("keeps the last results, dimmed, while the text does not parse", async () => {
    const before = await cardIds();
    await box().press("End");
    await box().pressSequentially(" and");
    await page.waitForFunction(() => document.getElementById("images")!.classList.contains("stale"));
    expect(await cardIds()).toEqual(before);
    await box().pressSequentially(" priority >= 4");
    await page.waitForFunction(() => !document.getElementById("images")!.classList.contains("stale"));
  });

  it("carries the filter in its link: opened from it, updated as searches run, back and forward", async () => {
    const first = "status = deleted";
    await open(`?q=${encodeURIComponent(first)}`);
    expect(await boxText()).toBe(first);
    expect(await page.locator("#query").textContent()).toBe("meta.status[eq:string]=deleted");
    const deleted = await cardIds();

    // Typing: the search runs when typing pauses, and the address follows it.
    await setText("status = active");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "status = active");
    await settled();
    // Enter keeps it; the next typing starts a new entry.
    await page.keyboard.press("Enter");
    await setText("status = pending");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "status = pending");
    await settled();

    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "status = active");
    expect(await boxText()).toBe("status = active");
    await page.goBack();
    await page.waitForFunction((expected) => new URL(location.href).searchParams.get("q") === expected, first);
    expect(await boxText()).toBe(first);
    await settled();
    expect(await cardIds()).toEqual(deleted);
    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "status = active");
    expect(await boxText()).toBe("status = active");
    await page.waitForFunction(() => document.getElementById("query")?.textContent === "meta.status[eq:string]=active");
  });

  it("loads more by keyboard, twice, with the focus staying on Load more", async () => {
    await open();
    const more = page.locator("#more");
    await more.focus();
    for (const pages of [2, 3]) {
      const before = (await cardIds()).length;
      await page.keyboard.press("Enter");
      await page.waitForFunction((count) => document.querySelectorAll("#images .card").length > count, before);
      await settled();
      expect(await focusedId()).toBe("more");
      expect((await cardIds()).length).toBe(pages * 60);
    }
    const ids = await cardIds();
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("loads each page once however fast one clicks", async () => {
    const before = (await cardIds()).length;
    await page.locator("#more").dblclick();
    await page.waitForFunction((count) => document.querySelectorAll("#images .card").length > count, before);
    await settled();
    const ids = await cardIds();
    expect(ids.length).toBe(before + 60);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("colours what is typed, also at the far end of a long filter scrolled into sight", async () => {
    await setText('status = "active" and priority in (4, 5) or not flagged = true');
    const kinds = await page.locator(".cm-line [class^='cm-imgmeta-']").evaluateAll((spans) => spans.map((span) => `${span.className}:${span.textContent}`));
    expect(kinds).toEqual(expect.arrayContaining(["cm-imgmeta-field:status", "cm-imgmeta-operator:=", 'cm-imgmeta-string:"active"', "cm-imgmeta-keyword:and", "cm-imgmeta-number:5", "cm-imgmeta-boolean:true"]));

    const long = `${Array.from({ length: 300 }, (_, i) => `k${i} = ${i}`).join(" and ")} and last = 4242`;
    await setText(long);
    await page.keyboard.press("End");
    const last = page.locator(".cm-imgmeta-number", { hasText: "4242" });
    await last.waitFor();
    expect(await last.isVisible()).toBe(true);
    // Only what is in sight is marked, not the whole line.
    expect(await page.locator(".cm-line [class^='cm-imgmeta-']").count()).toBeLessThan(300);
    await page.keyboard.press("Home");
    await page.locator(".cm-imgmeta-field", { hasText: /^k0$/ }).waitFor();
  });

  it("keeps a pasted filter on one line", async () => {
    await setText("status = active\nand priority = 5");
    expect(await boxText()).toBe("status = active and priority = 5");
    expect(await page.locator(".cm-content .cm-line").count()).toBe(1);
  });

  it("lists the first ten issues of a broken 2,000-character filter, and counts the rest", async () => {
    const text = Array.from({ length: 200 }, (_, i) => `k${i} ~ ${i}`).join(" and ").slice(0, 2000);
    await setText(text);
    await page.waitForFunction(() => (document.getElementById("issues-more")?.textContent ?? "") !== "");
    expect(await page.locator("#issues li").count()).toBe(10);
    expect(await page.locator("#issues-more").textContent()).toMatch(/^… and \d+ more \(\d+ in all\)$/);
    // Every drawn squiggle is on an unknown character.
    await page.locator(".cm-lintRange-error").first().waitFor();
    const marked = await page.locator(".cm-lintRange-error").allTextContents();
    expect(marked.length).toBeGreaterThan(0);
    expect(new Set(marked)).toEqual(new Set(["~"]));
  });

  for (const width of [1280, 390]) {
    it(`never scrolls sideways at ${width} px, with the list open at the right edge; saves a screenshot`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await open();
      await setText('status = "active" and priority in (4, 5) and region.name = eu-west and reg');
      await page.locator(".cm-tooltip-autocomplete").waitFor();
      await page.waitForFunction(() => document.querySelectorAll("#issues li").length > 0);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const path = fileURLToPath(new URL(`playground-${width}.png`, ARTIFACTS));
      await page.screenshot({ path });
      console.log(`playground screenshot: ${path}`);
      await page.keyboard.press("Escape");
    });
  }

  it("has no serious or critical accessibility violation (axe-core), with the list closed and open", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open("?q=" + encodeURIComponent("status = pending or stauts = x"));
    await page.locator(".cm-lintRange-warning").first().waitFor();
    await page.addScriptTag({ path: AXE });
    const serious = () =>
      page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { html: string }[] }[] }> } }).axe;
        const { violations } = await axe.run();
        return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`);
      });
    expect(await serious()).toEqual([]);
    await box().press("End");
    await box().pressSequentially(" and pri");
    await page.locator(".cm-tooltip-autocomplete").waitFor();
    // Also the results dimmed, as they are while the text cannot be searched.
    await page.waitForFunction(() => document.getElementById("images")!.classList.contains("stale"));
    expect(await page.locator(".cm-content").getAttribute("role")).toBe("combobox");
    expect(await page.locator(".cm-content").getAttribute("aria-expanded")).toBe("true");
    expect(await serious()).toEqual([]);
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
