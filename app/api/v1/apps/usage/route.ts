// GET /api/v1/apps/usage — the X apps the workspace holds credentials for (default and brand
// overrides), by Client ID preview.
// TODO(issue 9 §4): the quota/cost engineer fills `usage` (remaining 24-hour posts, per-endpoint
// windows, cost this month / last 30 days) here and in lib/api/schemas/apps.ts; until then null.
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { appUsage } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { listAppsAfter } from "@/lib/data/api-apps";

export const dynamic = "force-dynamic";

export const GET = apiHandler(appUsage, async ({ key, query }) => {
  const after = query.cursor ? decodeCursor("apps", query.cursor, ["i"] as const) : null;
  if (query.cursor && !after) return problem("invalid_cursor", "That cursor does not belong to this listing.");
  const page = await listAppsAfter(key.workspaceId, { afterId: after?.i ?? null, limit: query.limit });
  const last = page.items.at(-1);
  return {
    status: 200,
    body: { data: page.items.map((app) => ({ ...app, usage: null })), nextCursor: page.more && last ? encodeCursor("apps", { i: last.id }) : null },
  };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
