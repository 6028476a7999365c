// Which accounts a brand-wide "Check now" looks at, and the latest check of each.
import "server-only";
import { db } from "../db";

/** Active accounts of a brand, least recently updated first (a check updates the profile). */
export async function activeAccountIds(workspaceId: string, brandId: string, limit: number): Promise<string[]> {
  const rows = await db.connectedAccount.findMany({
    where: { workspaceId, brandId, status: "ACTIVE" },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Remembers the latest check of an account (what the API reports as lastCheck). */
export async function recordAccountCheck(workspaceId: string, accountId: string, result: "working" | "needs-reconnect" | "unknown" | "not-active", at = new Date()) {
  await db.accountCheck.upsert({
    where: { accountId },
    create: { accountId, workspaceId, checkedAt: at, result },
    update: { workspaceId, checkedAt: at, result },
  });
}
