// What a refresh that X did not complete does to the account, short of a reconnect (issue 8 §1
// "Failure classes"). A 429 postpones the grant and the whole app until X's reset. 5xx, timeouts,
// lost replies and answers we do not understand keep the tokens and count a run of failures; a
// run of KEYPORT_DEGRADED_AFTER_FAILURES spanning KEYPORT_DEGRADED_AFTER_HOURS makes the account
// DEGRADED (never NEEDS_RECONNECT), and the first successful refresh makes it ACTIVE again.
import "server-only";
import { db } from "../db";
import { env } from "../env";
import type { TokenFailure } from "../x/errors";
import { retryBusy } from "./lock";
import { transitionAccount } from "./status";
import type { AccountRow, TokenResult } from "./tokens";

/** When X answers 429 without a usable x-rate-limit-reset: its windows are 15 minutes. */
export const DEFAULT_RATE_LIMIT_MS = 15 * 60 * 1000;

type Transient = Extract<TokenFailure, { kind: "transient" }>;

export async function recordRefreshFailure(account: AccountRow, failure: Transient): Promise<TokenResult> {
  const now = new Date();
  const xError = failure.xError ?? (failure.status ? String(failure.status) : failure.reason);
  const { id, workspaceId } = account;
  if (failure.reason === "rate-limited") {
    // X answered; it only asks us to wait. Per user (this account) and per app (the credential):
    // X's limits are per app, so every account on it waits.
    const retryAt = failure.retryAt && failure.retryAt.getTime() > now.getTime() ? failure.retryAt : new Date(now.getTime() + DEFAULT_RATE_LIMIT_MS);
    const later = { OR: [{ rateLimitedUntil: null }, { rateLimitedUntil: { lt: retryAt } }] };
    await retryBusy(() =>
      db.$transaction([
        db.connectedAccount.updateMany({ where: { id, workspaceId }, data: { lastXError: xError, lastXErrorAt: now } }),
        db.connectedAccount.updateMany({ where: { id, workspaceId, ...later }, data: { rateLimitedUntil: retryAt } }),
        db.xCredential.updateMany({ where: { id: account.credentialId, workspaceId, ...later }, data: { rateLimitedUntil: retryAt } }),
      ]),
    );
    return { ok: false, reason: "transient", transient: "rate-limited", retryAt, xError };
  }
  // Only while the account still holds the pair that failed: a refresh or reconnect meanwhile
  // started a new story.
  const pair = { id, workspaceId, tokenVersion: account.tokenVersion };
  const row = await retryBusy(() =>
    db.$transaction(async (tx) => {
      await tx.connectedAccount.updateMany({ where: pair, data: { failureCount: { increment: 1 }, lastXError: xError, lastXErrorAt: now } });
      await tx.connectedAccount.updateMany({ where: { ...pair, failingSince: null }, data: { failingSince: now } });
      return tx.connectedAccount.findFirst({ where: pair, select: { status: true, failureCount: true, failingSince: true } });
    }),
  );
  if (row && row.status === "ACTIVE" && row.failingSince && isLongRun(row.failureCount, row.failingSince, now)) {
    await retryBusy(() =>
      transitionAccount({
        workspaceId,
        accountId: id,
        from: ["ACTIVE"],
        to: "DEGRADED",
        reason: "x-unavailable",
        detail: `${row.failureCount} token refreshes in a row failed since ${row.failingSince!.toISOString()}; the tokens are kept.`,
        xError,
        tokenVersion: account.tokenVersion,
      }),
    );
  }
  return { ok: false, reason: "transient", transient: failure.reason, retryAt: new Date(now.getTime() + retryDelay(row?.failureCount ?? 1)), xError };
}

/** A DEGRADED account whose refresh just worked: ACTIVE again (the counters were reset with the new tokens). */
export async function recordRefreshSuccess(account: AccountRow): Promise<void> {
  await retryBusy(() =>
    transitionAccount({ workspaceId: account.workspaceId, accountId: account.id, from: ["DEGRADED"], to: "ACTIVE", reason: null, detail: null }),
  );
}

export function isLongRun(failureCount: number, failingSince: Date, now: Date): boolean {
  return failureCount >= env.KEYPORT_DEGRADED_AFTER_FAILURES && now.getTime() - failingSince.getTime() >= env.KEYPORT_DEGRADED_AFTER_HOURS * 3_600_000;
}

/** 30 s after the first failure, doubling, at most an hour. */
export function retryDelay(failureCount: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, Math.min(failureCount - 1, 10)));
}
