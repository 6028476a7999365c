// Brands, always scoped by workspace: an id from another workspace simply isn't found.
import "server-only";
import { db } from "../db";
import { isId } from "../validations/brands";

export const BRANDS_PER_PAGE = 25;

export type BrandListItem = { id: string; name: string; createdAt: Date };

export async function listBrands(workspaceId: string, { q, page }: { q: string; page: number }) {
  const where = { workspaceId, ...(q ? { nameKey: { contains: q.toLowerCase() } } : {}) };
  const [total, items] = await Promise.all([
    db.brand.count({ where }),
    db.brand.findMany({
      where,
      select: { id: true, name: true, createdAt: true },
      orderBy: [{ nameKey: "asc" }, { id: "asc" }],
      skip: (page - 1) * BRANDS_PER_PAGE,
      take: BRANDS_PER_PAGE,
    }),
  ]);
  return { items: items as BrandListItem[], total, page, pageCount: Math.max(1, Math.ceil(total / BRANDS_PER_PAGE)) };
}

export async function getBrand(workspaceId: string, brandId: string) {
  if (!isId(brandId)) return null;
  return db.brand.findFirst({
    where: { id: brandId, workspaceId },
    select: { id: true, name: true, createdAt: true, updatedAt: true },
  });
}

export function createBrand(workspaceId: string, name: string) {
  return db.brand.create({
    data: { workspaceId, name, nameKey: name.toLowerCase() },
    select: { id: true, name: true },
  });
}

/** False when the brand is not in this workspace. */
export async function renameBrand(workspaceId: string, brandId: string, name: string): Promise<boolean> {
  const { count } = await db.brand.updateMany({
    where: { id: brandId, workspaceId },
    data: { name, nameKey: name.toLowerCase() },
  });
  return count === 1;
}

export async function deleteBrand(workspaceId: string, brandId: string): Promise<boolean> {
  const { count } = await db.brand.deleteMany({ where: { id: brandId, workspaceId } });
  return count === 1;
}

/** A keyset page for the API: by name, then id; `after` is the last item of the previous page. */
export async function listBrandsAfter(workspaceId: string, { q, after, limit }: { q?: string | undefined; after: { nameKey: string; id: string } | null; limit: number }) {
  const rows = await db.brand.findMany({
    where: {
      workspaceId,
      ...(q ? { nameKey: { contains: q.toLowerCase() } } : {}),
      ...(after ? { OR: [{ nameKey: { gt: after.nameKey } }, { nameKey: after.nameKey, id: { gt: after.id } }] } : {}),
    },
    select: { id: true, name: true, nameKey: true, createdAt: true },
    orderBy: [{ nameKey: "asc" }, { id: "asc" }],
    take: limit + 1,
  });
  return { items: rows.slice(0, limit), more: rows.length > limit };
}
