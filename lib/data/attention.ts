// What needs attention, for the in-app signals: the count on the Reconnect navigation item and
// the banner on a brand's page. Both are cheap: the count walks the [workspaceId, status,
// statusSince] index and stops at a cap, the brand's groups read one brand's few accounts.
import "server-only";
import { cache } from "react";
import { db } from "../db";
import { RECONNECT_REASONS, reconnectReasonLabel, type ReconnectReason } from "../reconnect-reasons";

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
  const [groups, of] = await Promise.all([
    db.connectedAccount.groupBy({ by: ["status", "statusReason"], where: { workspaceId, brandId, status: { in: ATTENTION_STATUSES } }, _count: { _all: true } }),
    db.connectedAccount.count({ where: { workspaceId, brandId, status: { not: "DISCONNECTED" } } }),
  ]);
  const reasons = groups
    .map((g) => {
      const known = g.statusReason && g.statusReason in RECONNECT_REASONS ? RECONNECT_REASONS[g.statusReason as ReconnectReason] : null;
      return {
        status: g.status as "NEEDS_RECONNECT" | "DEGRADED",
        code: g.statusReason ?? "",
        label: reconnectReasonLabel(g.statusReason),
        fix: known?.fix ?? (g.status === "DEGRADED" ? "Keyport keeps retrying on its own." : "Reconnect the account."),
        count: g._count._all,
      };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { count: reasons.reduce((n, r) => n + r.count, 0), of, reasons };
}
