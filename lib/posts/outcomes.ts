// X's answers to POST /2/tweets as stable API codes with words that say what to do (contract §6),
// and a stored attempt as the post the API returns.
import "server-only";
import { transitionAccount } from "../connections/status";
import type { AttemptRow } from "../data/posts";
import { isClientNotEnrolled, isDuplicateContent, isTextTooLong, type CreateTweetOutcome } from "../x/tweets";
import type { CostClass } from "./text";
import type { PublishedPost, PublishError } from "./types";

/** What POST /2/tweets needs (contract §2). */
const POSTING_SCOPES = ["tweet.read", "tweet.write", "users.read"];

export function publishedPost(row: AttemptRow): PublishedPost {
  return {
    id: row.xPostId!,
    url: `https://x.com/${encodeURIComponent(row.username)}/status/${row.xPostId}`,
    account: { id: row.accountId, username: row.username },
    text: row.text,
    replyToPostId: row.replyToPostId,
    quotePostId: row.quotePostId,
    createdAt: row.publishedAt ?? row.createdAt,
    costClass: row.costClass as CostClass,
  };
}

type Refused = Extract<CreateTweetOutcome, { kind: "refused" }>;
type Account = { id: string; username: string; grantedScopes: string; tokenVersion: number };

export async function tweetFailure(workspaceId: string, account: Account, outcome: Refused | { kind: "not-sent" }): Promise<PublishError> {
  if (outcome.kind === "not-sent") {
    return { code: "x_unavailable", detail: "X could not be reached. Nothing was posted; retry shortly.", retryAfterSeconds: 30 };
  }
  const { status, body } = outcome;
  if (isDuplicateContent(status, body)) {
    return { code: "duplicate_content", detail: `X refuses a post identical to one @${account.username} already published. Change the text.` };
  }
  if (isClientNotEnrolled(status, body)) {
    return { code: "x_unavailable", detail: "X says the app is not attached to a Project (or its plan lacks posting). Fix it in X's developer console; nothing was posted." };
  }
  if (status === 403) return missingScope(workspaceId, account);
  if (status === 429) {
    const retryAfterSeconds = retryAfter(outcome);
    return { code: "x_rate_limited", detail: `X's rate limit for this app or account is used up. Nothing was posted; X resets it in ${retryAfterSeconds} s.`, retryAfterSeconds };
  }
  if (isTextTooLong(status, body)) return { code: "text_too_long", detail: "X says the text is too long. Shorten it." };
  if (status === 400) return { code: "invalid_request", detail: `X refused the request: ${xMessages(body)}` };
  return { code: "x_unavailable", detail: `X answered ${status}. Nothing was posted; retry shortly.`, retryAfterSeconds: 30 };
}

/** The posting scopes the stored grant lacks (empty when Keyport believes it may post). */
export function lackingScopes(grantedScopes: string): string[] {
  const granted = new Set(grantedScopes.split(/\s+/).filter(Boolean));
  return POSTING_SCOPES.filter((s) => !granted.has(s));
}

/**
 * X refused (or would refuse) for a missing permission: flag the account with the scope it lacks,
 * since every later post would fail the same way until it is reconnected with it.
 */
export async function missingScope(workspaceId: string, account: Account & { status?: string }): Promise<PublishError> {
  const lacking = lackingScopes(account.grantedScopes).join(" ") || "tweet.write";
  await transitionAccount({
    workspaceId,
    accountId: account.id,
    from: ["ACTIVE", "DEGRADED"],
    to: "NEEDS_RECONNECT",
    reason: "missing-scopes",
    detail: `X refuses to publish: the grant lacks ${lacking}.`,
    xError: "403 Forbidden (POST /2/tweets)",
    tokenVersion: account.tokenVersion,
    audit: { action: "account.needs_reconnect", summary: `@${account.username} needs reconnecting: X refuses to publish without ${lacking}.`, outcome: "missing-scopes" },
  });
  return {
    code: "missing_x_scope",
    detail: `X did not give @${account.username} permission to post (${lacking}). Set the app's permissions to "Read and write" in X's developer console, then reconnect the account.`,
  };
}

/** Seconds until the exhausted window resets (the latest of those at zero), else the endpoint window's reset. */
function retryAfter(outcome: Refused, now = Date.now()): number {
  const exhausted = outcome.windows.filter((w) => w.remaining === 0);
  const pick = (exhausted.length ? exhausted : outcome.windows.filter((w) => w.window === "tweets")).map((w) => w.resetAt.getTime());
  if (pick.length === 0) return 60;
  return Math.max(1, Math.ceil((Math.max(...pick) - now) / 1000));
}

function xMessages(body: unknown): string {
  const errors = (body as { errors?: { message?: unknown }[] } | null)?.errors;
  const messages = Array.isArray(errors) ? errors.map((e) => (typeof e?.message === "string" ? e.message : null)).filter(Boolean) : [];
  return (messages.join("; ") || "invalid request").slice(0, 300);
}
