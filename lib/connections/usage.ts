// Keyport's calls to X, counted per app and UTC day (contract §8: X bills every request to the
// app's owner), and what they cost at the configured prices. One row per (app, day, kind),
// incremented in place, so recording a call is one upsert and reading 30 days is one small query.
import "server-only";
import { db } from "../db";
import { env } from "../env";
import { OWN_CALL_KINDS, parseUsd, POST_KINDS, type PriceTable, type UsageKind } from "../x/pricing";

export function priceTable(): PriceTable {
  return {
    "user-read": parseUsd(env.KEYPORT_PRICE_USER_READ),
    post: parseUsd(env.KEYPORT_PRICE_POST),
    "post-url": parseUsd(env.KEYPORT_PRICE_POST_URL),
    token: 0,
    revoke: 0,
  };
}

export type XCall = {
  workspaceId: string;
  credentialId: string;
  kind: UsageKind;
  /** False when X would not bill this one (a resource read again within 24 hours, an unbilled endpoint). */
  billed: boolean;
  at?: Date;
};

/** Counts one call. Never throws: losing a count must not fail the call it counts. */
export async function recordXCall(call: XCall): Promise<void> {
  const day = (call.at ?? new Date()).toISOString().slice(0, 10);
  const id = `${call.workspaceId}|${call.credentialId}|${day}|${call.kind}`;
  const billed = call.billed ? 1 : 0;
  try {
    await db.xUsage.upsert({
      where: { id },
      create: { id, workspaceId: call.workspaceId, credentialId: call.credentialId, day, kind: call.kind, calls: 1, billed },
      update: { calls: { increment: 1 }, billed: { increment: billed } },
    });
  } catch (error) {
    console.error(`[usage] could not count a ${call.kind} call: ${(error as Error)?.name ?? "Error"}`);
  }
}

export type KindUsage = { calls: number; billed: number; costMicros: number };
export type AppUsage = {
  credentialId: string;
  byKind: Record<UsageKind, KindUsage>;
  /** Keyport's own calls (health checks, profile reads, token refreshes). */
  own: KindUsage;
  /** Posts published through Keyport. */
  posts: KindUsage;
};

/** Usage per app over the days from `since` (inclusive, UTC) to today. */
export async function usageByApp(workspaceId: string, credentialIds: string[], since: Date): Promise<Map<string, AppUsage>> {
  const prices = priceTable();
  const rows = credentialIds.length
    ? await db.xUsage.findMany({
        where: { workspaceId, credentialId: { in: credentialIds }, day: { gte: since.toISOString().slice(0, 10) } },
        select: { credentialId: true, kind: true, calls: true, billed: true },
      })
    : [];
  const result = new Map<string, AppUsage>();
  for (const id of credentialIds) result.set(id, emptyUsage(id));
  for (const row of rows) {
    const usage = result.get(row.credentialId)!;
    const kind = row.kind as UsageKind;
    const entry = (usage.byKind[kind] ??= zero());
    entry.calls += row.calls;
    entry.billed += row.billed;
    entry.costMicros += row.billed * (prices[kind] ?? 0);
  }
  for (const usage of result.values()) {
    usage.own = sum(OWN_CALL_KINDS.map((k) => usage.byKind[k]));
    usage.posts = sum(POST_KINDS.map((k) => usage.byKind[k]));
  }
  return result;
}

function zero(): KindUsage {
  return { calls: 0, billed: 0, costMicros: 0 };
}

function emptyUsage(credentialId: string): AppUsage {
  const byKind = { "user-read": zero(), post: zero(), "post-url": zero(), token: zero(), revoke: zero() };
  return { credentialId, byKind, own: zero(), posts: zero() };
}

function sum(items: KindUsage[]): KindUsage {
  return items.reduce((a, b) => ({ calls: a.calls + b.calls, billed: a.billed + b.billed, costMicros: a.costMicros + b.costMicros }), zero());
}
