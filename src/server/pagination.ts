/**
 * Continuation tokens for List images V2. A token stands for the (uploaded, id) position of the last
 * image of a page, so the next page starts strictly after it (keyset pagination): images added or
 * deleted between pages never make a walk skip or repeat one.
 *
 * Why a table rather than the position itself in the token: the API allows at most 32 characters per
 * token, and a custom id alone can be 1024. So a token is 22 random base64url characters naming an
 * entry here; anything else (forged, mangled, from another run, evicted) is refused with a 400.
 */
import { MAX_CONTINUATION_TOKEN_LENGTH } from "../index.js";
import { ApiError, ErrorCode } from "./errors.js";
import type { Position } from "./store.js";
import { randomToken, TOKEN_PATTERN } from "./tokens.js";

/** How many live tokens are kept; the oldest are forgotten first. */
export const DEFAULT_MAX_CURSORS = 100_000;

interface Cursor {
  readonly position: Position;
  readonly order: "asc" | "desc";
  /** Images the walk has listed up to and including this position (for the list cap). */
  readonly listed: number;
}

/** Where a walk stands: after which position its next page starts, and how many images it has listed. */
export interface WalkPoint {
  readonly position: Position;
  readonly listed: number;
}

function invalidToken(message: string): ApiError {
  return ApiError.of(400, ErrorCode.invalidListParameter, message);
}

/** The live continuation tokens of one emulator. */
export class CursorTable {
  readonly #cursors = new Map<string, Cursor>();
  /** The token already issued for a position and order, so that re-reading a page gives the same token. */
  readonly #tokens = new Map<string, string>();
  readonly #max: number;

  constructor(max = DEFAULT_MAX_CURSORS) {
    this.#max = max;
  }

  /** A token for the position after which the next page starts, in a walk that has listed `listed` images so far. */
  issue(position: Position, order: "asc" | "desc", listed = 0): string {
    const key = tokenKey(order, listed, position);
    const existing = this.#tokens.get(key);
    if (existing !== undefined) {
      // Handed out again: it becomes the newest (maps keep insertion order, so eviction is least recent).
      const cursor = this.#cursors.get(existing)!;
      this.#cursors.delete(existing);
      this.#cursors.set(existing, cursor);
      return existing;
    }
    let token = randomToken();
    while (this.#cursors.has(token)) token = randomToken();
    // A copy of just the position: the caller may pass a whole image, whose bytes must not be kept alive.
    this.#cursors.set(token, { position: { uploaded: position.uploaded, id: position.id }, order, listed });
    this.#tokens.set(key, token);
    if (this.#cursors.size > this.#max) {
      const [oldest, cursor] = this.#cursors.entries().next().value as [string, Cursor];
      this.#cursors.delete(oldest);
      this.#tokens.delete(tokenKey(cursor.order, cursor.listed, cursor.position));
    }
    return token;
  }

  /**
   * Where the walk of a token stands. An empty token means the first page (the SDK sends
   * `continuation_token=` for `null`).
   * @throws ApiError 400 for a token this emulator did not issue, or issued for the other sort order.
   */
  resolve(token: string, order: "asc" | "desc"): WalkPoint | undefined {
    if (token === "") return undefined;
    if (token.length > MAX_CONTINUATION_TOKEN_LENGTH) {
      throw invalidToken(`continuation_token must be at most ${MAX_CONTINUATION_TOKEN_LENGTH} characters`);
    }
    const cursor = TOKEN_PATTERN.test(token) ? this.#cursors.get(token) : undefined;
    if (!cursor) {
      throw invalidToken(
        "continuation_token is not one this emulator issued (or it has been forgotten, e.g. after a restart); start again from the first page",
      );
    }
    if (cursor.order !== order) {
      throw invalidToken(`continuation_token belongs to a walk with sort_order=${cursor.order}; keep the same sort_order across pages`);
    }
    return { position: cursor.position, listed: cursor.listed };
  }

  /** Forgets every token (a reset or an import: the walks they continue are of a store that is gone). */
  clear(): void {
    this.#cursors.clear();
    this.#tokens.clear();
  }
}

/** The key of the token already issued for a walk's point (two walks at one position with different counts get two). */
function tokenKey(order: "asc" | "desc", listed: number, position: Position): string {
  return `${order}:${listed}:${position.uploaded}:${position.id}`;
}
