// GET /api/v1/brands — the key's workspace's brands, searchable and cursor-paginated, so a tool can
// find the brand it acts on.
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { brandJson } from "@/lib/api/dto";
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { listBrands } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { listBrandsAfter } from "@/lib/data/brands";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listBrands, async ({ key, query }) => {
  const after = query.cursor ? decodeCursor("brands", query.cursor, ["n", "i"] as const) : null;
  if (query.cursor && !after) return problem("invalid_cursor", "That cursor does not belong to this listing.");
  const page = await listBrandsAfter(key.workspaceId, { q: query.q, after: after ? { nameKey: after.n, id: after.i } : null, limit: query.limit });
  const last = page.items.at(-1);
  return {
    status: 200,
    body: { data: page.items.map(brandJson), nextCursor: page.more && last ? encodeCursor("brands", { n: last.nameKey, i: last.id }) : null },
  };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
