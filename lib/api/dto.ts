// lib/data results as the API's JSON: dates as RFC 3339 strings, nothing else added. The handler
// then checks each body against its documented schema, which drops anything undeclared.
import type { z } from "zod";
import type { ApiAccount } from "../data/api-accounts";
import type { AppUsageFigures, CostFigures, WindowFigures } from "../data/app-usage";
import type { PublishedPost } from "../posts/publish";
import type { accountSchema } from "./schemas/accounts";
import type { appUsageFiguresSchema } from "./schemas/apps";
import type { brandSchema } from "./schemas/brands";
import type { postSchema } from "./schemas/posts";

export function brandJson(b: { id: string; name: string; createdAt: Date }): z.input<typeof brandSchema> {
  return { id: b.id, name: b.name, createdAt: b.createdAt.toISOString() };
}

export function accountJson(a: ApiAccount): z.input<typeof accountSchema> {
  return {
    ...a,
    since: a.since?.toISOString() ?? null,
    connectedAt: a.connectedAt.toISOString(),
    lastCheck: a.lastCheck ? { at: a.lastCheck.at.toISOString(), result: a.lastCheck.result } : null,
    lastProvenAt: a.lastProvenAt?.toISOString() ?? null,
  };
}

export function postJson(p: PublishedPost): z.input<typeof postSchema> {
  return { ...p, createdAt: p.createdAt.toISOString() };
}

export function appUsageJson(u: AppUsageFigures): z.input<typeof appUsageFiguresSchema> {
  const win = (w: WindowFigures | null) => (w ? { ...w, resetAt: w.resetAt.toISOString() } : null);
  const money = (microUsd: number) => ({ microUsd, usd: microUsd / 1_000_000 });
  const cost = (c: CostFigures) => ({ posts: c.posts, urlPosts: c.urlPosts, postsCost: money(c.postsMicroUsd), ownCalls: c.ownCalls, ownCost: money(c.ownMicroUsd), totalCost: money(c.totalMicroUsd) });
  return {
    posts24h: win(u.posts24h),
    endpoints: u.endpoints.map((e) => ({ ...e, window: win(e.window)! })),
    accounts: u.accounts.map((a) => ({ ...a, posts24h: win(a.posts24h), postsWindow: win(a.postsWindow) })),
    cost: { thisMonth: cost(u.cost.thisMonth), last30Days: cost(u.cost.last30Days) },
    observedAt: u.observedAt?.toISOString() ?? null,
    warning: u.warning,
  };
}
