// What each X app of a workspace cost in Keyport's own calls over the last 30 days, and what the
// sweep's schedule is expected to cost per month (contract §8: X bills the app's owner per call).
import "server-only";
import { usageByApp, priceTable } from "../connections/usage";
import { db } from "../db";
import { env } from "../env";
import { INSTANCE_SCOPE_KEY } from "./x-credentials";

export type AppCostRow = {
  credentialId: string;
  clientIdPreview: string;
  /** "Workspace default", the brand whose own app it is, or the operator's instance app. */
  scopeLabel: string;
  accounts: number;
  ownCalls: number;
  ownBilled: number;
  ownCostMicros: number;
  /** The sweep's billed profile reads per month at the current schedule (refreshes are unbilled). */
  expectedMonthlyMicros: number;
};

const DAY = 86_400_000;

export async function appCosts(workspaceId: string, now = new Date()): Promise<AppCostRow[]> {
  const credentials = await db.xCredential.findMany({
    where: { workspaceId },
    select: { id: true, clientIdPreview: true, brandId: true, scopeKey: true },
    orderBy: [{ brandId: "asc" }, { createdAt: "asc" }],
  });
  if (credentials.length === 0) return [];
  const ids = credentials.map((c) => c.id);
  const [usage, counts, brands] = await Promise.all([
    usageByApp(workspaceId, ids, new Date(now.getTime() - 29 * DAY)),
    db.connectedAccount.groupBy({ by: ["credentialId"], where: { workspaceId, credentialId: { in: ids }, status: { in: ["ACTIVE", "DEGRADED"] } }, _count: { _all: true } }),
    db.brand.findMany({ where: { workspaceId, id: { in: credentials.flatMap((c) => (c.brandId ? [c.brandId] : [])) } }, select: { id: true, name: true } }),
  ]);
  const accountsBy = new Map(counts.map((c) => [c.credentialId, c._count._all]));
  const brandName = new Map(brands.map((b) => [b.id, b.name]));
  const readsPerMonth = env.KEYPORT_SWEEP_PROFILE_DAYS > 0 ? 30 / env.KEYPORT_SWEEP_PROFILE_DAYS : 0;
  const userRead = priceTable()["user-read"];
  return credentials.map((c) => {
    const u = usage.get(c.id)!;
    const accounts = accountsBy.get(c.id) ?? 0;
    return {
      credentialId: c.id,
      clientIdPreview: c.clientIdPreview,
      scopeLabel: c.brandId ? `Brand: ${brandName.get(c.brandId) ?? "(removed)"}` : c.scopeKey === INSTANCE_SCOPE_KEY ? "Instance app (set by the operator)" : "Workspace default",
      accounts,
      ownCalls: u.own.calls,
      ownBilled: u.own.billed,
      ownCostMicros: u.own.costMicros,
      expectedMonthlyMicros: Math.round(accounts * readsPerMonth * userRead),
    };
  });
}
