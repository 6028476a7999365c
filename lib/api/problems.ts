// Every error the public API answers, by stable code: RFC 9457 problem details. The code is the
// contract (clients branch on it); title is the same for every occurrence of a code; detail says
// what happened this time. The catalogue also feeds the reference page and the OpenAPI document.
export const PROBLEMS = {
  unauthenticated: { status: 401, title: "API key required", about: "No `Authorization: Bearer kp_live_…` header was sent. Browser sessions are not accepted here." },
  invalid_api_key: { status: 401, title: "API key not recognised", about: "The bearer value is not a Keyport API key, or no such key exists." },
  api_key_revoked: { status: 401, title: "API key revoked", about: "The key was revoked in Settings → API keys. The attempt is recorded in the audit log." },
  api_key_expired: { status: 401, title: "API key expired", about: "The key is past its expiry date. The attempt is recorded in the audit log." },
  insufficient_scope: { status: 403, title: "Permission missing", about: "The key lacks the permission (scope) this operation needs; the detail names it." },
  not_found: { status: 404, title: "Not found", about: "No such resource in the key's workspace (resources of other workspaces are never visible)." },
  method_not_allowed: { status: 405, title: "Method not allowed", about: "The path exists but not with this HTTP method; see the `Allow` header." },
  unsupported_media_type: { status: 415, title: "Unsupported media type", about: "Request bodies must be JSON with `Content-Type: application/json`." },
  payload_too_large: { status: 413, title: "Request body too large", about: "Request bodies may be at most 16 KiB." },
  invalid_json: { status: 400, title: "Malformed JSON", about: "The request body is not valid JSON." },
  invalid_request: { status: 400, title: "Invalid request", about: "A parameter or body field is missing or invalid; `errors` lists each one." },
  invalid_cursor: { status: 400, title: "Invalid cursor", about: "The `cursor` was not one this API returned, or belongs to another listing." },
  account_not_in_brand: { status: 422, title: "Account belongs to another brand", about: "A reconnect link must be made on the brand the account is connected to." },
  no_x_app: { status: 409, title: "No X app for this brand", about: "Neither the brand nor the workspace has X app credentials, so a client could not connect." },
  rate_limited: { status: 429, title: "Too many requests", about: "The key used up its requests for the current window; wait `Retry-After` seconds." },
  // Publishing (lib/posts/publish.ts answers these codes).
  account_needs_reconnect: { status: 409, title: "Account needs reconnecting", about: "The account's connection no longer works; reconnect it (a reconnect link can do that)." },
  missing_x_scope: { status: 403, title: "Account lacks an X permission", about: "X did not grant the account the permission this needs (e.g. `tweet.write`); the account is flagged." },
  text_too_long: { status: 422, title: "Text too long", about: "X's weighted length of the text is over 280 (URLs count 23; CJK and emoji weigh 2)." },
  duplicate_content: { status: 403, title: "Duplicate content", about: "X refuses a post identical to a recent one from the same account." },
  x_rate_limited: { status: 429, title: "X rate limit reached", about: "X refused: the app's or the user's limit at X is used up; `Retry-After` comes from X's reset time." },
  x_unavailable: { status: 503, title: "X unavailable", about: "X did not answer or answered with an error; nothing was published. Safe to retry." },
  outcome_unknown: { status: 409, title: "Outcome unknown", about: "X's answer to an earlier attempt with this Idempotency-Key was lost; check the account before retrying with a new key." },
  idempotency_in_progress: { status: 409, title: "Request in progress", about: "An attempt with this Idempotency-Key is still running; retry shortly." },
  idempotency_key_reused: { status: 422, title: "Idempotency-Key reused", about: "This Idempotency-Key was used with a different request body." },
  not_implemented: { status: 501, title: "Not implemented", about: "This operation is documented but this Keyport version does not perform it yet." },
  internal_error: { status: 500, title: "Internal error", about: "Something failed inside Keyport. The detail carries a request id to quote; nothing else." },
} as const satisfies Record<string, { status: number; title: string; about: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

export type InvalidParam = { location: "path" | "query" | "header" | "body"; name: string; detail: string };

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  errors?: InvalidParam[];
  scope?: string;
  retryAfterSeconds?: number;
};

/** The problem `type` URI: the reference page's section on this code. */
export function problemType(publicUrl: string, code: ProblemCode) {
  return `${publicUrl}/docs/api#problem-${code}`;
}
