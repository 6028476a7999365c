// Which accounts a brand-wide "Check now" looks at.
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
