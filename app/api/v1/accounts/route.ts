// GET /api/v1/accounts — connected X accounts (of one brand, or with one status), with their health
// and never a token, so an agency's tools can see which connections work.
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { accountJson } from "@/lib/api/dto";
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { listAccounts } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { listAccountsAfter } from "@/lib/data/api-accounts";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listAccounts, async ({ key, query }) => {
  const after = query.cursor ? decodeCursor("accounts", query.cursor, ["i"] as const) : null;
  if (query.cursor && !after) return problem("invalid_cursor", "That cursor does not belong to this listing.");
  const page = await listAccountsAfter(key.workspaceId, { brandId: query.brandId, status: query.status, afterId: after?.i ?? null, limit: query.limit });
  const last = page.items.at(-1);
  return { status: 200, body: { data: page.items.map(accountJson), nextCursor: page.more && last ? encodeCursor("accounts", { i: last.id }) : null } };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
