/**
 * Credentials, checked as the real API answers them: nothing → 400/9106, a malformed header → 400/6003
 * with an `error_chain` naming it, a credential that is not the configured one → 403/10000.
 */
import { ApiError, ErrorCode } from "./errors.js";

/** What the emulator accepts. */
export interface AuthOptions {
  /**
   * The only token accepted (as `Authorization: Bearer`, or as `X-Auth-Key` when it is a key: hex).
   * Unset: any well-formed credential is accepted, as an emulator that anyone can point an SDK at with
   * `apiToken: "anything"`.
   */
  readonly token?: string | undefined;
}

// RFC 6750 b64token: what a Bearer credential may look like.
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;
// Global API keys are hex (37 characters; the docs' example has 32). A token sent as a key is the common
// mistake, and the real API refuses it (400/6003/6103): so must the emulator, or it would work here only.
const KEY = /^[0-9A-Fa-f]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function invalidHeader(code: number, message: string): ApiError {
  return new ApiError(400, [
    { code: ErrorCode.invalidHeaders, message: "Invalid request headers", error_chain: [{ code, message }] },
  ]);
}

/** The reason a request may not go on, or `undefined` when its credentials are accepted. */
export function checkCredentials(headers: Headers, options: AuthOptions): ApiError | undefined {
  const authorization = headers.get("authorization");
  const key = headers.get("x-auth-key");
  const email = headers.get("x-auth-email");

  let presented: string;
  if (authorization !== null) {
    const bearer = BEARER.exec(authorization.trim());
    if (!bearer) return invalidHeader(6111, "Invalid format for Authorization header");
    presented = bearer[1]!;
  } else if (key !== null || email !== null) {
    if (key === null || email === null) {
      return ApiError.of(400, ErrorCode.missingCredentials, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
    }
    if (!KEY.test(key)) return invalidHeader(6103, "Invalid format for X-Auth-Key header");
    if (!EMAIL.test(email.trim())) return invalidHeader(6102, "Invalid format for X-Auth-Email header");
    presented = key;
  } else {
    return ApiError.of(400, ErrorCode.missingCredentials, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
  }

  if (options.token !== undefined && presented !== options.token) {
    return ApiError.of(403, ErrorCode.authentication, "Authentication error");
  }
  return undefined;
}
