// What needs attention, for the in-app signals: the count on the Reconnect navigation item and
// the banner on a brand's page. Both are cheap: the count walks the [workspaceId, status,
// statusSince] index and stops at a cap, the brand's groups read one brand's few accounts.
import "server-only";
import { cache } from "react";
import { db } from "../db";
import { appFixedSince, reconnectFix, reconnectReasonLabel } from "../reconnect-reasons";

export const ATTENTION_STATUSES = ["NEEDS_RECONNECT", "DEGRADED"];
/** The badge counts this far and then says "999+". */
export const ATTENTION_CAP = 999;

/** Accounts that need reconnecting or are degraded, up to ATTENTION_CAP + 1. Cached per request. */
export const countNeedingAttention = cache(async (workspaceId: string): Promise<number> =>
  db.connectedAccount.count({ where: { workspaceId, status: { in: ATTENTION_STATUSES } }, take: ATTENTION_CAP + 1 }),
);

export type BrandAttention = {
  /** Accounts of the brand that need attention, and how many it has that are not disconnected. */
  count: number;
  of: number;
  reasons: { status: "NEEDS_RECONNECT" | "DEGRADED"; code: string; label: string; fix: string; count: number }[];
};

export async function brandAttention(workspaceId: string, brandId: string): Promise<BrandAttention> {
  const [groups, of, fixed] = await Promise.all([
    db.connectedAccount.groupBy({ by: ["status", "statusReason"], where: { workspaceId, brandId, status: { in: ATTENTION_STATUSES } }, _count: { _all: true } }),
    db.connectedAccount.count({ where: { workspaceId, brandId, status: { not: "DISCONNECTED" } } }),
    appCredentialsFixed(workspaceId, brandId),
  ]);
  const reasons = groups
    .flatMap((g) => {
      const status = g.status as "NEEDS_RECONNECT" | "DEGRADED";
      const entry = (count: number, appFixed: boolean) => ({
        status,
        // Once the app's credentials are replaced, these only need a reconnect: another code, so
        // the banner stops pointing at the credentials.
        code: appFixed ? `${g.statusReason}:replaced` : (g.statusReason ?? ""),
        label: reconnectReasonLabel(g.statusReason),
        fix: reconnectFix(g.statusReason, { appFixed, fallback: status === "DEGRADED" ? "Keyport keeps retrying on its own." : "Reconnect the account." }),
        count,
      });
      if (g.statusReason !== "app-credentials" || fixed === 0) return [entry(g._count._all, false)];
      return [entry(g._count._all - fixed, false), entry(fixed, true)].filter((e) => e.count > 0);
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { count: reasons.reduce((n, r) => n + r.count, 0), of, reasons };
}

/** How many of the brand's accounts marked "app-credentials" had their app's credentials fixed since. */
async function appCredentialsFixed(workspaceId: string, brandId: string): Promise<number> {
  const accounts = await db.connectedAccount.findMany({
    where: { workspaceId, brandId, status: "NEEDS_RECONNECT", statusReason: "app-credentials" },
    select: { credentialId: true, credentialVersion: true, statusSince: true },
  });
  if (accounts.length === 0) return 0;
  const credentials = await db.xCredential.findMany({
    where: { workspaceId, id: { in: [...new Set(accounts.map((a) => a.credentialId))] } },
    select: { id: true, version: true, rejectedAt: true, updatedAt: true },
  });
  const byId = new Map(credentials.map((c) => [c.id, c]));
  return accounts.filter((a) => appFixedSince(a, byId.get(a.credentialId))).length;
}
