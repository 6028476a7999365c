// Finishing a connection, for GET /api/integrations/twitter/callback. The order is the security:
// find the attempt by the hash of `state` → check who is finishing it → consume it atomically →
// only then talk to X. Anything that fails a check before the consume never reaches X's token
// endpoint, and a second hit of the same callback finds the attempt consumed and is shown the
// first hit's outcome.
import "server-only";
import { openColumn, SEALED } from "../crypto/app-ring";
import { openCredential } from "../data/x-credentials";
import { db } from "../db";
import { getMe } from "../x/api";
import type { ApiFailure, TokenFailure } from "../x/errors";
import { xEndpoints, type XEndpoints } from "../x/endpoints";
import { exchangeCode, revokeToken, type TokenSet, type XClient } from "../x/oauth";
import { missingScopes } from "../x/scopes";
import { workspaceRequestedScopes } from "../data/workspace-scopes";
import { plainText, type AttemptOutcome, type OutcomeDetail } from "./outcomes";
import { sha256Hex } from "../crypto/bearer";
import { CredentialsChangedError, LinkUnavailableError, storeConnectedAccount } from "./store-account";
import { observeRateWindows } from "./quota";
import { recordXCall } from "./usage";

/** Why the callback refused to look any further; the route answers these with its own page. */
export type Refusal = "missing-state" | "unknown-state" | "other-user" | "signed-out" | "not-a-member" | "other-browser";

export type Finisher = {
  /** The signed-in Keyport user, if any. */
  userId: string | null;
  /** The workspaces that user belongs to now (membership can end while they are at X). */
  workspaceIds: string[];
  /** The connect-link token this browser holds for the link (set when the link started the attempt). */
  linkToken: (linkId: string) => string | undefined;
};

export type FinishResult =
  | { kind: "refused"; reason: Refusal }
  | {
      kind: "done";
      attemptId: string;
      outcome: string | null;
      returnPath: string;
      /** For a signed-in user's attempt, the workspace the brand page to return to belongs to. */
      workspaceId: string | null;
    };

type Attempt = NonNullable<Awaited<ReturnType<typeof findAttempt>>>;
type Completed = { outcome: AttemptOutcome; detail?: OutcomeDetail; accountId?: string };

const MAX_STATE = 500;

export async function finishConnectAttempt(params: URLSearchParams, who: Finisher): Promise<FinishResult> {
  const state = params.get("state");
  if (!state) return { kind: "refused", reason: "missing-state" };
  if (state.length > MAX_STATE) return { kind: "refused", reason: "unknown-state" };
  const attempt = await findAttempt(state);
  if (!attempt) return { kind: "refused", reason: "unknown-state" };

  let returnPath: string;
  if (attempt.userId) {
    if (!who.userId) return { kind: "refused", reason: "signed-out" };
    if (who.userId !== attempt.userId) return { kind: "refused", reason: "other-user" };
    if (!who.workspaceIds.includes(attempt.workspaceId)) return { kind: "refused", reason: "not-a-member" };
    returnPath = `/brands/${encodeURIComponent(attempt.brandId)}?connect=${encodeURIComponent(attempt.id)}`;
  } else if (attempt.linkId) {
    const link = await db.connectLink.findFirst({ where: { id: attempt.linkId, workspaceId: attempt.workspaceId }, select: { tokenHash: true } });
    const token = who.linkToken(attempt.linkId);
    if (!link || !token || sha256Hex(token) !== link.tokenHash) return { kind: "refused", reason: "other-browser" };
    returnPath = `/connect/${encodeURIComponent(token)}?attempt=${encodeURIComponent(attempt.id)}`;
  } else {
    return { kind: "refused", reason: "unknown-state" };
  }
  const done = (outcome: string | null): FinishResult => ({ kind: "done", attemptId: attempt.id, outcome, returnPath, workspaceId: attempt.userId ? attempt.workspaceId : null });

  if (attempt.consumedAt) return done(await settledOutcome(attempt.id));
  const now = new Date();
  const claimed = await db.connectAttempt.updateMany({
    where: { id: attempt.id, workspaceId: attempt.workspaceId, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  if (claimed.count !== 1) {
    // Either a simultaneous hit consumed it first, or it has expired: record the expiry once.
    await db.connectAttempt.updateMany({
      where: { id: attempt.id, workspaceId: attempt.workspaceId, consumedAt: null },
      data: { consumedAt: now, outcome: "expired" },
    });
    return done(await settledOutcome(attempt.id));
  }

  let result: Completed;
  try {
    result = await complete(attempt, params, state);
  } catch (error) {
    const e = error as Error;
    console.error(`[connect] attempt ${attempt.id} failed unexpectedly: ${e?.name ?? "Error"}: ${String(e?.message ?? "").split("\n")[0]!.slice(0, 200)}`);
    result = { outcome: "failed" };
  }
  await db.connectAttempt.updateMany({
    where: { id: attempt.id, workspaceId: attempt.workspaceId },
    data: { outcome: result.outcome, outcomeDetail: result.detail ? JSON.stringify(result.detail) : null, accountId: result.accountId ?? null },
  });
  console.info(`[connect] attempt ${attempt.id} brand ${attempt.brandId}: ${result.outcome}`);
  return done(result.outcome);
}

async function complete(attempt: Attempt, params: URLSearchParams, state: string): Promise<Completed> {
  const error = params.get("error");
  const code = params.get("code");
  if (error) {
    if (error === "access_denied") return { outcome: "cancelled" };
    const description = plainText(params.get("error_description"));
    return { outcome: "x-error", detail: { error: error.replace(/[^a-z0-9_.-]/gi, "").slice(0, 40) || "unknown", ...(description ? { description } : {}) } };
  }
  // X is expected to send error=access_denied on cancel, but that isn't confirmed (contract §3):
  // coming back with neither a code nor an error is a cancelled attempt too.
  if (!code) return { outcome: "cancelled" };

  let link: { id: string; createdByName: string } | null = null;
  if (attempt.linkId) {
    const row = await db.connectLink.findFirst({
      where: { id: attempt.linkId, workspaceId: attempt.workspaceId, consumedAt: null, revokedAt: null },
      select: { id: true, createdById: true },
    });
    if (!row) return { outcome: "link-unavailable" };
    link = { id: row.id, createdByName: (await userName(row.createdById)) ?? "a former member" };
  }

  const credential = await openCredential(attempt.workspaceId, attempt.credentialId);
  if (!credential || credential.version !== attempt.credentialVersion) return { outcome: "credentials-changed" };
  const client: XClient = { clientId: credential.clientId, clientSecret: credential.clientSecret };
  const endpoints = xEndpoints();
  const verifier = openColumn(SEALED.pkceVerifier, attempt.id, attempt.verifierSealed);

  const exchanged = await exchangeCode(endpoints, client, { code, state, redirectUri: attempt.redirectUri, verifier });
  if (!exchanged.ok) return fromTokenFailure(exchanged.failure);
  const tokens = exchanged.tokens;
  // Only the default set flags an account; the workspace's optional scopes are reported, not
  // required (X may grant less than asked when the app's permissions are narrower, contract §2).
  const missingRequired = missingScopes(tokens.scopes);
  const missing = missingScopes(tokens.scopes, await workspaceRequestedScopes(attempt.workspaceId));

  const me = await getMe(endpoints, tokens.accessToken);
  // Keyport's own calls, for the app's cost figures: the code exchange (X does not bill it) and
  // the profile read (a User: Read once X answered it, contract §8).
  const usage = { workspaceId: attempt.workspaceId, credentialId: credential.id };
  await Promise.all([recordXCall({ ...usage, kind: "token", billed: false }), recordXCall({ ...usage, kind: "user-read", billed: me.ok })]);
  if (!me.ok) {
    // We hold a grant for an account we can't name: give it back rather than leave Keyport
    // listed under the person's connected apps with nothing on our side.
    await revokeQuietly(endpoints, client, tokens);
    return fromApiFailure(me.failure, missing);
  }

  const connectedBy = attempt.userId ? { id: attempt.userId, name: (await userName(attempt.userId)) ?? "A former member" } : null;
  try {
    const stored = await storeConnectedAccount({
      workspaceId: attempt.workspaceId,
      brandId: attempt.brandId,
      profile: me.value,
      tokens,
      missing: missingRequired,
      credential: { id: credential.id, version: credential.version, clientIdPreview: credential.clientId.slice(0, 6) },
      connectedBy,
      link,
    });
    // The profile read's rate-limit window, now that there is an account to hold it.
    if (me.windows.length) observeRateWindows({ workspaceId: attempt.workspaceId, credentialId: credential.id, accountId: stored.accountId, windows: me.windows });
    return { outcome: missing.length ? "missing-scopes" : "connected", detail: { username: me.value.username, missing }, accountId: stored.accountId };
  } catch (error) {
    await revokeQuietly(endpoints, client, tokens);
    if (error instanceof LinkUnavailableError) return { outcome: "link-unavailable" };
    if (error instanceof CredentialsChangedError) return { outcome: "credentials-changed" };
    throw error;
  }
}

function fromTokenFailure(failure: TokenFailure): Completed {
  if (failure.kind === "app-credentials") return { outcome: "app-credentials" };
  if (failure.kind === "grant") return { outcome: "code-rejected" };
  return { outcome: "x-unreachable", detail: { step: "token" } };
}

function fromApiFailure(failure: ApiFailure, missing: string[]): Completed {
  if (failure.kind === "client-not-enrolled") return { outcome: "app-not-enrolled" };
  // A 401 on a token X issued a moment ago is not a scope problem (that is 403).
  if (failure.kind === "unauthorized") return { outcome: "token-rejected" };
  if (failure.kind === "forbidden") return { outcome: "profile-forbidden", detail: { missing } };
  return { outcome: "x-unreachable", detail: { step: "profile" } };
}

async function revokeQuietly(endpoints: XEndpoints, client: XClient, tokens: TokenSet) {
  if (tokens.refreshToken) await revokeToken(endpoints, client, tokens.refreshToken, "refresh_token");
  await revokeToken(endpoints, client, tokens.accessToken, "access_token");
}

function findAttempt(state: string) {
  return db.connectAttempt.findUnique({
    where: { stateHash: sha256Hex(state) },
    select: {
      id: true,
      workspaceId: true,
      brandId: true,
      verifierSealed: true,
      userId: true,
      linkId: true,
      credentialId: true,
      credentialVersion: true,
      redirectUri: true,
      expiresAt: true,
      consumedAt: true,
    },
  });
}

/** A simultaneous first hit may still be talking to X: give it a few seconds to finish. */
async function settledOutcome(attemptId: string, waitMs = 8_000): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const row = await db.connectAttempt.findUnique({ where: { id: attemptId }, select: { outcome: true } });
    if (row?.outcome || Date.now() >= deadline) return row?.outcome ?? null;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function userName(id: string) {
  return (await db.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}
