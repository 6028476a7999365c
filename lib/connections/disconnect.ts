// Disconnecting an account: revoke at X (refresh token first, then the access token, each with
// token_type_hint — contract §5), then forget the tokens whatever X said. The record stays, marked
// DISCONNECTED, for history. If X couldn't be reached the person is told revocation didn't happen.
import "server-only";
import { openColumn, SEALED } from "../crypto/app-ring";
import { openCredential } from "../data/x-credentials";
import { db } from "../db";
import { env } from "../env";
import { TRANSIENT_MESSAGE, type TokenFailure } from "../x/errors";
import { xEndpoints } from "../x/endpoints";
import { revokeToken } from "../x/oauth";
import { leaseForXCalls, withLock } from "./lock";
import { transitionAccount } from "./status";
import { refreshLockName } from "./tokens";

export type DisconnectResult =
  | { status: "not-found" }
  | { status: "busy" }
  | { status: "already-disconnected"; username: string }
  | { status: "disconnected"; username: string; revokedAtX: true }
  | { status: "disconnected"; username: string; revokedAtX: false; why: string };

export async function disconnectAccount(input: { workspaceId: string; accountId: string; actor: { id: string; name: string } }): Promise<DisconnectResult> {
  const { workspaceId, accountId, actor } = input;
  // Hold the refresh lock so a refresh can't rotate the tokens between our read and the revoke:
  // revoking a pair a refresh has just replaced would leave the new pair alive at X while we tell
  // the person access was revoked. Without the lock, stop and say so. The lease covers both calls.
  const lease = { ttlMs: leaseForXCalls(2), waitMs: env.X_TIMEOUT_MS + 5_000 };
  return withLock(refreshLockName(accountId), lease, async (held): Promise<DisconnectResult> => {
    if (!held) return { status: "busy" };
    const account = await db.connectedAccount.findFirst({
      where: { id: accountId, workspaceId },
      select: { id: true, brandId: true, username: true, status: true, accessTokenSealed: true, refreshTokenSealed: true, credentialId: true },
    });
    if (!account) return { status: "not-found" } as const;
    if (account.status === "DISCONNECTED" && !account.accessTokenSealed && !account.refreshTokenSealed) {
      return { status: "already-disconnected", username: account.username } as const;
    }

    const revoke = await revokeAtX(workspaceId, account);
    const credential = await db.xCredential.findFirst({ where: { id: account.credentialId, workspaceId }, select: { clientIdPreview: true } });
    // Whatever status it had; a disconnect always wins, and the next refresh finds no tokens.
    await transitionAccount({
      workspaceId,
      accountId: account.id,
      from: ["ACTIVE", "DEGRADED", "NEEDS_RECONNECT", "DISCONNECTED"],
      to: "DISCONNECTED",
      actor,
      data: { accessTokenSealed: null, refreshTokenSealed: null, accessTokenExpiresAt: null, tokenVersion: { increment: 1 }, nextCheckAt: null, checkRequestedAt: null },
      audit: {
        action: "account.disconnected",
        clientIdPreview: credential?.clientIdPreview ?? null,
        summary: revoke.ok
          ? `Disconnected @${account.username}; access revoked at X.`
          : `Disconnected @${account.username}; tokens deleted in Keyport, but revocation at X did not happen: ${revoke.why}.`,
        outcome: revoke.ok ? "revoked" : "local-only",
      },
    });
    return revoke.ok
      ? ({ status: "disconnected", username: account.username, revokedAtX: true } as const)
      : ({ status: "disconnected", username: account.username, revokedAtX: false, why: revoke.why } as const);
  });
}

type Revocation = { ok: true } | { ok: false; why: string };

async function revokeAtX(
  workspaceId: string,
  account: { id: string; accessTokenSealed: string | null; refreshTokenSealed: string | null; credentialId: string },
): Promise<Revocation> {
  if (!account.accessTokenSealed && !account.refreshTokenSealed) return { ok: true };
  const credential = await openCredential(workspaceId, account.credentialId);
  if (!credential) return { ok: false, why: "the X app that issued the tokens was removed from Keyport" };
  const client = { clientId: credential.clientId, clientSecret: credential.clientSecret };
  const endpoints = xEndpoints();
  const steps: [string | null, "refresh_token" | "access_token", typeof SEALED.refreshToken | typeof SEALED.accessToken][] = [
    [account.refreshTokenSealed, "refresh_token", SEALED.refreshToken],
    [account.accessTokenSealed, "access_token", SEALED.accessToken],
  ];
  let failure: TokenFailure | null = null;
  for (const [sealed, hint, column] of steps) {
    if (!sealed) continue;
    // Each token is tried even if the other failed: revoking either may end the grant.
    const result = await revokeToken(endpoints, client, openColumn(column, account.id, sealed), hint);
    if (!result.ok) failure ??= result.failure;
  }
  if (!failure) return { ok: true };
  if (failure.kind === "app-credentials") return { ok: false, why: "X rejected the app's credentials" };
  if (failure.kind === "transient") return { ok: false, why: TRANSIENT_MESSAGE[failure.reason].replace(/\.$/, "") };
  return { ok: false, why: "X refused the revocation" };
}
