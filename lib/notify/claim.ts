// Claiming due work (webhook deliveries, emails) so that each item is sent by one process at a
// time, however many workers run. A claim is a lease: claimedBy names the worker, claimedUntil
// ends the claim if that worker dies mid-send, and every write of an outcome checks claimedBy.
// PostgreSQL: the due rows are locked with FOR UPDATE SKIP LOCKED and claimed in the same
// transaction, so concurrent workers take disjoint batches without waiting on each other.
// SQLite (one writer at a time): a compare-and-set per row on the claim columns.
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { env } from "../env";

export type ClaimTable = "WebhookDelivery" | "EmailMessage";

/** A name for this process in claims: unique per process, readable in the database. */
export const WORKER_ID = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Claims up to `limit` due PENDING rows of `table` for `worker` until `now + leaseMs`; returns their ids. */
export async function claimDue(table: ClaimTable, input: { now: Date; limit: number; worker: string; leaseMs: number }): Promise<string[]> {
  const { now, limit, worker } = input;
  if (limit <= 0) return [];
  const claimedUntil = new Date(now.getTime() + input.leaseMs);
  if (env.databaseKind === "postgres") {
    return db.$transaction(async (tx) => {
      // Timestamps go in as ISO text cast to timestamp: Prisma stores UTC in `timestamp(3)`, and a
      // cast from text ignores the zone suffix instead of shifting by the session's time zone.
      const at = now.toISOString();
      const rows =
        table === "WebhookDelivery"
          ? await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "WebhookDelivery"
              WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${at}::timestamp
                AND ("claimedUntil" IS NULL OR "claimedUntil" < ${at}::timestamp)
              ORDER BY "nextAttemptAt" ASC, "id" ASC LIMIT ${limit} FOR UPDATE SKIP LOCKED`
          : await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "EmailMessage"
              WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${at}::timestamp
                AND ("claimedUntil" IS NULL OR "claimedUntil" < ${at}::timestamp)
              ORDER BY "nextAttemptAt" ASC, "id" ASC LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return [];
      const data = { claimedBy: worker, claimedUntil };
      if (table === "WebhookDelivery") await tx.webhookDelivery.updateMany({ where: { id: { in: ids } }, data });
      else await tx.emailMessage.updateMany({ where: { id: { in: ids } }, data });
      return ids;
    });
  }
  const due = { status: "PENDING", nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
  const query = { where: due, orderBy: [{ nextAttemptAt: "asc" as const }, { id: "asc" as const }], take: limit, select: { id: true } };
  const candidates = table === "WebhookDelivery" ? await db.webhookDelivery.findMany(query) : await db.emailMessage.findMany(query);
  const claimed: string[] = [];
  for (const { id } of candidates) {
    const args = { where: { id, ...due }, data: { claimedBy: worker, claimedUntil } };
    const { count } = table === "WebhookDelivery" ? await db.webhookDelivery.updateMany(args) : await db.emailMessage.updateMany(args);
    if (count === 1) claimed.push(id);
  }
  return claimed;
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
