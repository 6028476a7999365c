// What X's answers mean for Keyport (contract §4–§6). Only a 401 from the token endpoint is the
// app's fault; a 400 invalid_request is the grant's; anything else — 5xx, 429, a timeout, a lost
// reply, a body we do not understand — is transient and must never discard a token or call
// credentials bad.
export type TransientReason = "timeout" | "unreachable" | "server-error" | "rate-limited" | "unexpected";

export type TokenFailure =
  | { kind: "app-credentials"; status: number; error: string }
  | { kind: "grant"; status: number; description: string }
  | { kind: "transient"; reason: TransientReason; status?: number };

export type ApiFailure =
  | { kind: "unauthorized" }
  | { kind: "forbidden"; reason?: string }
  | { kind: "client-not-enrolled" }
  | { kind: "transient"; reason: TransientReason; status?: number };

export type OAuthErrorBody = { error: string; error_description?: string };

export function readOAuthError(body: unknown): OAuthErrorBody | null {
  if (typeof body !== "object" || body === null) return null;
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error !== "string") return null;
  return { error, ...(typeof error_description === "string" ? { error_description } : {}) };
}

export function classifyTokenError(status: number, body: unknown): TokenFailure {
  const oauthError = readOAuthError(body);
  if (status === 401 && oauthError && ["unauthorized_client", "invalid_client"].includes(oauthError.error)) {
    return { kind: "app-credentials", status, error: oauthError.error };
  }
  // Only an answer about the grant itself (its code, verifier, redirect uri or token) blames the
  // grant. "Missing required parameter" or a grant-type complaint means Keyport sent a bad
  // request: a bug to fix, never a reason to send every account to reconnect.
  if (status === 400 && oauthError && (oauthError.error === "invalid_grant" || (oauthError.error === "invalid_request" && GRANT_PROBLEM.test(oauthError.error_description ?? "")))) {
    return { kind: "grant", status, description: oauthError.error_description ?? "" };
  }
  return transientFromStatus(status);
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
export function transientFromError(error: unknown): { kind: "transient"; reason: TransientReason } {
  const name = (error as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return { kind: "transient", reason: "timeout" };
  return { kind: "transient", reason: "unreachable" };
}

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
