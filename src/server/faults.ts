/**
 * Faults on demand, for testing a client's retries and error handling: by route (or all), an HTTP status
 * with a Cloudflare-shaped error body, an optional `Retry-After`, a probability and an added latency.
 * Which requests a probabilistic fault hits is drawn from a seeded PRNG, so that a run with the same
 * seed and the same requests fails the same ones. Web-standard: no Node APIs here.
 *
 * An injected failure carries no `x-should-retry` header (every other error of the emulator says
 * `false`): the point is to let the client's own retry rules decide.
 */
import { random } from "./seed.js";

/** The routes a fault can be set on, by the shape of their path; `all` is every one of them, and unknown paths. */
export const FAULT_ROUTES = [
  "list",
  "list-v1",
  "get",
  "blob",
  "upload",
  "direct-upload",
  "upload-url",
  "update",
  "delete",
  "stats",
  "delivery",
  "all",
] as const;

/** A route name of {@link FAULT_ROUTES}. */
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/** One fault rule. */
export interface Fault {
  readonly route: FaultRoute;
  /** The HTTP status (400–599) answered instead of the route's; absent: the route answers, after `latencyMs`. */
  readonly status?: number;
  /** The error item's code; by default one that goes with the status (429: 971, 415: 5550, …). */
  readonly code?: number;
  /** The error item's message; by default one that goes with the status. */
  readonly message?: string;
  /** Seconds sent as `Retry-After` (a whole number); no header when absent. */
  readonly retryAfter?: number;
  /** The chance that a request of the route gets the fault, from 0 to 1 (default 1: every one). */
  readonly probability?: number;
  /** Milliseconds waited before answering (default 0). */
  readonly latencyMs?: number;
  /** How many requests the fault hits before it is spent (default: no end). */
  readonly times?: number;
}

/** A rule as the settings show it: the fault, and how many requests it has hit. */
export type FaultState = Fault & { readonly fired: number };

/** The faults in force, and the seed of the PRNG that draws them. */
export interface FaultSettings {
  readonly seed: number;
  readonly faults: readonly FaultState[];
}

const MAX_LATENCY_MS = 60_000;
const MAX_RETRY_AFTER = 86_400;

/** The error item of a status when the fault does not give one. */
function defaultError(status: number): { code: number; message: string } {
  switch (status) {
    case 415:
      // The upload host's answer to a file it does not take (as reported by users of the real API).
      return { code: 5550, message: "Uploaded image must have image/jpeg, image/png, image/webp, image/gif or image/svg+xml content-type" };
    case 429:
      // Cloudflare's API rate limit.
      return { code: 971, message: "Please wait and consider throttling your request speed" };
    case 401:
    case 403:
      return { code: 10000, message: "Authentication error" };
    case 404:
      return { code: 5404, message: "Image not found" };
    default:
      return { code: status >= 500 ? 5500 : 5400, message: REASONS[status] ?? (status >= 500 ? "Server Error" : "Bad Request") };
  }
}

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const KEYS = ["route", "status", "code", "message", "retryAfter", "probability", "latencyMs", "times"];

/**
 * A fault rule, checked.
 * @throws TypeError saying what is wrong (`where` names the rule).
 */
export function checkFault(value: unknown, where = "fault"): Fault {
  if (typeof value === "string") return parseFaultSpec(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object or a text like "list:429:0.2"`);
  const rule = value as Record<string, unknown>;
  const fail = (problem: string): never => {
    throw new TypeError(`${where}: ${problem}`);
  };
  for (const key of Object.keys(rule)) if (!KEYS.includes(key)) fail(`${JSON.stringify(key)} is not a field of a fault; the fields are ${KEYS.join(", ")}`);
  const whole = (key: string, min: number, max: number): number | undefined => {
    const given = rule[key];
    if (given === undefined) return undefined;
    return typeof given === "number" && Number.isSafeInteger(given) && given >= min && given <= max ? given : fail(`${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(given)}`);
  };
  const route = rule["route"];
  if (typeof route !== "string" || !(FAULT_ROUTES as readonly string[]).includes(route)) fail(`route must be one of ${FAULT_ROUTES.join(", ")}, not ${JSON.stringify(route)}`);
  const status = whole("status", 400, 599);
  // Not from 1000, as the OpenAPI document says: the API's own rate limit answers 971.
  const code = whole("code", 1, Number.MAX_SAFE_INTEGER);
  const retryAfter = whole("retryAfter", 0, MAX_RETRY_AFTER);
  const latencyMs = whole("latencyMs", 0, MAX_LATENCY_MS);
  const times = whole("times", 1, Number.MAX_SAFE_INTEGER);
  const { message, probability } = rule;
  if (message !== undefined && (typeof message !== "string" || message === "" || message.length > 1024)) fail("message must be a text of 1 to 1024 characters");
  if (probability !== undefined && !(typeof probability === "number" && probability >= 0 && probability <= 1)) fail(`probability must be a number from 0 to 1, not ${JSON.stringify(probability)}`);
  if (status === undefined && !latencyMs) fail("a fault needs a status, a latencyMs, or both");
  if (status === undefined && (code !== undefined || message !== undefined || retryAfter !== undefined)) fail("code, message and retryAfter go with a status");
  return {
    route: route as FaultRoute,
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(message !== undefined ? { message: message as string } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(probability !== undefined ? { probability: probability as number } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(times !== undefined ? { times } : {}),
  };
}

/** What the options of a fault text are called, and the field each sets. */
const SPEC_OPTIONS: Readonly<Record<string, keyof Fault>> = {
  "retry-after": "retryAfter",
  latency: "latencyMs",
  code: "code",
  times: "times",
};

/**
 * A fault written as text, as `--fault` takes it: `ROUTE:STATUS[:PROBABILITY][:OPTION=VALUE…]`, where
 * STATUS is an HTTP status from 400 to 599 or `delay` (the route answers, after the latency), and the
 * options are `retry-after=SECONDS`, `latency=MS`, `code=N`, `times=N`. Examples: `list:429:0.2`,
 * `all:503:retry-after=1:times=2`, `upload-url:415`, `list:delay:latency=300`.
 * @throws TypeError saying what is wrong.
 */
export function parseFaultSpec(text: string): Fault {
  const fail = (problem: string): never => {
    throw new TypeError(`fault ${JSON.stringify(text)}: ${problem} (the form is ROUTE:STATUS[:PROBABILITY][:OPTION=VALUE…], e.g. list:429:0.2:retry-after=1)`);
  };
  const [route = "", status = "", ...rest] = text.split(":");
  const rule: Record<string, unknown> = { route };
  if (status !== "delay") rule["status"] = /^\d{3}$/.test(status) ? Number(status) : fail(`the status must be an HTTP status or delay, not ${JSON.stringify(status)}`);
  for (const [index, part] of rest.entries()) {
    const equals = part.indexOf("=");
    if (equals < 0) {
      if (index !== 0) fail(`${JSON.stringify(part)} is not OPTION=VALUE`);
      rule["probability"] = /^(?:0|1|0?\.\d+|1\.0*)$/.test(part) ? Number(part) : fail(`the probability must be a number from 0 to 1, not ${JSON.stringify(part)}`);
      continue;
    }
    const name = part.slice(0, equals);
    const field = Object.hasOwn(SPEC_OPTIONS, name) ? SPEC_OPTIONS[name]! : fail(`unknown option ${JSON.stringify(name)}; the options are ${Object.keys(SPEC_OPTIONS).join(", ")}`);
    const value = part.slice(equals + 1);
    rule[field] = /^\d{1,15}$/.test(value) ? Number(value) : fail(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  }
  return checkFault(rule, `fault ${JSON.stringify(text)}`);
}

/**
 * Settings from JSON (a fault file, the admin route): an array of rules, or `{ "seed"?: N, "faults": [...] }`.
 * @throws TypeError saying which rule is wrong and how.
 */
export function checkFaultSettings(value: unknown): { readonly seed?: number; readonly faults: Fault[] } {
  const input = Array.isArray(value) ? { faults: value } : value;
  if (typeof input !== "object" || input === null) throw new TypeError('fault settings are an array of faults, or { "seed": N, "faults": [...] }');
  const { seed, faults, ...others } = input as { seed?: unknown; faults?: unknown };
  const extra = Object.keys(others)[0];
  if (extra !== undefined) throw new TypeError(`${JSON.stringify(extra)} is not a field of the fault settings (seed, faults)`);
  if (!Array.isArray(faults)) throw new TypeError('fault settings need "faults": an array of faults');
  if (seed !== undefined && !isSeed(seed)) throw new TypeError(`seed must be a whole number from 0 to ${2 ** 32 - 1}`);
  return { ...(seed !== undefined ? { seed: seed as number } : {}), faults: faults.map((rule, index) => checkFault(rule, `fault ${index}`)) };
}

/** Whether `value` is a PRNG seed: a whole number that fits 32 bits. */
export function isSeed(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value < 2 ** 32;
}

/** The faults in force for one emulator, and the PRNG that decides which requests the probabilistic ones hit. */
export class FaultTable {
  #rules: { fault: Fault; fired: number }[] = [];
  #seed: number;
  #random: () => number;

  /** Rules in force from the start; `seed` (default: a random one, shown by {@link settings}) makes the draws repeatable. */
  constructor(faults: readonly Fault[] = [], seed?: number) {
    this.#seed = seed ?? crypto.getRandomValues(new Uint32Array(1))[0]!;
    this.#random = random(this.#seed);
    this.#rules = faults.map((fault) => ({ fault, fired: 0 }));
  }

  /**
   * Replaces the rules (checked by {@link checkFaultSettings}), and the seed when one is given. The PRNG
   * starts again from the seed, so that the same settings and the same requests give the same faults,
   * whatever came before.
   */
  set(input: { readonly seed?: number; readonly faults: readonly Fault[] }): FaultSettings {
    if (input.seed !== undefined) this.#seed = input.seed;
    this.#random = random(this.#seed);
    this.#rules = input.faults.map((fault) => ({ fault, fired: 0 }));
    return this.settings();
  }

  /** Whether any rule is set (spent ones included): without, requests are not even looked at. */
  get active(): boolean {
    return this.#rules.length > 0;
  }

  settings(): FaultSettings {
    return { seed: this.#seed, faults: this.#rules.map(({ fault, fired }) => ({ ...fault, fired })) };
  }

  /** The first rule that fires for a request of `route` (`undefined`: a path no route has), if any. */
  pick(route: FaultRoute | undefined): Fault | undefined {
    for (const rule of this.#rules) {
      const { fault } = rule;
      if (fault.route !== "all" && fault.route !== route) continue;
      if (fault.times !== undefined && rule.fired >= fault.times) continue;
      // A draw only for a rule that may not fire, so that rules that always fire do not shift the draws of the others.
      if (fault.probability !== undefined && fault.probability < 1 && !(this.#random() < fault.probability)) continue;
      rule.fired++;
      return fault;
    }
    return undefined;
  }
}

/** The answer of a fault with a status: the failure envelope, `Retry-After` if set, and no `x-should-retry`. */
export function faultResponse(fault: Fault & { readonly status: number }): Response {
  const fallback = defaultError(fault.status);
  const error = { code: fault.code ?? fallback.code, message: fault.message ?? fallback.message };
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  return new Response(JSON.stringify({ success: false, errors: [error], messages: [], result: null }), { status: fault.status, headers });
}

/** How a fault shows in the request log: `list:429`, `all:delay`. */
export function faultLabel(fault: Fault): string {
  return `${fault.route}:${fault.status ?? "delay"}`;
}

/**
 * The fault route of a request, by its method and path (`/client/v4` or not); `undefined` for a path
 * no route has (only `all` faults hit those).
 */
export function faultRouteOf(method: string, pathname: string, uploadPrefix: string, deliveryPrefix: string): FaultRoute | undefined {
  if (pathname.startsWith(`${uploadPrefix}/`)) return method === "POST" ? "upload-url" : undefined;
  if (pathname.startsWith(`${deliveryPrefix}/`)) return method === "GET" || method === "HEAD" ? "delivery" : undefined;
  const path = pathname.startsWith("/client/v4/") ? pathname.slice("/client/v4".length) : pathname;
  // ["", "accounts", account, "images", version, ...rest]
  const [empty, accounts, , images, version, ...rest] = path.split("/");
  if (empty !== "" || accounts !== "accounts" || images !== "images") return undefined;
  const shape = `${method} ${version} ${rest.length === 0 ? "" : rest.length === 1 ? (rest[0] === "stats" || rest[0] === "direct_upload" ? rest[0] : ":id") : rest.length === 2 && rest[1] === "blob" ? ":id/blob" : "?"}`;
  return SHAPES[shape];
}

const SHAPES: Readonly<Record<string, FaultRoute>> = {
  "GET v2 ": "list",
  "POST v2 direct_upload": "direct-upload",
  "GET v1 ": "list-v1",
  "POST v1 ": "upload",
  "GET v1 stats": "stats",
  "GET v1 :id": "get",
  "PATCH v1 :id": "update",
  "DELETE v1 :id": "delete",
  "GET v1 :id/blob": "blob",
};
