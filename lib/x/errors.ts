// What X's answers mean for Keyport (contract §4–§6). Only a 401 from the token endpoint is the
// app's fault; a 400 invalid_request is the grant's; anything else — 5xx, 429, a timeout, a lost
// reply, a body we do not understand — is transient and must never discard a token or call
// credentials bad.
export type TransientReason = "timeout" | "unreachable" | "server-error" | "rate-limited" | "unexpected";

/**
 * `xError` is X's own answer in one line (status, error, description; never a token), for the
 * account's lastXError and its history. `retryAt` is X's x-rate-limit-reset on a 429.
 */
export type TokenFailure =
  | { kind: "app-credentials"; status: number; error: string; xError?: string }
  | { kind: "grant"; status: number; description: string; xError?: string }
  | { kind: "transient"; reason: TransientReason; status?: number; xError?: string; retryAt?: Date };

export type ApiFailure =
  | { kind: "unauthorized" }
  | { kind: "forbidden"; reason?: string }
  | { kind: "client-not-enrolled" }
  /** `retryAt` is X's x-rate-limit-reset on a 429, when it sent one. */
  | { kind: "transient"; reason: TransientReason; status?: number; retryAt?: Date };

export type OAuthErrorBody = { error: string; error_description?: string };

export function readOAuthError(body: unknown): OAuthErrorBody | null {
  if (typeof body !== "object" || body === null) return null;
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error !== "string") return null;
  return { error, ...(typeof error_description === "string" ? { error_description } : {}) };
}

export function classifyTokenError(status: number, body: unknown): TokenFailure {
  const oauthError = readOAuthError(body);
  const xError = describeXAnswer(status, body);
  if (status === 401 && oauthError && ["unauthorized_client", "invalid_client"].includes(oauthError.error)) {
    return { kind: "app-credentials", status, error: oauthError.error, xError };
  }
  // Only an answer about the grant itself (its code, verifier, redirect uri or token) blames the
  // grant. "Missing required parameter" or a grant-type complaint means Keyport sent a bad
  // request: a bug to fix, never a reason to send every account to reconnect.
  if (status === 400 && oauthError && (oauthError.error === "invalid_grant" || (oauthError.error === "invalid_request" && GRANT_PROBLEM.test(oauthError.error_description ?? "")))) {
    return { kind: "grant", status, description: oauthError.error_description ?? "", xError };
  }
  return { ...transientFromStatus(status), xError };
}

/** X's answer in one line, as recorded on the account: "400 invalid_request: Value passed for the token was invalid." */
export function describeXAnswer(status: number, body: unknown): string {
  const oauthError = readOAuthError(body);
  const problem = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const words = oauthError
    ? `${oauthError.error}${oauthError.error_description ? `: ${oauthError.error_description}` : ""}`
    : [problem.title, problem.detail, problem.reason].filter((v): v is string => typeof v === "string").join(": ");
  return `${status}${words ? ` ${words}` : ""}`.slice(0, 300);
}

/** X's `x-rate-limit-reset` (unix seconds) as a time, if it is a sane one. */
export function rateLimitReset(headers: Headers): Date | undefined {
  const reset = Number(headers.get("x-rate-limit-reset"));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return new Date(reset * 1000);
}

const GRANT_PROBLEM = /^Value passed for the (authorization code|code verifier|redirect uri|token) /;

export function classifyApiError(status: number, body: unknown): ApiFailure {
  const problem = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (status === 401) return { kind: "unauthorized" };
  if (status === 403) {
    if (problem.reason === "client-not-enrolled" || problem.title === "Client Forbidden") return { kind: "client-not-enrolled" };
    return { kind: "forbidden", ...(typeof problem.detail === "string" ? { reason: problem.detail } : {}) };
  }
  return transientFromStatus(status);
}

/** Network-level failures: the request may or may not have reached X. */
export function transientFromError(error: unknown): { kind: "transient"; reason: TransientReason; xError: string } {
  const name = (error as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return { kind: "transient", reason: "timeout", xError: `${NO_REPLY}: timed out` };
  return { kind: "transient", reason: "unreachable", xError: `${NO_REPLY}: connection failed or reply lost` };
}

/**
 * How a failure without an answer starts its xError. Such a request may still have reached X: on
 * a refresh, X may have rotated the refresh token and the new one is lost with the reply.
 */
export const NO_REPLY = "no reply from X";

function transientFromStatus(status: number): { kind: "transient"; reason: TransientReason; status: number } {
  if (status === 429) return { kind: "transient", reason: "rate-limited", status };
  if (status >= 500) return { kind: "transient", reason: "server-error", status };
  return { kind: "transient", reason: "unexpected", status };
}

export const TRANSIENT_MESSAGE: Record<TransientReason, string> = {
  timeout: "X did not answer in time.",
  unreachable: "X could not be reached (or its answer was lost on the way).",
  "server-error": "X answered with a server error.",
  "rate-limited": "X is rate-limiting this app right now.",
  unexpected: "X gave an answer Keyport did not expect.",
};
