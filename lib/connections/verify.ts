// "Check now": does a connected account still work at X? Nothing else notices a grant revoked on
// X's side (the account owner removing the app, a secret regenerated in the portal) until a token
// is used, so staff can ask. Reads the profile with a valid token (refreshing near expiry as
// usual); a 401 means X killed the access token early, so it is refreshed once, and if X refuses
// that too the account is marked with the reason. X being down changes nothing.
//
// Every X call a check makes is counted here, once, for the per-app cost figures
// (lib/connections/usage.ts), whoever asked: a person's Check now or the sweep.
import "server-only";
import { db } from "../db";
import type { ReconnectReason } from "../reconnect-reasons";
import { getMe, type ApiOutcome, type XProfile } from "../x/api";
import { xEndpoints } from "../x/endpoints";
import { TRANSIENT_MESSAGE } from "../x/errors";
import { observeRateWindows } from "./quota";
import { getValidAccessToken, markAccountForReconnect, type TokenResult } from "./tokens";
import { recordXCall } from "./usage";

export type CheckResult =
  | { status: "working"; username: string }
  | { status: "needs-reconnect"; username: string; reason: ReconnectReason }
  /**
   * X did not settle it. `rateLimited`: X answered 429 — to the refresh ("app": the token
   * endpoint's limits are the app's) or to the profile read ("account": users/me is limited per
   * user); `retryAt`: when X said its window resets (x-rate-limit-reset), if it said.
   */
  | { status: "unknown"; username: string; why: string; rateLimited?: "app" | "account"; retryAt?: Date }
  | { status: "not-active"; username: string }
  | { status: "not-found" };

const DAY = 24 * 3_600_000;

/** What a check did at X, for counting: the account's row before, and the profile reads made. */
type Tally = { credentialId: string; tokenVersion: number; profileCheckedAt: Date | null; reads: number; readOk: boolean };

export async function checkAccount(workspaceId: string, accountId: string): Promise<CheckResult> {
  const started = new Date();
  const before = await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { username: true, status: true, credentialId: true, tokenVersion: true, profileCheckedAt: true } });
  if (!before) return { status: "not-found" };
  const tally: Tally = { credentialId: before.credentialId, tokenVersion: before.tokenVersion, profileCheckedAt: before.profileCheckedAt, reads: 0, readOk: false };
  const result = await runCheck(workspaceId, accountId, before, tally);
  // When it was last checked, whatever the outcome (the API's lastCheck; a check that worked set
  // lastProvenAt after this).
  if (result.status !== "not-found") await db.connectedAccount.updateMany({ where: { id: accountId, workspaceId }, data: { lastCheckedAt: started } });
  await countCalls(workspaceId, accountId, tally, started);
  return result;
}

async function runCheck(workspaceId: string, accountId: string, account: { username: string; status: string }, tally: Tally): Promise<CheckResult> {
  const { username } = account;
  if (account.status !== "ACTIVE") return { status: "not-active", username };

  let token = await getValidAccessToken(workspaceId, accountId);
  if (!token.ok) return fromTokenFailure(token, username);
  let me = await readProfile(workspaceId, accountId, token.accessToken, tally);
  if (!me.ok && me.failure.kind === "unauthorized") {
    const { tokenVersion } = (await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { tokenVersion: true } })) ?? {};
    token = await getValidAccessToken(workspaceId, accountId, { refused: tokenVersion ?? null });
    if (!token.ok) return fromTokenFailure(token, username);
    me = await readProfile(workspaceId, accountId, token.accessToken, tally);
  }

  if (me.ok) {
    // X is the source of truth for the profile: names, handles and pictures change.
    await db.connectedAccount.updateMany({
      where: { id: accountId, workspaceId, status: "ACTIVE" },
      data: { name: me.value.name, username: me.value.username, avatarUrl: me.value.profileImageUrl, profileCheckedAt: new Date(), lastProvenAt: new Date() },
    });
    return { status: "working", username: me.value.username };
  }
  const { failure } = me;
  if (failure.kind === "unauthorized") return marked(workspaceId, accountId, username, "token-revoked", "X refused even a freshly refreshed access token.");
  if (failure.kind === "forbidden") return marked(workspaceId, accountId, username, "missing-scopes", "X refuses to read the profile (permissions missing).");
  if (failure.kind === "client-not-enrolled") {
    return { status: "unknown", username, why: "X says the app is not attached to a Project (client-not-enrolled); fix that in the developer portal." };
  }
  if (failure.reason === "rate-limited") {
    const retry = failure.retryAt ? ` Keyport tries again after ${utc(failure.retryAt)} UTC.` : "";
    return { status: "unknown", username, why: `X answered that this account's profile reads are rate-limited right now; nothing is wrong with the account.${retry}`, rateLimited: "account", ...(failure.retryAt ? { retryAt: failure.retryAt } : {}) };
  }
  return { status: "unknown", username, why: TRANSIENT_MESSAGE[failure.reason] };
}

/** GET /2/users/me, with its rate-limit window recorded for the account (on a 429 too). */
async function readProfile(workspaceId: string, accountId: string, accessToken: string, tally: Tally): Promise<ApiOutcome<XProfile>> {
  const me = await getMe(xEndpoints(), accessToken);
  tally.reads++;
  if (me.ok) tally.readOk = true;
  const limited = !me.ok && me.failure.kind === "transient" && me.failure.reason === "rate-limited";
  if (me.windows.length) observeRateWindows({ workspaceId, credentialId: tally.credentialId, accountId, windows: me.windows, limited });
  return me;
}

/**
 * The check's calls to X, for the cost figures: each refresh it caused (the token version moved)
 * and each profile read. X bills a read of a user once per 24 hours (contract §8), and only an
 * answered one, so at most one per check is billed.
 */
async function countCalls(workspaceId: string, accountId: string, tally: Tally, at: Date) {
  const after = await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { tokenVersion: true } });
  const base = { workspaceId, credentialId: tally.credentialId, at };
  for (let v = tally.tokenVersion; v < (after?.tokenVersion ?? v); v++) await recordXCall({ ...base, kind: "token", billed: false });
  const billed = tally.readOk && (!tally.profileCheckedAt || at.getTime() - tally.profileCheckedAt.getTime() >= DAY);
  for (let i = 0; i < tally.reads; i++) await recordXCall({ ...base, kind: "user-read", billed: billed && i === tally.reads - 1 });
}

function utc(at: Date) {
  return at.toISOString().slice(0, 16).replace("T", " ");
}

async function marked(workspaceId: string, accountId: string, username: string, reason: ReconnectReason, why: string): Promise<CheckResult> {
  await markAccountForReconnect(workspaceId, accountId, reason, why);
  return { status: "needs-reconnect", username, reason };
}

function fromTokenFailure(token: Extract<TokenResult, { ok: false }>, username: string): CheckResult {
  if (token.reason === "needs-reconnect") return { status: "needs-reconnect", username, reason: token.reconnectReason ?? "refresh-failing" };
  if (token.reason === "not-found") return { status: "not-found" };
  if (token.reason === "not-active") return { status: "not-active", username };
  if (token.reason === "busy") return { status: "unknown", username, why: "Keyport is renewing this account's token right now." };
  if (token.transient === "rate-limited") return { status: "unknown", username, why: transientWhy(token), rateLimited: "app", ...(token.retryAt ? { retryAt: token.retryAt } : {}) };
  return { status: "unknown", username, why: transientWhy(token) };
}

/** X answering "busy" or "slow down" is an answer: say so, and when Keyport tries again. */
function transientWhy(token: Extract<TokenResult, { ok: false }>): string {
  const retry = token.retryAt ? ` Keyport tries again after ${utc(token.retryAt)} UTC.` : "";
  const answered = token.xError && /^\d{3}\b/.test(token.xError) ? ` (X said: ${token.xError})` : "";
  if (token.transient === "rate-limited") return `X answered that this app is rate-limited right now${answered}; nothing is wrong with the account.${retry}`;
  if (token.transient === "server-error") return `X answered with a server error while renewing the token${answered}; X is busy or having trouble.${retry}`;
  if (token.transient === "timeout") return `X did not answer in time while renewing the token.${retry}`;
  if (token.transient === "unexpected") return `X gave an answer Keyport did not expect while renewing the token${answered}.${retry}`;
  return `X could not be reached to renew the token.${retry}`;
}
