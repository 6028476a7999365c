// A usable access token for a connected account, refreshing it only near expiry (contract §7):
// one refresh per grant at a time across every process (lock), re-read after the lock (someone
// may have refreshed meanwhile), store the new pair atomically before using it. A 400 marks the
// account for reconnection only if a re-read shows no newer token; a 401 is the app's
// credentials, not the user's, and only counts once the "Test credentials" probe agrees; 429,
// 5xx and timeouts keep the tokens and report a transient failure (lib/connections/refresh-failures.ts).
//
// Under a storm (a thousand callers for a hundred due accounts, several processes) callers for
// one account in one process share one refresh (single flight), waiters look at the row before
// and between attempts at the lock — so a token another process stored is used at once — and
// back off with jitter. This never throws: "database busy" is retried, anything else is transient.
import "server-only";
import { callbackUrl } from "../callback-url";
import { openColumn, SEALED, sealColumn } from "../crypto/app-ring";
import { markCredentialRejected, openCredential } from "../data/x-credentials";
import { db } from "../db";
import { env } from "../env";
import type { ReconnectReason } from "../reconnect-reasons";
import { xEndpoints } from "../x/endpoints";
import { NO_REPLY, type TokenFailure, type TransientReason } from "../x/errors";
import { probeCredentials, refreshTokens } from "../x/oauth";
import { backoff, leaseForXCalls, newLimiter, retryBusy, sleep, withLock } from "./lock";
import { recordRefreshFailure, recordRefreshSuccess } from "./refresh-failures";
import { transitionAccount } from "./status";

/** Refresh this long before X's expiry, so a token never dies in the middle of a call. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type TokenResult =
  | { ok: true; accessToken: string; expiresAt: Date }
  | {
      ok: false;
      reason: "not-found" | "not-active" | "needs-reconnect" | "transient" | "busy";
      reconnectReason?: ReconnectReason;
      /** For "transient": what went wrong. The failure is already recorded on the account: don't count it again. */
      transient?: TransientReason;
      /** For "transient"/"busy": not before this time (X's rate-limit reset on a 429, else a backoff). */
      retryAt?: Date;
      /** X's answer in one line, when X gave one. */
      xError?: string;
    };

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
  /**
   * Refresh even though the token is not near expiry (a health check proving the grant alive
   * with X's unbilled token endpoint). Concurrent callers still share one refresh.
   */
  forceRefresh?: boolean;
};

/** Token versions not to hand out: `refused` (X said 401 to it) and `stale` (forceRefresh). */
type Guard = { refused: number | null; stale: number | null };

export async function getValidAccessToken(workspaceId: string, accountId: string, options: TokenOptions = {}): Promise<TokenResult> {
  const refused = options.refused ?? null;
  try {
    // Concurrent callers for one account share one look at the row and, when due, one refresh
    // (a forced refresh first reads the version it must replace).
    if (!options.forceRefresh) return await singleFlight(flightKey(workspaceId, accountId, refused, null), () => getOnce(workspaceId, accountId, { refused, stale: null }));
    const first = await retryBusy(() => readAccount(workspaceId, accountId));
    const guard: Guard = { refused, stale: first ? first.tokenVersion : null };
    return await singleFlight(flightKey(workspaceId, accountId, refused, guard.stale), () => getOnce(workspaceId, accountId, guard));
  } catch (error) {
    // Never a token or a secret in the log: Prisma and fetch errors carry neither, and only the code is kept.
    console.error(`[keyport] getValidAccessToken failed for account ${accountId}: ${(error as { code?: string })?.code ?? (error as Error)?.name ?? "error"}`);
    return { ok: false, reason: "transient", transient: "unexpected", retryAt: new Date(Date.now() + 30_000) };
  }
}

async function getOnce(workspaceId: string, accountId: string, guard: Guard): Promise<TokenResult> {
  const first = await retryBusy(() => readAccount(workspaceId, accountId));
  const fresh = usable(first, guard);
  if (fresh) return fresh;
  if (!first) return { ok: false, reason: "not-found" };
  if (!CAN_USE.has(first.status) || !first.accessTokenSealed) return { ok: false, reason: "not-active" };
  return refreshWhenDue(workspaceId, accountId, guard);
}

const inFlight = new Map<string, Promise<TokenResult>>();
const flightKey = (workspaceId: string, accountId: string, refused: number | null, stale: number | null) => [workspaceId, accountId, refused ?? "", stale ?? ""].join("\u0000");

function singleFlight(key: string, run: () => Promise<TokenResult>): Promise<TokenResult> {
  let flight = inFlight.get(key);
  if (!flight) {
    flight = run().finally(() => inFlight.delete(key));
    inFlight.set(key, flight);
  }
  return flight;
}

/**
 * Refreshes this process works on at once. The other due accounts wait in line in memory (no
 * queries): a storm's hundreds of waiters must not fill the connection pool with polls while the
 * holders' own queries queue behind them.
 */
const REFRESH_SLOTS = 4;
const refreshSlots = newLimiter(REFRESH_SLOTS);

/** Until the token is fresh (someone else's refresh, or ours under the lock) or a verdict is reached. */
async function refreshWhenDue(workspaceId: string, accountId: string, guard: Guard): Promise<TokenResult> {
  let heldElsewhereSince: number | null = null;
  for (let attempt = 0; ; attempt++) {
    const step = await refreshSlots.run(async (): Promise<Step | null> => {
      // Someone (another process, or this one before we got a slot) may have refreshed meanwhile.
      const account = await retryBusy(() => readAccount(workspaceId, accountId));
      const fresh = usable(account, guard);
      if (fresh) return done(fresh);
      if (!account) return done({ ok: false, reason: "not-found" });
      if (!CAN_USE.has(account.status)) return done({ ok: false, reason: "not-active" });
      // One try at the lock. If another process holds it, its holder stores a fresh token any
      // moment: back off and look at the row again, which needs no lock.
      return withLock(refreshLockName(accountId), { ttlMs: leaseForXCalls(1), waitMs: 0 }, (held) =>
        held ? refreshHolding(workspaceId, accountId, guard) : Promise.resolve(null),
      );
    });
    if (step?.kind === "done") return step.result;
    if (step?.kind === "app-credentials") return afterCredentialsRefused(step, guard);
    // A holder keeps the lock at most its lease (PostgreSQL: its transaction's timeout): waiting
    // much longer than that means something is stuck, and the caller should hear so.
    heldElsewhereSince ??= Date.now();
    if (Date.now() - heldElsewhereSince > leaseForXCalls(1) + 10_000) return { ok: false, reason: "busy", retryAt: new Date(Date.now() + 1_000) };
    await sleep(backoff(attempt));
  }
}

type Step =
  | { kind: "done"; result: TokenResult }
  | { kind: "app-credentials"; account: AccountRow; client: { clientId: string; clientSecret: string; version: number }; failure: TokenFailure };

const done = (result: TokenResult): Step => ({ kind: "done", result });

async function refreshHolding(workspaceId: string, accountId: string, guard: Guard): Promise<Step> {
  const account = await retryBusy(() => readAccount(workspaceId, accountId));
  const refreshedMeanwhile = usable(account, guard);
  if (refreshedMeanwhile) return done(refreshedMeanwhile);
  if (!account) return done({ ok: false, reason: "not-found" });
  if (!CAN_USE.has(account.status)) return done({ ok: false, reason: "not-active" });
  const { refused } = guard;
  if (!account.refreshTokenSealed) {
    // Without offline.access X issues no refresh token: once the access token dies only a reconnect helps.
    if (refused !== null) return done(await giveUp(account, "token-revoked", "X no longer accepts its access token and it has no refresh token.", guard));
    const current = usable(account, { refused: null, stale: null });
    if (current) return done(current); // forceRefresh with nothing to refresh: the token is still good
    return done(await giveUp(account, "missing-scopes", "The access token expired and X issued no refresh token (offline.access missing).", guard));
  }
  const credential = await retryBusy(() => openCredential(workspaceId, account.credentialId));
  if (!credential || credential.version !== account.credentialVersion) {
    const reason: ReconnectReason = credential ? "secret-rotated" : "credentials-removed";
    return done(await giveUp(account, reason, "The X app that issued this account's tokens changed.", guard));
  }
  const refreshToken = openColumn(SEALED.refreshToken, account.id, account.refreshTokenSealed);
  const outcome = await refreshTokens(xEndpoints(), { clientId: credential.clientId, clientSecret: credential.clientSecret }, refreshToken);
  if (outcome.ok) {
    const { tokens } = outcome;
    const expiresAt = new Date(Date.now() + tokens.expiresIn * 1000);
    // Compare-and-set on the token pair we used (its version, not its ciphertext: a key
    // rotation re-seals the same tokens and must not make this save miss). A reconnect that
    // happened meanwhile wins. X has already rotated the refresh token, so "database busy" is
    // waited out: giving up here would lose the only copy of the new one.
    const { count } = await retryBusy(
      () =>
        db.connectedAccount.updateMany({
          where: { id: account.id, workspaceId, tokenVersion: account.tokenVersion },
          data: {
            accessTokenSealed: sealColumn(SEALED.accessToken, account.id, tokens.accessToken),
            // X rotates refresh tokens; keep the old one only if (unexpectedly) none came back.
            refreshTokenSealed: tokens.refreshToken ? sealColumn(SEALED.refreshToken, account.id, tokens.refreshToken) : account.refreshTokenSealed,
            accessTokenExpiresAt: expiresAt,
            tokenVersion: { increment: 1 },
            lastProvenAt: new Date(),
            grantedScopes: tokens.scopes.length ? tokens.scopes.join(" ") : undefined,
            // X answered: whatever run of failures there was is over.
            failureCount: 0,
            failingSince: null,
          },
        }),
      120_000,
    );
    if (count !== 1) return done(usable(await retryBusy(() => readAccount(workspaceId, accountId)), guard) ?? { ok: false, reason: "not-active" });
    if (account.status === "DEGRADED") await recordRefreshSuccess(account);
    return done({ ok: true, accessToken: tokens.accessToken, expiresAt });
  }
  const { failure } = outcome;
  if (failure.kind === "transient") return done(await recordRefreshFailure(account, failure));
  if (failure.kind === "app-credentials") return { kind: "app-credentials", account, client: credential, failure };
  // 400: the refresh token is dead — unless someone stored a newer one after we read it.
  const again = await retryBusy(() => readAccount(workspaceId, accountId));
  if (again && again.tokenVersion !== account.tokenVersion) {
    return done(usable(again, guard) ?? { ok: false, reason: "transient", transient: "unexpected" });
  }
  const xError = failure.xError ?? null;
  if (refused !== null) return done(await giveUp(account, "token-revoked", "X refused its access token and then its refresh token: the grant was revoked at X.", guard, xError));
  if (account.failureCount > 0 && account.lastXError?.startsWith(NO_REPLY)) {
    // The last refresh with this token got no reply. X most likely took it and rotated the refresh
    // token, and the new one was lost with the reply: X now refuses the old one (and, with
    // reuse detection, ends the grant). Nothing can bring the chain back; only a reconnect helps.
    return done(await giveUp(account, "refresh-lost", "X's reply to a refresh was lost, and X no longer accepts the refresh token it replaced.", guard, xError));
  }
  return done(await giveUp(account, "refresh-failing", "X refused to refresh the token (the grant was revoked or expired).", guard, xError));
}

/**
 * X answered 401 to a refresh: the app's credentials — if X says so again. One false 401 must not
 * send every account of the app to reconnect, so the credentials get the same probe as "Test
 * credentials"; only if that fails too is the credential marked rejected (with all its accounts,
 * once, in one transaction). Runs after the lock is released: the probe uses no refresh token.
 */
async function afterCredentialsRefused(step: Extract<Step, { kind: "app-credentials" }>, guard: Guard): Promise<TokenResult> {
  const { account, client, failure } = step;
  const probe = await probeCredentials(xEndpoints(), client, callbackUrl(env.KEYPORT_PUBLIC_URL));
  if (probe.status !== "invalid") {
    // The credentials work (or X cannot tell us now): a transient failure, recorded as such.
    return recordRefreshFailure(account, { kind: "transient", reason: "unexpected", status: 401, xError: failure.xError ?? "401" });
  }
  await retryBusy(() =>
    markCredentialRejected({ workspaceId: account.workspaceId, credentialId: account.credentialId, version: client.version, reason: "credentials-rejected", xError: failure.xError ?? null }),
  );
  const after = await retryBusy(() => readAccount(account.workspaceId, account.id));
  const fresh = usable(after, guard);
  if (fresh) return fresh; // a reconnect landed meanwhile
  if (after?.status === "NEEDS_RECONNECT") return { ok: false, reason: "needs-reconnect", reconnectReason: (after.statusReason as ReconnectReason | null) ?? "app-credentials" };
  return { ok: false, reason: "transient", transient: "unexpected", xError: failure.xError };
}

export type AccountRow = NonNullable<Awaited<ReturnType<typeof readAccount>>>;

function readAccount(workspaceId: string, accountId: string) {
  return db.connectedAccount.findFirst({
    where: { id: accountId, workspaceId },
    select: {
      id: true,
      workspaceId: true,
      brandId: true,
      username: true,
      status: true,
      statusReason: true,
      accessTokenSealed: true,
      refreshTokenSealed: true,
      accessTokenExpiresAt: true,
      tokenVersion: true,
      credentialId: true,
      credentialVersion: true,
      failureCount: true,
      lastXError: true,
    },
  });
}

function usable(account: AccountRow | null, guard: Guard = { refused: null, stale: null }): Extract<TokenResult, { ok: true }> | null {
  if (!account || !CAN_USE.has(account.status) || !account.accessTokenSealed || !account.accessTokenExpiresAt) return null;
  if (account.tokenVersion === guard.refused || account.tokenVersion === guard.stale) return null;
  if (account.accessTokenExpiresAt.getTime() - Date.now() <= REFRESH_MARGIN_MS) return null;
  return { ok: true, accessToken: openColumn(SEALED.accessToken, account.id, account.accessTokenSealed), expiresAt: account.accessTokenExpiresAt };
}

/** Marks the account for reconnection, unless a reconnect stored a new pair meanwhile: then that pair is used. */
async function giveUp(account: AccountRow, reason: ReconnectReason, why: string, guard: Guard, xError: string | null = null): Promise<TokenResult> {
  if (await markReconnect(account, reason, why, xError)) return { ok: false, reason: "needs-reconnect", reconnectReason: reason };
  return usable(await retryBusy(() => readAccount(account.workspaceId, account.id)), guard) ?? { ok: false, reason: "needs-reconnect", reconnectReason: reason };
}

/** For verdicts reached outside a refresh (e.g. X refusing to read the profile): marks the pair stored now. */
export async function markAccountForReconnect(workspaceId: string, accountId: string, reason: ReconnectReason, why: string): Promise<boolean> {
  const account = await readAccount(workspaceId, accountId);
  return account ? markReconnect(account, reason, why) : false;
}

async function markReconnect(account: AccountRow, reason: ReconnectReason, why: string, xError: string | null = null): Promise<boolean> {
  // Only the token pair we judged: a reconnect that stored a new pair since our last read wins.
  const changed = await retryBusy(() =>
    transitionAccount({
      workspaceId: account.workspaceId,
      accountId: account.id,
      from: ["ACTIVE", "DEGRADED"],
      to: "NEEDS_RECONNECT",
      reason,
      ...(xError ? { xError } : {}),
      tokenVersion: account.tokenVersion,
      audit: { action: "account.needs_reconnect", summary: `@${account.username} needs reconnecting: ${why}`, outcome: reason },
    }),
  );
  return changed !== null;
}
