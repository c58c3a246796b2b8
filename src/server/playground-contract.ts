/**
 * What the emulator promises the playground page: where it tells the page which account to list and
 * whether a token is needed (nothing secret), and the page's address with the token in its fragment, as
 * `imgmeta serve --token` prints it. The page (`src/playground/access.ts`) imports this module and
 * nothing else of the server, so it has no imports of its own.
 */

/** Where the emulator serves {@link PlaygroundConfig} (only when it serves the playground page). */
export const CONFIG_PATH = "/playground.json";

/** What the emulator tells the playground. */
export interface PlaygroundConfig {
  /** The account id to list: the one `--account` serves, or any id when every account is served. */
  readonly accountId: string;
  /** Whether the API takes only one token (`--token`); otherwise any well-formed one does. */
  readonly tokenRequired: boolean;
}

/** The account id the playground lists when the emulator serves every account id. */
export const ANY_ACCOUNT = "playground";

/** The fragment parameter that carries the token: `#token=...`. */
export const FRAGMENT_KEY = "token";

/** The playground's address with the token in its fragment, as `imgmeta serve --token` prints it. */
export function playgroundUrl(origin: string, token: string | undefined): string {
  return token === undefined ? `${origin}/` : `${origin}/#${FRAGMENT_KEY}=${encodeURIComponent(token)}`;
}
