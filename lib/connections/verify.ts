// "Check now": does a connected account still work at X? Nothing else notices a grant revoked on
// X's side (the account owner removing the app, a secret regenerated in the portal) until a token
// is used, so staff can ask. Reads the profile with a valid token (refreshing near expiry as
// usual); a 401 means X killed the access token early, so it is expired here and refreshed once;
// if X refuses that too, the account is marked with the reason. X being down changes nothing.
import "server-only";
import { recordAudit } from "../data/audit";
import { db } from "../db";
import type { ReconnectReason } from "../reconnect-reasons";
import { getMe } from "../x/api";
import { xEndpoints } from "../x/endpoints";
import { TRANSIENT_MESSAGE } from "../x/errors";
import { getValidAccessToken, type TokenResult } from "./tokens";

export type CheckResult =
  | { status: "working"; username: string }
  | { status: "needs-reconnect"; username: string; reason: ReconnectReason }
  | { status: "unknown"; username: string; why: string }
  | { status: "not-active"; username: string }
  | { status: "not-found" };

export async function checkAccount(workspaceId: string, accountId: string): Promise<CheckResult> {
  const account = await db.connectedAccount.findFirst({
    where: { id: accountId, workspaceId },
    select: { id: true, brandId: true, username: true, status: true, accessTokenSealed: true, refreshTokenSealed: true },
  });
  if (!account) return { status: "not-found" };
  const { username } = account;
  if (account.status !== "ACTIVE") return { status: "not-active", username };

  let token = await getValidAccessToken(workspaceId, accountId);
  if (!token.ok) return fromTokenFailure(token, username);
  let me = await getMe(xEndpoints(), token.accessToken);

  if (!me.ok && me.failure.kind === "unauthorized") {
    const current = await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { accessTokenSealed: true, refreshTokenSealed: true } });
    if (!current?.refreshTokenSealed) {
      await mark(workspaceId, account, "token-revoked", "X no longer accepts its access token and it has no refresh token.");
      return { status: "needs-reconnect", username, reason: "token-revoked" };
    }
    // Expire exactly the token X refused (compare-and-set: a newer one stored meanwhile stays),
    // then let the usual locked refresh run.
    await db.connectedAccount.updateMany({
      where: { id: accountId, workspaceId, accessTokenSealed: current.accessTokenSealed },
      data: { accessTokenExpiresAt: new Date(0) },
    });
    token = await getValidAccessToken(workspaceId, accountId);
    if (!token.ok) {
      if (token.reason === "needs-reconnect" && token.reconnectReason === "refresh-failing") {
        // X refused the access token and then the refresh token: the grant itself is gone.
        await db.connectedAccount.updateMany({
          where: { id: accountId, workspaceId, status: "NEEDS_RECONNECT", reconnectReason: "refresh-failing" },
          data: { reconnectReason: "token-revoked" },
        });
        return { status: "needs-reconnect", username, reason: "token-revoked" };
      }
      return fromTokenFailure(token, username);
    }
    me = await getMe(xEndpoints(), token.accessToken);
  }

  if (me.ok) {
    // X is the source of truth for the profile: names, handles and pictures change.
    await db.connectedAccount.updateMany({
      where: { id: accountId, workspaceId, status: "ACTIVE" },
      data: { name: me.value.name, username: me.value.username, avatarUrl: me.value.profileImageUrl },
    });
    return { status: "working", username: me.value.username };
  }
  const { failure } = me;
  if (failure.kind === "unauthorized") {
    await mark(workspaceId, account, "token-revoked", "X refused even a freshly refreshed access token.");
    return { status: "needs-reconnect", username, reason: "token-revoked" };
  }
  if (failure.kind === "forbidden") {
    await mark(workspaceId, account, "missing-scopes", "X refuses to read the profile (permissions missing).");
    return { status: "needs-reconnect", username, reason: "missing-scopes" };
  }
  if (failure.kind === "client-not-enrolled") {
    return { status: "unknown", username, why: "X says the app is not attached to a Project (client-not-enrolled); fix that in the developer portal." };
  }
  return { status: "unknown", username, why: TRANSIENT_MESSAGE[failure.reason] };
}

function fromTokenFailure(token: Extract<TokenResult, { ok: false }>, username: string): CheckResult {
  if (token.reason === "needs-reconnect") return { status: "needs-reconnect", username, reason: token.reconnectReason ?? "refresh-failing" };
  if (token.reason === "not-found") return { status: "not-found" };
  if (token.reason === "not-active") return { status: "not-active", username };
  if (token.reason === "busy") return { status: "unknown", username, why: "Keyport is renewing this account's token right now." };
  return { status: "unknown", username, why: "X could not be reached to renew the token." };
}

async function mark(workspaceId: string, account: { id: string; brandId: string; username: string }, reason: ReconnectReason, why: string) {
  const { count } = await db.connectedAccount.updateMany({
    where: { id: account.id, workspaceId, status: "ACTIVE" },
    data: { status: "NEEDS_RECONNECT", reconnectReason: reason, needsReconnectSince: new Date() },
  });
  if (count !== 1) return;
  const brand = await db.brand.findFirst({ where: { id: account.brandId, workspaceId }, select: { id: true, name: true } });
  await recordAudit({ workspaceId, actor: null, brand, action: "account.needs_reconnect", summary: `@${account.username} needs reconnecting: ${why}`, outcome: reason });
}
