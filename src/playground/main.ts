/**
 * The playground: a search box on the imgmeta language over the emulator's own list endpoint.
 * Framework-free; everything it shows comes from the library: `tokenize` colours the text, `check`
 * draws the squiggles, `suggest` fills the completion list, `plan` splits the filter into what the API
 * is sent and what is applied here, and `toPredicate` applies that rest.
 */
import {
  check,
  format,
  parse,
  plan,
  suggest,
  tokenize,
  toPredicate,
  toQueryString,
  type FieldSchema,
  type FieldSpec,
  type Filter,
  type Image,
  type Issue,
  type Suggestion,
} from "../index.js";
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

const input = element<HTMLInputElement>("filter");
const highlight = element<HTMLPreElement>("highlight");
const completions = element<HTMLUListElement>("completions");
const issuesList = element<HTMLUListElement>("issues");
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
let items: readonly Suggestion[] = [];
let selected = 0;
let replace = { from: 0, to: 0 };
let search: Search | undefined;
/** What the emulator said (see access.ts); undefined until it has. */
let config: PlaygroundConfig | undefined;
let token: string | undefined;

// ---------------------------------------------------------------------------------------------------
// The box: highlighting and squiggles.

function render(): void {
  const text = input.value;
  const { issues } = check(text, { fields });
  highlight.replaceChildren(...highlighted(text, issues));
  highlight.scrollLeft = input.scrollLeft;
  issuesList.replaceChildren(
    ...issues.map((issue) => {
      const li = document.createElement("li");
      li.className = issue.severity;
      li.append(`${issue.message} `);
      const code = document.createElement("code");
      code.textContent = `${issue.code} at ${issue.column ?? issue.start + 1}`;
      li.append(code);
      return li;
    }),
  );
}

/** The text as coloured spans, with issue ranges underlined and a mark where something is missing. */
function highlighted(text: string, issues: readonly Issue[]): Node[] {
  const tokens = tokenize(text);
  const cuts = new Set([0, text.length]);
  for (const token of tokens) cuts.add(token.start).add(token.end);
  for (const issue of issues) cuts.add(issue.start).add(issue.end);
  const points = [...cuts].sort((a, b) => a - b);
  // One pass over the pieces, the tokens (in order, covering the text) and the issues by start: a search
  // of every token and issue per piece made each keystroke quadratic in a long text.
  const marks = new Map<number, Issue[]>();
  for (const issue of issues) if (issue.start === issue.end) marks.set(issue.start, [...(marks.get(issue.start) ?? []), issue]);
  const byStart = issues.map((issue, order) => ({ issue, order })).sort((a, b) => a.issue.start - b.issue.start);
  let active: { issue: Issue; order: number }[] = [];
  let nextIssue = 0;
  let tokenAt = 0;
  const nodes: Node[] = [];
  points.forEach((start, i) => {
    for (const issue of marks.get(start) ?? []) nodes.push(pointMark(issue));
    const end = points[i + 1];
    if (end === undefined) return;
    const span = document.createElement("span");
    span.textContent = text.slice(start, end);
    while (tokenAt < tokens.length && tokens[tokenAt]!.end <= start) tokenAt++;
    const candidate = tokens[tokenAt];
    const token = candidate && candidate.start <= start && end <= candidate.end ? candidate : undefined;
    while (nextIssue < byStart.length && byStart[nextIssue]!.issue.start <= start) active.push(byStart[nextIssue++]!);
    active = active.filter((entry) => entry.issue.end > start);
    // The first issue (in the order given) that covers the piece.
    let first: { issue: Issue; order: number } | undefined;
    for (const entry of active) if (end <= entry.issue.end && (!first || entry.order < first.order)) first = entry;
    const issue = first?.issue;
    span.className = [token ? `tok-${token.type}` : "", issue ? `issue-${issue.severity}` : ""].join(" ").trim();
    if (issue) span.title = issue.message;
    nodes.push(span);
  });
  return nodes;
}

function pointMark(issue: Issue): HTMLElement {
  const mark = document.createElement("span");
  mark.className = "issue-point";
  mark.title = issue.message;
  return mark;
}

// ---------------------------------------------------------------------------------------------------
// Completions.

function openCompletions(): void {
  const text = input.value;
  const cursor = input.selectionStart ?? text.length;
  const result = suggest(text, cursor, { fields });
  items = result.items;
  replace = { from: result.from, to: result.to };
  selected = 0;
  if (items.length === 0 || document.activeElement !== input) {
    closeCompletions();
    return;
  }
  completions.replaceChildren(
    ...items.map((item, index) => {
      const li = document.createElement("li");
      li.id = `completion-${index}`;
      li.setAttribute("role", "option");
      li.append(item.label);
      const detail = document.createElement("small");
      detail.textContent = item.detail;
      li.append(detail);
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        accept(index);
      });
      return li;
    }),
  );
  completions.style.left = `${Math.max(0, caretX(result.from) - input.scrollLeft)}px`;
  completions.hidden = false;
  select(0);
}

function closeCompletions(): void {
  completions.hidden = true;
  items = [];
  input.removeAttribute("aria-activedescendant");
}

function select(index: number): void {
  selected = (index + items.length) % items.length;
  [...completions.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === selected)));
  completions.children[selected]?.scrollIntoView({ block: "nearest" });
  input.setAttribute("aria-activedescendant", `completion-${selected}`);
}

function accept(index: number): void {
  const item = items[index];
  if (!item) return;
  const text = input.value;
  const after = text.slice(replace.to);
  // A space after whole words, so that the next completion can follow at once.
  const space = item.kind !== "punctuation" && !after.startsWith(" ") ? " " : "";
  input.value = text.slice(0, replace.from) + item.insert + space + after;
  const caret = replace.from + item.insert.length + space.length;
  input.setSelectionRange(caret, caret);
  changed();
  openCompletions();
}

/** Measures text in the box's font (the box is monospaced, but its font is the browser's choice). */
const measure = document.createElement("canvas").getContext("2d");
/** The box's left padding, where its text starts. */
const PADDING = 14;

/** The x offset of a text position in the box. */
function caretX(offset: number): number {
  if (!measure) return 0;
  measure.font = getComputedStyle(input).font;
  return PADDING + measure.measureText(input.value.slice(0, offset)).width;
}

// ---------------------------------------------------------------------------------------------------
// Results: what the API returns for the pushed part, filtered here by the residual.

interface Search {
  readonly params: URLSearchParams;
  readonly keep: ((image: Image) => boolean) | undefined;
  token: string | undefined;
  shown: number;
  scanned: number;
  /** A page is on its way: a second click on "Load more" would ask for the same page again. */
  loading: boolean;
  readonly controller: AbortController;
}

let debounce: ReturnType<typeof setTimeout> | undefined;

function changed(): void {
  render();
  clearTimeout(debounce);
  debounce = setTimeout(startSearch, 120);
}

function startSearch(): void {
  search?.controller.abort();
  let filter: Filter;
  try {
    filter = parse(input.value);
  } catch {
    queryText.textContent = "—";
    residualText.textContent = "";
    statusText.textContent = "Fix the filter to search.";
    moreButton.hidden = true;
    // The images shown were for another filter.
    imagesGrid.replaceChildren();
    return;
  }
  // What the API cannot express is not an obstacle here: plan sends what it can and the rest is applied below.
  const { params, residual, pushed } = plan(filter);
  queryText.textContent = toQueryString(pushed) || "(no filter: every image)";
  residualText.textContent = residual ? `Applied here, since the API cannot express it: ${format(residual)}` : "";
  search = { params, keep: residual ? toPredicate(residual) : undefined, token: undefined, shown: 0, scanned: 0, loading: false, controller: new AbortController() };
  imagesGrid.replaceChildren();
  void loadPage(search);
}

async function loadPage(current: Search): Promise<void> {
  if (current.loading) return;
  current.loading = true;
  moreButton.disabled = true;
  const query = new URLSearchParams(current.params);
  query.set("per_page", String(PER_PAGE));
  if (current.token) query.set("continuation_token", current.token);
  statusText.textContent = "Searching…";
  try {
    const response = await listImages(query, current.controller.signal);
    const body = (await response.json()) as { success: boolean; result: { images: Image[]; continuation_token: string | null } | null; errors: { message: string }[] };
    if (!response.ok || !body.result) throw new Error(body.errors.map((error) => error.message).join("; "));
    const page = body.result.images;
    current.scanned += page.length;
    const matching = current.keep ? page.filter(current.keep) : page;
    imagesGrid.append(...matching.map(card));
    current.shown += matching.length;
    current.token = body.result.continuation_token ?? undefined;
    moreButton.hidden = !current.token;
    statusText.textContent = `${current.shown} image${current.shown === 1 ? "" : "s"}${current.keep ? ` (of ${current.scanned} the API returned)` : ""}${current.token ? ", more to load" : ""}`;
  } catch (error) {
    if (current.controller.signal.aborted) return;
    statusText.textContent = `The API answered: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    current.loading = false;
    moreButton.disabled = false;
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

// ---------------------------------------------------------------------------------------------------
// Wiring.

input.addEventListener("input", () => {
  changed();
  openCompletions();
});
input.addEventListener("scroll", () => {
  highlight.scrollLeft = input.scrollLeft;
});
input.addEventListener("keydown", (event) => {
  if (completions.hidden) {
    if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      openCompletions();
    }
    return;
  }
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    select(selected + (event.key === "ArrowDown" ? 1 : -1));
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    accept(selected);
  } else if (event.key === "Escape") {
    event.preventDefault();
    closeCompletions();
  }
});
input.addEventListener("blur", closeCompletions);
// Not on focus or click: a list opened without asking would take Tab, and Tab could never leave the box.
moreButton.addEventListener("click", () => {
  if (search) void loadPage(search);
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
  render();
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
  startSearch();
  void loadFields().then(() => input.focus());
}

adoptFragmentToken(window);
input.value = new URLSearchParams(location.search).get("q") ?? "";
render();
void loadConfig()
  .catch((): PlaygroundConfig => ({ accountId: ANY_ACCOUNT, tokenRequired: false }))
  .then((loaded) => {
    config = loaded;
    token = storedToken(sessionStorage);
    if (config.tokenRequired && token === undefined) askForToken();
    else begin();
  });
