// "Check now": does a connected account still work at X? Nothing else notices a grant revoked on
// X's side (the account owner removing the app, a secret regenerated in the portal) until a token
// is used, so staff can ask. Reads the profile with a valid token (refreshing near expiry as
// usual); a 401 means X killed the access token early, so it is refreshed once, and if X refuses
// that too the account is marked with the reason. X being down changes nothing.
import "server-only";
import { db } from "../db";
import type { ReconnectReason } from "../reconnect-reasons";
import { getMe } from "../x/api";
import { xEndpoints } from "../x/endpoints";
import { TRANSIENT_MESSAGE } from "../x/errors";
import { getValidAccessToken, markAccountForReconnect, type TokenResult } from "./tokens";

export type CheckResult =
  | { status: "working"; username: string }
  | { status: "needs-reconnect"; username: string; reason: ReconnectReason }
  | { status: "unknown"; username: string; why: string }
  | { status: "not-active"; username: string }
  | { status: "not-found" };

export async function checkAccount(workspaceId: string, accountId: string): Promise<CheckResult> {
  const started = new Date();
  const result = await runCheck(workspaceId, accountId);
  // When it was last checked, whatever the outcome (the API's lastCheck; a check that worked set
  // lastProvenAt after this).
  if (result.status !== "not-found") await db.connectedAccount.updateMany({ where: { id: accountId, workspaceId }, data: { lastCheckedAt: started } });
  return result;
}

async function runCheck(workspaceId: string, accountId: string): Promise<CheckResult> {
  const account = await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { username: true, status: true } });
  if (!account) return { status: "not-found" };
  const { username } = account;
  if (account.status !== "ACTIVE") return { status: "not-active", username };

  let token = await getValidAccessToken(workspaceId, accountId);
  if (!token.ok) return fromTokenFailure(token, username);
  let me = await getMe(xEndpoints(), token.accessToken);
  if (!me.ok && me.failure.kind === "unauthorized") {
    const { tokenVersion } = (await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { tokenVersion: true } })) ?? {};
    token = await getValidAccessToken(workspaceId, accountId, { refused: tokenVersion ?? null });
    if (!token.ok) return fromTokenFailure(token, username);
    me = await getMe(xEndpoints(), token.accessToken);
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
  return { status: "unknown", username, why: TRANSIENT_MESSAGE[failure.reason] };
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
  return { status: "unknown", username, why: transientWhy(token) };
}

/** X answering "busy" or "slow down" is an answer: say so, and when Keyport tries again. */
function transientWhy(token: Extract<TokenResult, { ok: false }>): string {
  const retry = token.retryAt ? ` Keyport tries again after ${token.retryAt.toISOString().slice(0, 16).replace("T", " ")} UTC.` : "";
  const answered = token.xError && /^\d{3}\b/.test(token.xError) ? ` (X said: ${token.xError})` : "";
  if (token.transient === "rate-limited") return `X answered that this app is rate-limited right now${answered}; nothing is wrong with the account.${retry}`;
  if (token.transient === "server-error") return `X answered with a server error while renewing the token${answered}; X is busy or having trouble.${retry}`;
  if (token.transient === "timeout") return `X did not answer in time while renewing the token.${retry}`;
  if (token.transient === "unexpected") return `X gave an answer Keyport did not expect while renewing the token${answered}.${retry}`;
  return `X could not be reached to renew the token.${retry}`;
}
