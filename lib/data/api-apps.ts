// The X apps whose credentials a workspace holds, for GET /api/v1/apps/usage: which app, for which
// brand, recognisable by its Client ID preview. Never a sealed column.
import "server-only";
import { db } from "../db";

export type ApiApp = { id: string; scope: "workspace" | "brand" | "instance"; brandId: string | null; brandName: string | null; clientIdPreview: string };

/** Keyset page by id (credential ids are random, so the default app is not necessarily first; `scope` says which it is). */
export async function listAppsAfter(workspaceId: string, { afterId, limit }: { afterId: string | null; limit: number }): Promise<{ items: ApiApp[]; more: boolean }> {
  const rows = await db.xCredential.findMany({
    where: { workspaceId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: { id: "asc" },
    take: limit + 1,
    select: { id: true, brandId: true, scopeKey: true, clientIdPreview: true },
  });
  const page = rows.slice(0, limit);
  const brandIds = page.flatMap((r) => (r.brandId ? [r.brandId] : []));
  const brands = brandIds.length ? await db.brand.findMany({ where: { workspaceId, id: { in: brandIds } }, select: { id: true, name: true } }) : [];
  const brandName = new Map(brands.map((b) => [b.id, b.name]));
  return {
    items: page.map((r) => ({
      id: r.id,
      scope: r.scopeKey === "instance" ? "instance" : r.brandId ? "brand" : "workspace",
      brandId: r.brandId,
      brandName: r.brandId ? (brandName.get(r.brandId) ?? null) : null,
      clientIdPreview: r.clientIdPreview,
    })),
    more: rows.length > limit,
  };
}
