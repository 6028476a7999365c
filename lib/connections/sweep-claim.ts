// Claiming due accounts for a sweep, so that however many workers run (on any number of
// machines) each account is visited by one of them at a time. A claim is a lease: claimedBy names
// the worker, claimedUntil frees the account if that worker dies mid-visit, and the visit's
// outcome is written only while the claim is still ours.
// PostgreSQL: FOR UPDATE SKIP LOCKED inside one UPDATE, so concurrent workers take disjoint
// batches without waiting on each other. SQLite (one writer at a time): a compare-and-set per row.
import "server-only";
import { db, inChunks, type Prisma } from "../db";
import { env } from "../env";

export type ClaimedAccount = { id: string; workspaceId: string };

/** Accounts a sweep should look at now: ACTIVE/DEGRADED, due or asked for, not rate-limited. */
function dueWhere(now: Date): Prisma.ConnectedAccountWhereInput {
  return {
    status: { in: ["ACTIVE", "DEGRADED"] },
    OR: [{ nextCheckAt: null }, { nextCheckAt: { lte: now } }, { checkRequestedAt: { not: null } }],
    AND: [{ OR: [{ rateLimitedUntil: null }, { rateLimitedUntil: { lte: now } }] }],
  };
}

/** …and not claimed by a live worker. */
function claimableWhere(now: Date): Prisma.ConnectedAccountWhereInput {
  return { ...dueWhere(now), AND: [...(dueWhere(now).AND as Prisma.ConnectedAccountWhereInput[]), { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] }] };
}

/** How many accounts are due now, claimed or not (a pass's "due" figure). */
export function countDue(now: Date): Promise<number> {
  return db.connectedAccount.count({ where: dueWhere(now) });
}

export async function claimDueAccounts(input: { now: Date; limit: number; worker: string; leaseMs: number }): Promise<ClaimedAccount[]> {
  const { now, limit, worker } = input;
  if (limit <= 0) return [];
  const claimedUntil = new Date(now.getTime() + input.leaseMs);
  if (env.databaseKind === "postgres") {
    // Timestamps as ISO text cast to timestamp: Prisma stores UTC in timestamp(3) (see lib/notify/claim.ts).
    const at = now.toISOString();
    const until = claimedUntil.toISOString();
    return db.$queryRaw<ClaimedAccount[]>`UPDATE "ConnectedAccount" SET "claimedBy" = ${worker}, "claimedUntil" = ${until}::timestamp
      WHERE "id" IN (
        SELECT "id" FROM "ConnectedAccount"
        WHERE "status" IN ('ACTIVE', 'DEGRADED')
          AND ("nextCheckAt" IS NULL OR "nextCheckAt" <= ${at}::timestamp OR "checkRequestedAt" IS NOT NULL)
          AND ("rateLimitedUntil" IS NULL OR "rateLimitedUntil" <= ${at}::timestamp)
          AND ("claimedUntil" IS NULL OR "claimedUntil" < ${at}::timestamp)
        ORDER BY "checkRequestedAt" ASC NULLS LAST, "nextCheckAt" ASC NULLS FIRST, "id" ASC
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING "id", "workspaceId"`;
  }
  const due = claimableWhere(now);
  const candidates = await db.connectedAccount.findMany({
    where: due,
    orderBy: [{ nextCheckAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, workspaceId: true },
  });
  const claimed: ClaimedAccount[] = [];
  for (const c of candidates) {
    const { count } = await db.connectedAccount.updateMany({ where: { id: c.id, ...due }, data: { claimedBy: worker, claimedUntil } });
    if (count === 1) claimed.push(c);
  }
  return claimed;
}

/** Ends our claim and schedules the next visit; false if the claim had already passed to another worker. */
export async function releaseAccount(
  account: ClaimedAccount,
  worker: string,
  data: Prisma.ConnectedAccountUpdateManyMutationInput,
): Promise<boolean> {
  const { count } = await db.connectedAccount.updateMany({
    where: { id: account.id, workspaceId: account.workspaceId, claimedBy: worker },
    data: { ...data, claimedBy: null, claimedUntil: null },
  });
  return count === 1;
}

/**
 * Just before a visit's calls to X: extends our claim, or says it was lost (the batch waited
 * longer than the lease and another worker may have it). A visit that lost its claim must not
 * call X: two refreshes of one grant at once can end it.
 */
export async function renewClaim(account: ClaimedAccount, worker: string, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db.connectedAccount.updateMany({
    where: { id: account.id, workspaceId: account.workspaceId, claimedBy: worker, claimedUntil: { gte: now } },
    data: { claimedUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/** Keeps the claims on accounts still waiting in this worker's queue alive (a heartbeat). */
export async function extendClaims(accounts: ClaimedAccount[], worker: string, now: Date, leaseMs: number): Promise<void> {
  // In parts: a batch (KEYPORT_SWEEP_BATCH, up to 5,000) may be more ids than SQLite binds at once.
  for (const part of inChunks(accounts.map((a) => a.id))) {
    await db.connectedAccount.updateMany({
      where: { id: { in: part }, claimedBy: worker, claimedUntil: { gte: now } },
      data: { claimedUntil: new Date(now.getTime() + leaseMs) },
    });
  }
}
