// A usable access token for a connected account, refreshing it only near expiry (contract §7):
// one refresh per grant at a time across every process (lock), re-read after the lock (someone
// may have refreshed meanwhile), store the new pair atomically before using it. A 400 marks the
// account for reconnection only if a re-read shows no newer token; a 401 is the app's
// credentials, not the user's; 5xx and timeouts keep the tokens and report a transient failure.
import "server-only";
import { openColumn, SEALED, sealColumn } from "../crypto/app-ring";
import { openCredential } from "../data/x-credentials";
import { db } from "../db";
import { env } from "../env";
import type { ReconnectReason } from "../reconnect-reasons";
import { xEndpoints } from "../x/endpoints";
import { refreshTokens } from "../x/oauth";
import { confirmAppCredentialsRejected } from "./app-rejection";
import { leaseForXCalls, withLock } from "./lock";
import { transitionAccount } from "./status";

/** Refresh this long before X's expiry, so a token never dies in the middle of a call. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type TokenResult =
  | { ok: true; accessToken: string; expiresAt: Date }
  | { ok: false; reason: "not-found" | "not-active" | "needs-reconnect" | "transient" | "busy"; reconnectReason?: ReconnectReason };

/** DEGRADED accounts keep their tokens and are tried as usual: X failing for a while is not the grant's fault. */
const CAN_USE = new Set(["ACTIVE", "DEGRADED"]);

export const refreshLockName = (accountId: string) => `refresh:${accountId}`;

export type TokenOptions = {
  /**
   * The token version whose access token X just answered 401 to. That token is never handed out
   * again, so a refresh follows whatever its expiry says; and if X then refuses the refresh too,
   * the grant itself was revoked at X ("token-revoked") rather than merely failing to refresh.
   */
  refused?: number | null;
};

export async function getValidAccessToken(workspaceId: string, accountId: string, options: TokenOptions = {}): Promise<TokenResult> {
  const refused = options.refused ?? null;
  const first = await readAccount(workspaceId, accountId);
  const fresh = usable(first, refused);
  if (fresh) return fresh;
  if (!first) return { ok: false, reason: "not-found" };
  if (!CAN_USE.has(first.status) || !first.accessTokenSealed) return { ok: false, reason: "not-active" };

  // Wait about as long as the holder's one call to X may take.
  return withLock(refreshLockName(accountId), { ttlMs: leaseForXCalls(1), waitMs: env.X_TIMEOUT_MS + 10_000 }, async (held) => {
    if (!held) return { ok: false, reason: "busy" } as const;
    const account = await readAccount(workspaceId, accountId);
    const refreshedMeanwhile = usable(account, refused);
    if (refreshedMeanwhile) return refreshedMeanwhile;
    if (!account) return { ok: false, reason: "not-found" } as const;
    if (!CAN_USE.has(account.status)) return { ok: false, reason: "not-active" } as const;
    if (!account.refreshTokenSealed) {
      // Without offline.access X issues no refresh token: once the access token dies only a reconnect helps.
      if (refused !== null) return giveUp(account, "token-revoked", "X no longer accepts its access token and it has no refresh token.", refused);
      return giveUp(account, "missing-scopes", "The access token expired and X issued no refresh token (offline.access missing).");
    }
    const credential = await openCredential(workspaceId, account.credentialId);
    if (!credential || credential.version !== account.credentialVersion) {
      const reason: ReconnectReason = credential ? "secret-rotated" : "credentials-removed";
      return giveUp(account, reason, "The X app that issued this account's tokens changed.", refused);
    }
    const refreshToken = openColumn(SEALED.refreshToken, account.id, account.refreshTokenSealed);
    const outcome = await refreshTokens(xEndpoints(), { clientId: credential.clientId, clientSecret: credential.clientSecret }, refreshToken);
    if (outcome.ok) {
      const { tokens } = outcome;
      const expiresAt = new Date(Date.now() + tokens.expiresIn * 1000);
      // Compare-and-set on the token pair we used (its version, not its ciphertext: a key
      // rotation re-seals the same tokens and must not make this save miss). A reconnect that
      // happened meanwhile wins.
      const { count } = await db.connectedAccount.updateMany({
        where: { id: account.id, workspaceId, tokenVersion: account.tokenVersion },
        data: {
          accessTokenSealed: sealColumn(SEALED.accessToken, account.id, tokens.accessToken),
          // X rotates refresh tokens; keep the old one only if (unexpectedly) none came back.
          refreshTokenSealed: tokens.refreshToken ? sealColumn(SEALED.refreshToken, account.id, tokens.refreshToken) : account.refreshTokenSealed,
          accessTokenExpiresAt: expiresAt,
          tokenVersion: { increment: 1 },
          lastProvenAt: new Date(),
          grantedScopes: tokens.scopes.length ? tokens.scopes.join(" ") : undefined,
        },
      });
      if (count === 1) return { ok: true, accessToken: tokens.accessToken, expiresAt } as const;
      return usable(await readAccount(workspaceId, accountId)) ?? ({ ok: false, reason: "not-active" } as const);
    }
    const { failure } = outcome;
    if (failure.kind === "transient") return { ok: false, reason: "transient" } as const;
    if (failure.kind === "app-credentials") {
      const result = await giveUp(account, "app-credentials", "X refused the app's credentials while refreshing the token.", refused);
      // Confirmed by a re-test, the app itself is marked rejected, with every account it issued.
      await confirmAppCredentialsRejected({ workspaceId, credentialId: credential.id, version: credential.version });
      return result;
    }
    // 400: the refresh token is dead — unless someone stored a newer one after we read it.
    const again = await readAccount(workspaceId, accountId);
    if (again && again.tokenVersion !== account.tokenVersion) {
      return usable(again, refused) ?? ({ ok: false, reason: "transient" } as const);
    }
    if (refused !== null) return giveUp(account, "token-revoked", "X refused its access token and then its refresh token: the grant was revoked at X.", refused);
    return giveUp(account, "refresh-failing", "X refused to refresh the token (the grant was revoked or expired).");
  });
}

type AccountRow = NonNullable<Awaited<ReturnType<typeof readAccount>>>;

function readAccount(workspaceId: string, accountId: string) {
  return db.connectedAccount.findFirst({
    where: { id: accountId, workspaceId },
    select: {
      id: true,
      workspaceId: true,
      brandId: true,
      username: true,
      status: true,
      accessTokenSealed: true,
      refreshTokenSealed: true,
      accessTokenExpiresAt: true,
      tokenVersion: true,
      credentialId: true,
      credentialVersion: true,
    },
  });
}

function usable(account: AccountRow | null, refused: number | null = null): Extract<TokenResult, { ok: true }> | null {
  if (!account || !CAN_USE.has(account.status) || !account.accessTokenSealed || !account.accessTokenExpiresAt) return null;
  if (refused !== null && account.tokenVersion === refused) return null;
  if (account.accessTokenExpiresAt.getTime() - Date.now() <= REFRESH_MARGIN_MS) return null;
  return { ok: true, accessToken: openColumn(SEALED.accessToken, account.id, account.accessTokenSealed), expiresAt: account.accessTokenExpiresAt };
}

/** Marks the account for reconnection, unless a reconnect stored a new pair meanwhile: then that pair is used. */
async function giveUp(account: AccountRow, reason: ReconnectReason, why: string, refused: number | null = null): Promise<TokenResult> {
  if (await markReconnect(account, reason, why)) return { ok: false, reason: "needs-reconnect", reconnectReason: reason };
  return usable(await readAccount(account.workspaceId, account.id), refused) ?? { ok: false, reason: "needs-reconnect", reconnectReason: reason };
}

/** For verdicts reached outside a refresh (e.g. X refusing to read the profile): marks the pair stored now. */
export async function markAccountForReconnect(workspaceId: string, accountId: string, reason: ReconnectReason, why: string): Promise<boolean> {
  const account = await readAccount(workspaceId, accountId);
  return account ? markReconnect(account, reason, why) : false;
}

async function markReconnect(account: AccountRow, reason: ReconnectReason, why: string): Promise<boolean> {
  // Only the token pair we judged: a reconnect that stored a new pair since our last read wins.
  const changed = await transitionAccount({
    workspaceId: account.workspaceId,
    accountId: account.id,
    from: ["ACTIVE", "DEGRADED"],
    to: "NEEDS_RECONNECT",
    reason,
    tokenVersion: account.tokenVersion,
    audit: { action: "account.needs_reconnect", summary: `@${account.username} needs reconnecting: ${why}`, outcome: reason },
  });
  return changed !== null;
}
