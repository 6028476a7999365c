// GET /api/v1/apps/usage — the X apps the workspace holds credentials for (default and brand
// overrides), by Client ID preview, with what is left of their X rate limits and what they cost:
// the same figures as the quota panels on /settings/x and the brand pages.
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { appUsageJson } from "@/lib/api/dto";
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { appUsage } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { listAppsAfter } from "@/lib/data/api-apps";
import { appUsageFigures } from "@/lib/data/app-usage";

export const dynamic = "force-dynamic";

export const GET = apiHandler(appUsage, async ({ key, query }) => {
  const after = query.cursor ? decodeCursor("apps", query.cursor, ["i"] as const) : null;
  if (query.cursor && !after) return problem("invalid_cursor", "That cursor does not belong to this listing.");
  const page = await listAppsAfter(key.workspaceId, { afterId: after?.i ?? null, limit: query.limit });
  const last = page.items.at(-1);
  const usage = await appUsageFigures(key.workspaceId, page.items.map((app) => app.id));
  return {
    status: 200,
    body: { data: page.items.map((app) => ({ ...app, usage: appUsageJson(usage.get(app.id)!) })), nextCursor: page.more && last ? encodeCursor("apps", { i: last.id }) : null },
  };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
