/**
 * The playground: a search box on the imgmeta language over the emulator's own list endpoint, built on
 * `imgmeta/codemirror` (highlighting, diagnostics, completions and the keys come from there). The page
 * shows what the search does: `plan` splits the filter into what the API is sent and what is applied
 * here, `toPredicate` applies that rest, and the address carries the filter (`?q=`).
 */
import { EditorState, Compartment } from "@codemirror/state";
import { EditorView, placeholder } from "@codemirror/view";
import { imgmetaFilter } from "../codemirror/index.js";
import { check, format, plan, toPredicate, toQueryString, type CheckResult, type FieldSchema, type FieldSpec, type Image, type Issue } from "../index.js";
import {
  adoptFragmentToken,
  ANY_ACCOUNT,
  authorization,
  forgetToken,
  isWellFormedToken,
  listUrl,
  loadConfig,
  storedToken,
  storeToken,
  type PlaygroundConfig,
} from "./access.js";
import { inferSchema } from "./schema.js";

const PER_PAGE = 60;
/** Issues listed under the box; the rest are counted. */
const ISSUES_SHOWN = 10;
/** How long typing pauses before the page checks the text and searches. */
const PAUSE_MS = 300;

const issuesList = element<HTMLUListElement>("issues");
const issuesMore = element<HTMLElement>("issues-more");
const queryText = element<HTMLElement>("query");
const residualText = element<HTMLElement>("residual");
const fieldsText = element<HTMLElement>("fields");
const statusText = element<HTMLElement>("status");
const imagesGrid = element<HTMLElement>("images");
const moreButton = element<HTMLButtonElement>("more");
const tokenForm = element<HTMLFormElement>("token-form");
const tokenInput = element<HTMLInputElement>("token");
const tokenProblem = element<HTMLElement>("token-problem");

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

let fields: FieldSchema = {};
/** What the emulator said (see access.ts); undefined until it has. */
let config: PlaygroundConfig | undefined;
let token: string | undefined;

// ---------------------------------------------------------------------------------------------------
// The box.

const filterOptions = new Compartment();

/** The search box's extension with the fields known so far: the filter goes through `plan`. */
function searchBox() {
  return imgmetaFilter({ fields, target: "plan", onSubmit: (_filter, text) => submit(text) });
}

/** The filter in the address (`?q=`), on one line. */
function addressText(): string {
  return (new URLSearchParams(location.search).get("q") ?? "").replace(/[\r\n]/g, " ");
}

adoptFragmentToken(window);
const view = new EditorView({
  parent: element("search"),
  state: EditorState.create({
    doc: addressText(),
    extensions: [
      filterOptions.of(searchBox()),
      placeholder('status = "active" and priority in (4, 5)'),
      EditorView.contentAttributes.of({ "aria-label": "Filter", "aria-describedby": "search-help" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) typed();
      }),
    ],
  }),
});

const text = (): string => view.state.doc.toString();

// ---------------------------------------------------------------------------------------------------
// What the text says: its issues, what is sent and what is applied locally.

let pause: ReturnType<typeof setTimeout> | undefined;
let checked: CheckResult = check("");

function typed(): void {
  clearTimeout(pause);
  pause = setTimeout(() => {
    review();
    // Searching as typing pauses; the address follows, in one history entry until the next Enter.
    if (checked.ok && text() !== searched) void search(text(), "typing");
  }, PAUSE_MS);
}

/** Checks the text and shows what the search would do; the results dim while the text cannot be searched. */
function review(): void {
  checked = check(text(), { fields, target: "plan" });
  showIssues(checked.issues);
  imagesGrid.classList.toggle("stale", !checked.ok);
  if (!checked.ok || !checked.filter) {
    queryText.textContent = "—";
    residualText.textContent = "";
    return;
  }
  const { pushed, residual } = plan(checked.filter);
  queryText.textContent = toQueryString(pushed) || "(no filter: every image)";
  residualText.textContent = residual ? `Applied locally, since the API cannot express it: ${format(residual)}` : "";
}

function showIssues(issues: readonly Issue[]): void {
  issuesList.replaceChildren(
    ...issues.slice(0, ISSUES_SHOWN).map((issue) => {
      const li = document.createElement("li");
      li.className = issue.severity;
      li.append(`${issue.message} `);
      const code = document.createElement("code");
      code.textContent = `${issue.code} at ${issue.column ?? issue.start + 1}`;
      li.append(code);
      return li;
    }),
  );
  const hidden = issues.length - ISSUES_SHOWN;
  issuesMore.textContent = hidden > 0 ? `… and ${hidden} more (${issues.length} in all)` : "";
}

/** Enter: search now (again, if the text was searched already), and keep this search in the history. */
function submit(current: string): void {
  clearTimeout(pause);
  review();
  if (checked.ok) void search(current, "enter");
  else statusText.textContent = "Fix the filter to search (the images shown are for the last one).";
}

// ---------------------------------------------------------------------------------------------------
// The address: `?q=` follows the searches; back and forward bring them back.

/** Whether the current history entry holds a search made with Enter (typing then starts a new entry). */
let entryKept = true;

function remember(filterText: string, how: "typing" | "enter"): void {
  if (filterText !== addressText()) {
    const url = new URL(location.href);
    if (filterText === "") url.searchParams.delete("q");
    else url.searchParams.set("q", filterText);
    if (entryKept) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }
  entryKept = how === "enter";
}

window.addEventListener("popstate", () => {
  const filterText = addressText();
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: filterText } });
  clearTimeout(pause);
  entryKept = true;
  review();
  if (checked.ok) void search(filterText);
});

// ---------------------------------------------------------------------------------------------------
// Results: what the API returns for the pushed part, filtered here by the residual.

interface Search {
  readonly params: URLSearchParams;
  readonly keep: ((image: Image) => boolean) | undefined;
  token: string | undefined;
  shown: number;
  scanned: number;
  /** A page is on its way: "Load more" waits for it (and keeps the focus: it is never disabled). */
  loading: boolean;
  readonly controller: AbortController;
}

let current: Search | undefined;
/** The text of the last search started. */
let searched: string | undefined;

async function search(filterText: string, how?: "typing" | "enter"): Promise<void> {
  const result = check(filterText, { fields, target: "plan" });
  if (!result.filter || !result.ok) return;
  if (how) remember(filterText, how);
  searched = filterText;
  current?.controller.abort();
  const { params, residual } = plan(result.filter);
  const next: Search = { params, keep: residual ? toPredicate(residual) : undefined, token: undefined, shown: 0, scanned: 0, loading: false, controller: new AbortController() };
  current = next;
  // The images shown stay (dimmed) until the new ones arrive.
  imagesGrid.classList.add("stale");
  await loadPage(next, true);
}

async function loadPage(page: Search, first = false): Promise<void> {
  if (page.loading) return;
  page.loading = true;
  moreButton.setAttribute("aria-disabled", "true");
  imagesGrid.setAttribute("aria-busy", "true");
  const query = new URLSearchParams(page.params);
  query.set("per_page", String(PER_PAGE));
  if (page.token) query.set("continuation_token", page.token);
  statusText.textContent = "Searching…";
  try {
    const response = await listImages(query, page.controller.signal);
    const body = (await response.json()) as { result: { images: Image[]; continuation_token: string | null } | null; errors: { message: string }[] };
    if (!response.ok || !body.result) throw new Error(body.errors.map((error) => error.message).join("; "));
    const images = body.result.images;
    page.scanned += images.length;
    const matching = page.keep ? images.filter(page.keep) : images;
    if (first) imagesGrid.replaceChildren();
    imagesGrid.classList.toggle("stale", !checked.ok);
    imagesGrid.append(...matching.map(card));
    page.shown += matching.length;
    page.token = body.result.continuation_token ?? undefined;
    moreButton.hidden = !page.token;
    const plural = page.shown === 1 ? "" : "s";
    statusText.textContent = `${page.shown} image${plural}${page.keep ? ` (of ${page.scanned} the API returned)` : ""}${page.token ? ", more to load" : ""}`;
  } catch (error) {
    if (page.controller.signal.aborted) return;
    statusText.textContent = `The API answered: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    page.loading = false;
    if (page === current) {
      moreButton.removeAttribute("aria-disabled");
      imagesGrid.removeAttribute("aria-busy");
    }
  }
}

function card(image: Image): HTMLElement {
  const div = document.createElement("div");
  div.className = "card";
  div.dataset["id"] = image.id ?? "";
  const img = document.createElement("img");
  img.loading = "lazy";
  img.alt = image.filename ?? image.id ?? "";
  img.src = image.variants?.[0] ?? "";
  const caption = document.createElement("div");
  caption.textContent = JSON.stringify(image.meta ?? {});
  caption.title = caption.textContent;
  div.append(img, caption);
  return div;
}

moreButton.addEventListener("click", () => {
  if (current && !current.loading) void loadPage(current);
});

/** The field schema, inferred from the first page of images, so that completions know the data. */
async function loadFields(): Promise<void> {
  try {
    const response = await listImages(new URLSearchParams({ per_page: "1000" }));
    const body = (await response.json()) as { result: { images: Image[] } | null };
    fields = inferSchema((body.result?.images ?? []).map((image) => image.meta));
  } catch {
    fields = {};
  }
  fieldsText.replaceChildren(
    ...Object.entries(fields).flatMap(([name, spec]: [string, FieldSpec | string]) => {
      const code = document.createElement("code");
      code.textContent = name;
      return [code, ` ${typeof spec === "string" ? spec : spec.type}  `];
    }),
  );
  view.dispatch({ effects: filterOptions.reconfigure(searchBox()) });
  review();
}

// ---------------------------------------------------------------------------------------------------
// Access: the account and the token (see access.ts).

/** A List images V2 request; a token the emulator refuses is forgotten, and asked for again. */
async function listImages(query: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  if (!config || (config.tokenRequired && token === undefined)) throw new Error("the emulator needs its token: give it above");
  const response = await fetch(listUrl(config, query), { headers: { authorization: authorization(config, token) }, signal: signal ?? null });
  if (config.tokenRequired && (response.status === 401 || response.status === 403)) {
    forgetToken(sessionStorage);
    token = undefined;
    askForToken("The emulator refused this token.");
  }
  return response;
}

function askForToken(problem = ""): void {
  tokenProblem.textContent = problem;
  tokenForm.hidden = false;
  tokenInput.focus();
}

tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const given = tokenInput.value.trim();
  if (!isWellFormedToken(given)) {
    askForToken("A token is letters, digits and - . _ ~ + / (no spaces).");
    return;
  }
  token = given;
  storeToken(sessionStorage, given);
  tokenInput.value = "";
  tokenForm.hidden = true;
  begin();
});

function begin(): void {
  review();
  if (checked.ok) void search(text());
  else statusText.textContent = "Fix the filter to search.";
  void loadFields().then(() => view.focus());
}

review();
void loadConfig()
  .catch((): PlaygroundConfig => ({ accountId: ANY_ACCOUNT, tokenRequired: false }))
  .then((loaded) => {
    config = loaded;
    token = storedToken(sessionStorage);
    if (config.tokenRequired && token === undefined) askForToken();
    else begin();
  });
