/**
 * How the playground reaches the emulator's API: which account it lists, and with which token. The
 * emulator tells the page the first, and whether a token is needed, at {@link CONFIG_PATH} (nothing
 * secret). The token itself never comes from the server, so loading the page never hands it out:
 * `imgmeta serve --token T` prints the playground's address with `#token=T` (a fragment is never sent to
 * a server, nor written in its logs), the page moves it into session storage and out of the address bar,
 * and without it the page asks for the token. Free of the page's DOM, for any playground to reuse.
 */
import { ANY_ACCOUNT, CONFIG_PATH, FRAGMENT_KEY, type PlaygroundConfig } from "../server/playground-contract.js";

export { ANY_ACCOUNT, CONFIG_PATH, playgroundUrl, type PlaygroundConfig } from "../server/playground-contract.js";

/** The token sent when the emulator takes any well-formed token. */
const ANY_TOKEN = "playground";
/** The session storage key of the token: per tab, gone when the tab closes. */
const STORAGE_KEY = "imgmeta-playground-token";

/**
 * The token in a fragment such as `#token=abc`, percent-decoded (not read as a form: a `+` in a token
 * stays a `+`), and the fragment without it. `token` is undefined when there is none.
 */
export function splitFragment(hash: string): { token: string | undefined; rest: string } {
  const parts = hash.replace(/^#/, "").split("&").filter((part) => part !== "");
  let token: string | undefined;
  const rest = parts.filter((part) => {
    if (!part.startsWith(`${FRAGMENT_KEY}=`)) return true;
    try {
      token = decodeURIComponent(part.slice(FRAGMENT_KEY.length + 1));
    } catch {
      token = undefined; // malformed escapes: no token
    }
    return false;
  });
  return { token: token === "" ? undefined : token, rest: rest.join("&") };
}

/** What {@link adoptFragmentToken} uses of `window`. */
export interface PageWindow {
  readonly location: { readonly href: string; readonly hash: string };
  readonly history: { replaceState(data: unknown, unused: string, url: string): void };
  readonly sessionStorage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
}

/**
 * Moves a token given in the address's fragment into session storage, and takes it out of the address
 * bar (and so out of the history, bookmarks and anything copied from there).
 */
export function adoptFragmentToken(page: PageWindow): void {
  const { token, rest } = splitFragment(page.location.hash);
  if (token === undefined && rest === page.location.hash.replace(/^#/, "")) return;
  if (token !== undefined) page.sessionStorage.setItem(STORAGE_KEY, token);
  const href = page.location.href;
  const hash = href.indexOf("#"); // (not /#.*$/: tried at every "#", that pattern is quadratic)
  const url = (hash < 0 ? href : href.slice(0, hash)) + (rest === "" ? "" : `#${rest}`);
  page.history.replaceState(null, "", url);
}

/** What a Bearer token may look like (RFC 6750's b64token, as the emulator reads it): no spaces. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token);
}

/** The token this tab was given, if any. */
export function storedToken(storage: Pick<Storage, "getItem">): string | undefined {
  return storage.getItem(STORAGE_KEY) ?? undefined;
}

/** Keeps a token typed into the page for this tab. */
export function storeToken(storage: Pick<Storage, "setItem">, token: string): void {
  storage.setItem(STORAGE_KEY, token);
}

/** Forgets a token the API refused. */
export function forgetToken(storage: Pick<Storage, "removeItem">): void {
  storage.removeItem(STORAGE_KEY);
}

/** Reads what the emulator tells the playground. */
export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<PlaygroundConfig> {
  const response = await fetchFn(CONFIG_PATH);
  const body = (await response.json()) as Partial<PlaygroundConfig>;
  return {
    accountId: typeof body.accountId === "string" ? body.accountId : ANY_ACCOUNT,
    tokenRequired: body.tokenRequired === true,
  };
}

/** The `Authorization` header of an API request: the token given, or any token when none is required. */
export function authorization(config: PlaygroundConfig, token: string | undefined): string {
  return `Bearer ${config.tokenRequired ? (token ?? "") : ANY_TOKEN}`;
}

/** The address of a List images V2 request for the playground's account. */
export function listUrl(config: PlaygroundConfig, query: URLSearchParams): string {
  return `/client/v4/accounts/${encodeURIComponent(config.accountId)}/images/v2?${query}`;
}
