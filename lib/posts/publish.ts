// Publishing posts through a connected account's own X app: the one function the API
// (POST /api/v1/posts) and the dashboard composer both call.
//
// Exactly once: the attempt is recorded (and an Idempotency-Key claimed by a unique index) before
// X is called. A retry of a published request replays its result; a retry of a request that X
// refused or never received tries again; a retry of a request whose answer was lost (it may have
// posted) is refused with outcome_unknown, forever — posting twice is worse than asking a person
// to look at the account.
import "server-only";
import { createHash } from "node:crypto";
import { observeRateWindows } from "../connections/quota";
import { getValidAccessToken, markAccountForReconnect, type TokenResult } from "../connections/tokens";
import { recordXCall } from "../connections/usage";
import { accountForPosting, claimAttempt, expireStaleClaim, finishAttempt, getAttempt, reclaimFailed, tokenVersionHolding, type AttemptRow } from "../data/posts";
import { env } from "../env";
import { xEndpoints } from "../x/endpoints";
import { createTweet, type CreateTweetOutcome } from "../x/tweets";
import { listPosts as listPublishedPosts } from "./list";
import { lackingScopes, missingScope, publishedPost, tweetFailure } from "./outcomes";
import { MAX_WEIGHTED_LENGTH, weighPost } from "./text";
import type { PublishError, PublishPostInput, PublishPostResult } from "./types";

export type * from "./types";
export const listPosts = listPublishedPosts;

/** How long a racing retry waits for the first request's answer before saying "in progress". */
const RACE_WAIT_MS = 5_000;

export async function publishPost(input: PublishPostInput): Promise<PublishPostResult> {
  const weight = weighPost(input.text);
  if (!input.text.trim()) return fail("invalid_request", "The text is empty.");
  if (weight.weightedLength > MAX_WEIGHTED_LENGTH || !weight.valid) {
    return fail("text_too_long", `X counts this text as ${weight.weightedLength} of ${MAX_WEIGHTED_LENGTH} (links count 23, CJK characters and emoji 2). Shorten it by ${Math.max(1, weight.weightedLength - MAX_WEIGHTED_LENGTH)}.`);
  }
  const account = await accountForPosting(input.workspaceId, input.accountId);
  if (!account) return fail("not_found", "No such account in this workspace.");

  const claim = await claimAttempt({
    workspaceId: input.workspaceId,
    brandId: account.brandId,
    accountId: account.id,
    credentialId: account.credentialId,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash(input),
    text: input.text,
    replyToPostId: input.replyToPostId ?? null,
    quotePostId: input.quotePostId ?? null,
    costClass: weight.costClass,
    claimedUntil: leaseEnd(),
    username: account.username,
    actorKind: input.actor.kind,
    actorId: input.actor.id,
    actorName: input.actor.name,
  });
  let attempt: AttemptRow;
  if (claim.claimed) {
    attempt = claim.attempt;
  } else {
    const settled = await settleExisting(input, claim.existing);
    if (settled) return settled;
    attempt = claim.existing;
  }

  const progress = { sent: false };
  try {
    return await publishClaimed(input, account, attempt, progress);
  } catch (error) {
    // Unexpected (the database, say). Before X was called nothing can have posted: free the key
    // for a retry. After, the claim stays until its lease ends and the outcome counts as unknown.
    if (!progress.sent) {
      await finishAttempt(input.workspaceId, attempt.id, { state: "FAILED", errorCode: "internal_error", errorDetail: "Keyport failed before calling X." }).catch(() => null);
    }
    throw error;
  }
}

/** What a request gets whose Idempotency-Key was used before; null when it may go ahead (a FAILED attempt it took over). */
async function settleExisting(input: PublishPostInput, existing: AttemptRow): Promise<PublishPostResult | null> {
  if (existing.requestHash !== requestHash(input)) {
    return fail("idempotency_key_reused", "This Idempotency-Key was used with a different request body. Use a new key for a different post.");
  }
  let row: AttemptRow | null = existing;
  const deadline = Date.now() + RACE_WAIT_MS;
  while (row && row.state === "PENDING") {
    if (row.claimedUntil && row.claimedUntil.getTime() < Date.now()) {
      await expireStaleClaim(input.workspaceId, row.id);
    } else if (Date.now() >= deadline) {
      return fail("idempotency_in_progress", "A request with this Idempotency-Key is still being published. Retry in a moment with the same key.", 2);
    } else {
      await sleep(100);
    }
    row = await getAttempt(input.workspaceId, row.id);
  }
  if (!row) return fail("not_found", "No such attempt.");
  if (row.state === "PUBLISHED") return { ok: true, post: publishedPost(row), replayed: true };
  if (row.state === "UNKNOWN") return outcomeUnknown(row.username);
  // FAILED: X refused it or never got it, so nothing was posted; this retry may try again.
  if (await reclaimFailed(input.workspaceId, row.id, leaseEnd())) return null;
  return settleExisting(input, (await getAttempt(input.workspaceId, row.id)) ?? row);
}

type Account = NonNullable<Awaited<ReturnType<typeof accountForPosting>>>;

async function publishClaimed(input: PublishPostInput, account: Account, attempt: AttemptRow, progress: { sent: boolean }): Promise<PublishPostResult> {
  const failed = async (error: PublishError, state: "FAILED" | "UNKNOWN" = "FAILED") => {
    await finishAttempt(input.workspaceId, attempt.id, { state, errorCode: error.code, errorDetail: error.detail });
    return { ok: false, error } as const;
  };
  // Known before asking X: the grant lacks a posting scope (X would answer 403).
  if (lackingScopes(account.grantedScopes).length && account.status !== "DISCONNECTED") return failed(await missingScope(input.workspaceId, account));
  if (account.status === "NEEDS_RECONNECT" && account.statusReason === "missing-scopes") {
    return failed({ code: "missing_x_scope", detail: `X did not give @${account.username} permission to post. Set the app's permissions to "Read and write" in X's developer console, then reconnect the account.` });
  }
  if (account.status === "NEEDS_RECONNECT" || account.status === "DISCONNECTED") {
    return failed({ code: "account_needs_reconnect", detail: `@${account.username} needs reconnecting before it can post. Send its owner a reconnect link from the brand page.` });
  }
  let token = await getValidAccessToken(input.workspaceId, account.id);
  if (!token.ok) return failed(tokenFailure(token, account.username));

  const endpoints = xEndpoints();
  const body = { text: input.text, replyToPostId: input.replyToPostId, quotePostId: input.quotePostId };
  progress.sent = true;
  let outcome = await createTweet(endpoints, token.accessToken, body);
  observe(input.workspaceId, account, outcome);
  if (outcome.kind === "refused" && outcome.status === 401) {
    // X refused the access token (revoked, or expired early): one retry with a fresh one.
    const refused = await tokenVersionHolding(input.workspaceId, account.id, token.accessToken);
    token = await getValidAccessToken(input.workspaceId, account.id, refused === null ? {} : { refused });
    if (!token.ok) return failed(tokenFailure(token, account.username));
    outcome = await createTweet(endpoints, token.accessToken, body);
    observe(input.workspaceId, account, outcome);
    if (outcome.kind === "refused" && outcome.status === 401) {
      await markAccountForReconnect(input.workspaceId, account.id, "token-revoked", "X refused a freshly refreshed access token when publishing.");
      return failed({ code: "account_needs_reconnect", detail: `X no longer accepts @${account.username}'s connection. Reconnect the account, then post again.` });
    }
  }

  if (outcome.kind === "created" || outcome.kind === "unknown") {
    // X bills a post it created even when its answer is lost (the emulator does too), so count it either way.
    await recordXCall({ workspaceId: input.workspaceId, credentialId: account.credentialId, kind: attempt.costClass === "url" ? "post-url" : "post", billed: true });
  }
  if (outcome.kind === "created") {
    const row = await finishAttempt(input.workspaceId, attempt.id, { state: "PUBLISHED", xPostId: outcome.id, credentialId: account.credentialId });
    if (!row) return outcomeUnknown(account.username); // our claim expired meanwhile: someone else decided
    return { ok: true, post: publishedPost(row), replayed: false };
  }
  if (outcome.kind === "unknown") return failed(outcomeUnknown(account.username).error, "UNKNOWN");
  return failed(await tweetFailure(input.workspaceId, account, outcome));
}

function tokenFailure(token: Extract<TokenResult, { ok: false }>, username: string): PublishError {
  switch (token.reason) {
    case "not-found":
      return { code: "not_found", detail: "No such account in this workspace." };
    case "not-active":
    case "needs-reconnect":
      return { code: "account_needs_reconnect", detail: `@${username} needs reconnecting before it can post. Send its owner a reconnect link from the brand page.` };
    case "busy":
      return { code: "x_unavailable", detail: "The account's token is being refreshed right now. Nothing was posted; retry in a few seconds.", retryAfterSeconds: 5 };
    default:
      return { code: "x_unavailable", detail: "X did not answer the token refresh. Nothing was posted; retry shortly.", retryAfterSeconds: 30 };
  }
}

function observe(workspaceId: string, account: Account, outcome: CreateTweetOutcome) {
  if (outcome.kind !== "created" && outcome.kind !== "refused") return;
  observeRateWindows({ workspaceId, credentialId: account.credentialId, accountId: account.id, windows: outcome.windows, limited: outcome.kind === "refused" && outcome.status === 429 });
}

function outcomeUnknown(username: string) {
  return fail(
    "outcome_unknown",
    `X's answer to the first request with this Idempotency-Key was lost, so the post may or may not exist. Check @${username} on X before posting again (with a new key); Keyport will not resend this one.`,
  ) as { ok: false; error: PublishError };
}

function requestHash(input: PublishPostInput) {
  const canonical = JSON.stringify([input.accountId, input.text, input.replyToPostId ?? null, input.quotePostId ?? null]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** Covers a token refresh (which may wait for another holder's) and two calls to X. */
function leaseEnd() {
  return new Date(Date.now() + 4 * env.X_TIMEOUT_MS + 15_000);
}

function fail(code: PublishError["code"], detail: string, retryAfterSeconds?: number): PublishPostResult {
  return { ok: false, error: { code, detail, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
