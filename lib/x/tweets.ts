// POST /2/tweets with a user's access token (contract §6), and the rate-limit headers X sends back.
// What matters for exactly-once publishing is whether the request may have reached X: a refused
// connection never did (safe to try again), a timeout or a connection dropped after sending may
// have created the post (never try again blindly).
import type { XEndpoints } from "./endpoints";

/**
 * X's rate-limit windows Keyport records (contract §6): "tweets" and "users-me" are the
 * x-rate-limit-* of POST /2/tweets and GET /2/users/me (per user, 15 minutes); the 24-hour ones
 * come only with POST /2/tweets.
 */
export type RateWindowName = "tweets" | "tweets-24h-user" | "tweets-24h-app" | "users-me";
export type RateWindowHeaders = { window: RateWindowName; limit: number; remaining: number; resetAt: Date };

export type CreateTweetInput = { text: string; replyToPostId?: string | null; quotePostId?: string | null };

export type CreateTweetOutcome =
  | { kind: "created"; id: string; windows: RateWindowHeaders[] }
  /** X answered with an error: nothing was created. */
  | { kind: "refused"; status: number; body: unknown; windows: RateWindowHeaders[] }
  /** The request never left (connection refused, DNS): nothing was created. */
  | { kind: "not-sent" }
  /** Sent, but no usable answer (timeout, connection dropped): X may have created the post. */
  | { kind: "unknown"; reason: "timeout" | "lost-reply" };

const PREFIXES: [string, RateWindowName][] = [
  ["x-rate-limit", "tweets"],
  ["x-user-limit-24hour", "tweets-24h-user"],
  ["x-app-limit-24hour", "tweets-24h-app"],
];

export async function createTweet(endpoints: XEndpoints, accessToken: string, input: CreateTweetInput): Promise<CreateTweetOutcome> {
  const body: Record<string, unknown> = { text: input.text };
  if (input.replyToPostId) body.reply = { in_reply_to_tweet_id: input.replyToPostId };
  if (input.quotePostId) body.quote_tweet_id = input.quotePostId;
  let response: Response;
  try {
    response = await fetch(`${endpoints.apiBaseUrl}/2/tweets`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(endpoints.timeoutMs),
      cache: "no-store",
    });
  } catch (error) {
    return neverSent(error) ? { kind: "not-sent" } : { kind: "unknown", reason: isTimeout(error) ? "timeout" : "lost-reply" };
  }
  const windows = readRateWindows(response.headers);
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch (error) {
    // Headers came, the body did not: for a 201 the post exists but we cannot say which.
    if (response.status === 201) return { kind: "unknown", reason: isTimeout(error) ? "timeout" : "lost-reply" };
    parsed = null;
  }
  if (response.status === 201) {
    const id = (parsed as { data?: { id?: unknown } } | null)?.data?.id;
    if (typeof id === "string" && /^\d{1,19}$/.test(id)) return { kind: "created", id, windows };
    return { kind: "unknown", reason: "lost-reply" };
  }
  return { kind: "refused", status: response.status, body: parsed, windows };
}

/**
 * The rate-limit windows in a response; a window whose headers are missing or malformed is left
 * out. `endpoint` names the response's own x-rate-limit-* window (every API answer has one).
 */
export function readRateWindows(headers: Headers, endpoint: "tweets" | "users-me" = "tweets"): RateWindowHeaders[] {
  const out: RateWindowHeaders[] = [];
  const prefixes = endpoint === "tweets" ? PREFIXES : PREFIXES.filter(([prefix]) => prefix === "x-rate-limit").map(([prefix]): [string, RateWindowName] => [prefix, endpoint]);
  for (const [prefix, window] of prefixes) {
    const limit = int(headers.get(`${prefix}-limit`));
    const remaining = int(headers.get(`${prefix}-remaining`));
    const reset = int(headers.get(`${prefix}-reset`));
    if (limit === null || remaining === null || reset === null) continue;
    out.push({ window, limit, remaining, resetAt: new Date(reset * 1000) });
  }
  return out;
}

/** X's duplicate-content refusal (a 403 whose detail says so), as opposed to a missing permission. */
export function isDuplicateContent(status: number, body: unknown): boolean {
  const detail = (body as { detail?: unknown } | null)?.detail;
  return status === 403 && typeof detail === "string" && /duplicate content/i.test(detail);
}

export function isClientNotEnrolled(status: number, body: unknown): boolean {
  const b = (body ?? {}) as { reason?: unknown; title?: unknown };
  return status === 403 && (b.reason === "client-not-enrolled" || b.title === "Client Forbidden");
}

/** X's 400 about the text's length (its own count disagreeing with ours). */
export function isTextTooLong(status: number, body: unknown): boolean {
  return status === 400 && /too long|length/i.test(JSON.stringify(body ?? ""));
}

function int(value: string | null): number | null {
  if (value === null || !/^\d{1,12}$/.test(value.trim())) return null;
  return Number(value.trim());
}

const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ERR_INVALID_URL"]);

function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" && NEVER_SENT.has(cause.code);
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}
