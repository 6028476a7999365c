// What is left of each X app's rate limits and what its calls cost (issue 9 §4): one DTO that
// GET /api/v1/apps/usage and the quota panels on /settings/x and the brand page all show, so the
// figures can never differ between them. Never a token or a credential.
import "server-only";
import { rateWindowsForApps, type StoredWindow } from "../connections/quota";
import { usageByApp, type KindUsage } from "../connections/usage";
import { db } from "../db";
import { env } from "../env";
import type { RateWindowName } from "../x/tweets";

export type WindowFigures = {
  limit: number;
  remaining: number;
  resetAt: Date;
  /** X answered 429 in this window. */
  limited: boolean;
  /** Below the warning share (KEYPORT_QUOTA_WARN_PERCENT, 10 %) or limited. */
  warning: boolean;
};

export type CostFigures = { posts: number; urlPosts: number; postsMicroUsd: number; ownCalls: number; ownMicroUsd: number; totalMicroUsd: number };

export type AppUsageFigures = {
  /** POST /2/tweets over 24 hours for the whole app (x-app-limit-24hour-*); null until X reported it. */
  posts24h: WindowFigures | null;
  /** Per endpoint: its current per-user window, for the account with the least left. */
  endpoints: { endpoint: string; windowLabel: string; account: { id: string; username: string } | null; window: WindowFigures }[];
  accounts: { id: string; username: string; posts24h: WindowFigures | null; postsWindow: WindowFigures | null }[];
  cost: { thisMonth: CostFigures; last30Days: CostFigures };
  /** When X last reported any of these figures. */
  observedAt: Date | null;
  warning: boolean;
};

const ENDPOINT_OF: Partial<Record<RateWindowName, { endpoint: string; windowLabel: string }>> = {
  tweets: { endpoint: "POST /2/tweets", windowLabel: "15 minutes, per account" },
  // Check now, the sweep's profile reads and the connect callback; shown only while a window is open.
  "users-me": { endpoint: "GET /2/users/me", windowLabel: "profile reads, 15 minutes, per account" },
};
/** The windows the per-account list shows (posting); a profile read alone does not list an account. */
const POST_WINDOWS: ReadonlySet<RateWindowName> = new Set(["tweets", "tweets-24h-user"]);

export async function appUsageFigures(workspaceId: string, credentialIds: string[], now = new Date()): Promise<Map<string, AppUsageFigures>> {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const thirtyDays = new Date(now.getTime() - 29 * 86_400_000); // today and the 29 days before it
  const [windows, month, recent] = await Promise.all([
    rateWindowsForApps(workspaceId, credentialIds, now),
    usageByApp(workspaceId, credentialIds, monthStart),
    usageByApp(workspaceId, credentialIds, thirtyDays),
  ]);
  const accountIds = [...new Set(windows.flatMap((w) => (w.accountId ? [w.accountId] : [])))];
  const accounts = accountIds.length
    ? await db.connectedAccount.findMany({ where: { workspaceId, id: { in: accountIds } }, select: { id: true, username: true, credentialId: true, status: true } })
    : [];
  // Only accounts still connected through this app: a reconnect through another app moves them.
  const usernames = new Map(accounts.filter((a) => a.status !== "DISCONNECTED").map((a) => [a.id, { username: a.username, credentialId: a.credentialId }]));

  const result = new Map<string, AppUsageFigures>();
  for (const credentialId of credentialIds) {
    const mine = windows.filter((w) => w.credentialId === credentialId && (!w.accountId || usernames.get(w.accountId)?.credentialId === credentialId));
    const app = mine.find((w) => w.window === "tweets-24h-app");
    const perAccount = new Map<string, AppUsageFigures["accounts"][number]>();
    const endpoints: AppUsageFigures["endpoints"] = [];
    for (const w of mine) {
      if (!w.accountId || !POST_WINDOWS.has(w.window)) continue;
      const username = usernames.get(w.accountId)!.username;
      const entry = perAccount.get(w.accountId) ?? { id: w.accountId, username, posts24h: null, postsWindow: null };
      if (w.window === "tweets-24h-user") entry.posts24h = figures(w);
      if (w.window === "tweets") entry.postsWindow = figures(w);
      perAccount.set(w.accountId, entry);
    }
    for (const [name, meta] of Object.entries(ENDPOINT_OF) as [RateWindowName, { endpoint: string; windowLabel: string }][]) {
      const lowest = mine.filter((w) => w.window === name).sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
      if (lowest) endpoints.push({ ...meta, account: lowest.accountId ? { id: lowest.accountId, username: usernames.get(lowest.accountId)!.username } : null, window: figures(lowest) });
    }
    const accountList = [...perAccount.values()].sort((a, b) => a.username.localeCompare(b.username));
    const posts24h = app ? figures(app) : null;
    const observed = mine.map((w) => w.observedAt.getTime());
    result.set(credentialId, {
      posts24h,
      endpoints,
      accounts: accountList,
      cost: { thisMonth: cost(month.get(credentialId)), last30Days: cost(recent.get(credentialId)) },
      observedAt: observed.length ? new Date(Math.max(...observed)) : null,
      warning: Boolean(posts24h?.warning || endpoints.some((e) => e.window.warning) || accountList.some((a) => a.posts24h?.warning || a.postsWindow?.warning)),
    });
  }
  return result;
}

function figures(w: StoredWindow): WindowFigures {
  const limited = w.limitedAt !== null;
  return { limit: w.limit, remaining: w.remaining, resetAt: w.resetAt, limited, warning: limited || w.remaining * 100 < w.limit * env.KEYPORT_QUOTA_WARN_PERCENT };
}

function cost(usage: { byKind: Record<string, KindUsage>; own: KindUsage; posts: KindUsage } | undefined): CostFigures {
  if (!usage) return { posts: 0, urlPosts: 0, postsMicroUsd: 0, ownCalls: 0, ownMicroUsd: 0, totalMicroUsd: 0 };
  return {
    posts: usage.posts.calls,
    urlPosts: usage.byKind["post-url"]?.calls ?? 0,
    postsMicroUsd: usage.posts.costMicros,
    ownCalls: usage.own.calls,
    ownMicroUsd: usage.own.costMicros,
    totalMicroUsd: usage.posts.costMicros + usage.own.costMicros,
  };
}

/** The app a scope uses itself: the workspace default (brandId null) or a brand's override; null when there is none. */
export async function appOfScope(workspaceId: string, brandId: string | null) {
  return db.xCredential.findFirst({ where: { workspaceId, scopeKey: brandId ? `brand:${brandId}` : "workspace" }, select: { id: true, clientIdPreview: true } });
}
