// /admin/connections: every connected account across the workspace's brands, one bounded page at
// a time (offset over an indexed order, page size ≤ 100, a count for the total), plus the bulk
// writes behind its actions. Always scoped by workspace; DTOs carry no sealed column.
import "server-only";
import { randomUUID } from "node:crypto";
import { rateWindowsForApps } from "../connections/quota";
import type { AccountStatus } from "../connections/status";
import { newBearerToken, sha256Hex } from "../crypto/bearer";
import { db, DB_KIND, findInChunks, inChunks } from "../db";
import { env } from "../env";
import { RECONNECT_REASONS, reconnectReasonLabel, type ReconnectReason } from "../reconnect-reasons";
import { BULK_LIMIT, type AdminConnectionsFilter, type AdminConnectionsQuery } from "../validations/admin-connections";
import { recordAudit } from "./audit";
import { connectLinkUrl } from "./connect-links";

export type AdminAccountRow = {
  id: string;
  name: string;
  username: string;
  avatarUrl: string | null;
  brandId: string;
  brandName: string;
  status: AccountStatus;
  reason: { code: string; label: string; fix: string } | null;
  /** X's own answer behind the last failure, and Keyport's detail (e.g. which scopes are missing). */
  xError: string | null;
  detail: string | null;
  statusSince: string;
  lastProvenAt: string | null;
  app: {
    source: "brand" | "workspace" | "instance" | "removed";
    clientIdPreview: string | null;
    rejected: boolean;
    /** The app's 24-hour post quota as X last reported it (null until Keyport has posted through it). */
    postsLeft: { remaining: number; limit: number; resetAt: string; warning: boolean } | null;
    /** This account's GET /2/users/me window at the app (15 minutes) while X reports it low or spent; null otherwise. */
    profileReadsLeft: { remaining: number; limit: number; resetAt: string; warning: boolean } | null;
  };
  connectedBy: string;
  checkQueued: boolean;
};

export type AdminConnectionsPage = {
  rows: AdminAccountRow[];
  total: number;
  page: number;
  pageCount: number;
  size: number;
};

const ATTENTION: AccountStatus[] = ["NEEDS_RECONNECT", "DEGRADED"];

/** `statusCounts` (from the facets) spares a second count of the whole workspace when only the status is filtered. */
export async function listAdminConnections(workspaceId: string, query: AdminConnectionsQuery, statusCounts?: Record<AccountStatus, number>): Promise<AdminConnectionsPage> {
  const where = await whereFor(workspaceId, query);
  const onlyStatus = !query.reason && !query.brand && !query.app && !query.q;
  const total = statusCounts && onlyStatus ? countFor(query.status, statusCounts) : await db.connectedAccount.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / query.size));
  // Past the end (an old shared link, a shrunk filter): the last page rather than an empty one.
  const page = Math.min(query.page, pageCount);
  const rows = await db.connectedAccount.findMany({
    where,
    orderBy: orderFor(query),
    skip: (page - 1) * query.size,
    take: query.size,
    select: {
      id: true,
      name: true,
      username: true,
      avatarUrl: true,
      brandId: true,
      status: true,
      statusReason: true,
      statusDetail: true,
      statusSince: true,
      lastXError: true,
      lastProvenAt: true,
      credentialId: true,
      connectedById: true,
      checkRequestedAt: true,
      brand: { select: { name: true } },
    },
  });
  if (rows.length === 0) return { rows: [], total, page, pageCount, size: query.size };
  const [users, credentials, links] = await Promise.all([
    db.user.findMany({ where: { id: { in: unique(rows.flatMap((r) => (r.connectedById ? [r.connectedById] : []))) } }, select: { id: true, name: true } }),
    db.xCredential.findMany({
      where: { workspaceId, id: { in: unique(rows.map((r) => r.credentialId)) } },
      select: { id: true, brandId: true, scopeKey: true, clientIdPreview: true, rejectedAt: true },
    }),
    db.connectLinkTarget.findMany({ where: { workspaceId, accountId: { in: rows.map((r) => r.id) } }, select: { accountId: true } }),
  ]);
  const appWindows = await rateWindowsForApps(workspaceId, credentials.map((c) => c.id), new Date(), { windows: ["tweets-24h-app", "users-me"], accountIds: rows.map((r) => r.id) });
  const left = (w: (typeof appWindows)[number]) => ({ remaining: w.remaining, limit: w.limit, resetAt: w.resetAt.toISOString(), warning: w.limitedAt !== null || w.remaining * 100 < w.limit * env.KEYPORT_QUOTA_WARN_PERCENT });
  const postsLeft = new Map(appWindows.filter((w) => w.window === "tweets-24h-app").map((w) => [w.credentialId, left(w)]));
  // Per account and only when it matters: a healthy profile-read window would only add noise.
  const profileReadsLeft = new Map(
    appWindows.filter((w) => w.window === "users-me" && w.accountId).map((w) => [`${w.credentialId}|${w.accountId}`, left(w)] as const).filter(([, l]) => l.warning),
  );
  const viaLinkAccounts = await db.connectLink.findMany({ where: { workspaceId, accountId: { in: rows.map((r) => r.id) } }, select: { accountId: true } });
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const credential = new Map(credentials.map((c) => [c.id, c]));
  const viaLink = new Set([...viaLinkAccounts.map((l) => l.accountId), ...links.map((l) => l.accountId)]);
  return {
    rows: rows.map((r) => {
      const cred = credential.get(r.credentialId);
      const status = r.status as AccountStatus;
      return {
        id: r.id,
        name: r.name,
        username: r.username,
        avatarUrl: r.avatarUrl,
        brandId: r.brandId,
        brandName: r.brand.name,
        status,
        reason: status === "NEEDS_RECONNECT" || status === "DEGRADED" ? describeReason(r.statusReason) : null,
        xError: r.lastXError,
        detail: r.statusDetail,
        statusSince: r.statusSince.toISOString(),
        lastProvenAt: r.lastProvenAt?.toISOString() ?? null,
        app: cred
          ? {
              source: cred.scopeKey === "instance" ? "instance" : cred.brandId ? "brand" : "workspace",
              clientIdPreview: cred.clientIdPreview,
              rejected: Boolean(cred.rejectedAt),
              postsLeft: postsLeft.get(cred.id) ?? null,
              profileReadsLeft: profileReadsLeft.get(`${cred.id}|${r.id}`) ?? null,
            }
          : { source: "removed", clientIdPreview: null, rejected: false, postsLeft: null, profileReadsLeft: null },
        connectedBy: r.connectedById ? (userName.get(r.connectedById) ?? "A former member") : viaLink.has(r.id) ? "The client, through a connect link" : "Unknown",
        checkQueued: r.checkRequestedAt !== null,
      } satisfies AdminAccountRow;
    }),
    total,
    page,
    pageCount,
    size: query.size,
  };
}

export type AdminConnectionsFacets = {
  statusCounts: Record<AccountStatus, number>;
  brands: { id: string; name: string }[];
  apps: { id: string; label: string; rejected: boolean }[];
  /** Checks people asked for that no worker has done yet (workspace-wide). */
  checksQueued: number;
};

/** Filter options shown in selects; past this many brands, search by name instead. */
export const FACET_LIMIT = 200;

export async function adminConnectionsFacets(workspaceId: string, selected: { brand?: string | undefined; app?: string | undefined }): Promise<AdminConnectionsFacets> {
  const [groups, brands, apps, checksQueued] = await Promise.all([
    db.connectedAccount.groupBy({ by: ["status"], where: { workspaceId }, _count: { _all: true } }),
    db.brand.findMany({ where: { workspaceId }, orderBy: [{ nameKey: "asc" }, { id: "asc" }], take: FACET_LIMIT, select: { id: true, name: true } }),
    db.xCredential.findMany({
      where: { workspaceId },
      orderBy: [{ scopeKey: "asc" }],
      take: FACET_LIMIT,
      select: { id: true, brandId: true, clientIdPreview: true, rejectedAt: true },
    }),
    db.connectedAccount.count({ where: { workspaceId, checkRequestedAt: { not: null } } }),
  ]);
  if (selected.brand && !brands.some((b) => b.id === selected.brand)) {
    const extra = await db.brand.findFirst({ where: { id: selected.brand, workspaceId }, select: { id: true, name: true } });
    if (extra) brands.push(extra);
  }
  const brandName = new Map(brands.map((b) => [b.id, b.name]));
  const missing = unique(apps.flatMap((a) => (a.brandId && !brandName.has(a.brandId) ? [a.brandId] : [])));
  if (missing.length) {
    for (const b of await db.brand.findMany({ where: { workspaceId, id: { in: missing } }, select: { id: true, name: true } })) brandName.set(b.id, b.name);
  }
  const statusCounts = { ACTIVE: 0, DEGRADED: 0, NEEDS_RECONNECT: 0, DISCONNECTED: 0 } as Record<AccountStatus, number>;
  for (const g of groups) if (g.status in statusCounts) statusCounts[g.status as AccountStatus] = g._count._all;
  return {
    statusCounts,
    brands,
    apps: apps
      .map((a) => ({
        id: a.id,
        label: `${a.brandId ? `${brandName.get(a.brandId) ?? "A brand"} override` : "Workspace default"} (${a.clientIdPreview}…)`,
        rejected: Boolean(a.rejectedAt),
      }))
      .sort((x, y) => (x.label.startsWith("Workspace default") ? -1 : y.label.startsWith("Workspace default") ? 1 : x.label.localeCompare(y.label))),
    checksQueued,
  };
}

export type ResolvedSelection = { status: "ok"; ids: string[] } | { status: "too-many"; count: number } | { status: "empty" };

/** The workspace's accounts a bulk action applies to: ids not in this workspace are dropped silently. */
export async function resolveSelection(workspaceId: string, selection: { ids: string[] } | { filter: AdminConnectionsFilter }): Promise<ResolvedSelection> {
  if ("ids" in selection) {
    const rows = await findInChunks(unique(selection.ids), (part) => db.connectedAccount.findMany({ where: { workspaceId, id: { in: part } }, select: { id: true } }));
    return rows.length ? { status: "ok", ids: rows.map((r) => r.id) } : { status: "empty" };
  }
  const where = await whereFor(workspaceId, selection.filter);
  const count = await db.connectedAccount.count({ where });
  if (count === 0) return { status: "empty" };
  if (count > BULK_LIMIT) return { status: "too-many", count };
  const rows = await db.connectedAccount.findMany({ where, orderBy: [{ statusSince: "asc" }, { id: "asc" }], take: BULK_LIMIT, select: { id: true } });
  return { status: "ok", ids: rows.map((r) => r.id) };
}

export type ReconnectLinkRow = { accountId: string; username: string; name: string; brandId: string; brandName: string; url: string; expiresAt: string };
export type SkippedRow = { accountId: string; username: string; brandName: string; why: string };

/**
 * One hosted reconnect link per account, each bound to that account's brand and naming the account
 * (ConnectLinkTarget), in one transaction with one audit entry. Accounts whose brand has no usable
 * X app are skipped with the reason: a link would only lead the client to an error.
 */
export async function createReconnectLinks(input: { workspaceId: string; actor: { id: string; name: string }; accountIds: string[]; expiresInHours: number }) {
  const { workspaceId, actor } = input;
  const accounts = (
    await findInChunks(unique(input.accountIds), (part) =>
      db.connectedAccount.findMany({
        where: { workspaceId, id: { in: part } },
        select: { id: true, username: true, name: true, brandId: true, statusSince: true, brand: { select: { name: true } } },
      }),
    )
  ).sort((a, b) => a.statusSince.getTime() - b.statusSince.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const brandIds = unique(accounts.map((a) => a.brandId));
  const apps = await findInChunks(["workspace", "instance", ...brandIds.map((b) => `brand:${b}`)], (part) =>
    db.xCredential.findMany({ where: { workspaceId, scopeKey: { in: part } }, select: { scopeKey: true, rejectedAt: true } }),
  );
  // Brand override → workspace default → the operator's instance app (its row is made on first use).
  const instanceApp = apps.find((a) => a.scopeKey === "instance") ?? (env.KEYPORT_X_CLIENT_ID ? { scopeKey: "instance", rejectedAt: null } : undefined);
  const appFor = (brandId: string) => apps.find((a) => a.scopeKey === `brand:${brandId}`) ?? apps.find((a) => a.scopeKey === "workspace") ?? instanceApp;
  const expiresAt = new Date(Date.now() + input.expiresInHours * 60 * 60 * 1000);
  const links: ReconnectLinkRow[] = [];
  const skipped: SkippedRow[] = [];
  const linkRows: { id: string; workspaceId: string; brandId: string; tokenHash: string; createdById: string; expiresAt: Date }[] = [];
  const targets: { linkId: string; workspaceId: string; accountId: string }[] = [];
  for (const a of accounts) {
    const app = appFor(a.brandId);
    if (!app) {
      skipped.push({ accountId: a.id, username: a.username, brandName: a.brand.name, why: "Neither the brand nor the workspace has an X app." });
      continue;
    }
    if (app.rejectedAt) {
      skipped.push({ accountId: a.id, username: a.username, brandName: a.brand.name, why: "X rejected the brand's app; replace its credentials first." });
      continue;
    }
    const token = newBearerToken();
    const id = randomUUID();
    linkRows.push({ id, workspaceId, brandId: a.brandId, tokenHash: sha256Hex(token), createdById: actor.id, expiresAt });
    targets.push({ linkId: id, workspaceId, accountId: a.id });
    links.push({ accountId: a.id, username: a.username, name: a.name, brandId: a.brandId, brandName: a.brand.name, url: connectLinkUrl(token), expiresAt: expiresAt.toISOString() });
  }
  if (linkRows.length) {
    await db.$transaction(async (tx) => {
      await tx.connectLink.createMany({ data: linkRows });
      await tx.connectLinkTarget.createMany({ data: targets });
      await recordAudit(
        {
          workspaceId,
          actor,
          action: "accounts.reconnect_links_created",
          summary: `Created ${plural(linkRows.length, "reconnect link")} (valid ${input.expiresInHours} h) for ${listNames(links.map((l) => l.username))}${skipped.length ? `; skipped ${skipped.length}` : ""}.`,
          outcome: String(linkRows.length),
        },
        tx,
      );
    });
  }
  return { links, skipped };
}

/** Queue "Check now" for a worker (it runs the check and clears checkRequestedAt). Only working or degraded accounts can be checked. */
export async function requestChecks(input: { workspaceId: string; actor: { id: string; name: string }; accountIds: string[] }) {
  const { workspaceId, actor } = input;
  const ids = unique(input.accountIds);
  const now = new Date();
  return db.$transaction(async (tx) => {
    let count = 0;
    const queued: { id: string }[] = [];
    for (const part of inChunks(ids)) {
      const where = { workspaceId, id: { in: part }, status: { in: ["ACTIVE", "DEGRADED"] } };
      count += (await tx.connectedAccount.updateMany({ where, data: { checkRequestedAt: now } })).count;
      queued.push(...(await tx.connectedAccount.findMany({ where, select: { id: true } })));
    }
    if (count > 0) {
      await recordAudit({ workspaceId, actor, action: "accounts.check_requested", summary: `Asked for a check of ${plural(count, "account")}${ids.length > count ? `; ${ids.length - count} skipped (need reconnecting or disconnected)` : ""}.`, outcome: String(count) }, tx);
    }
    return { queued: queued.map((q) => q.id), skipped: ids.length - count };
  });
}

/** Why accounts need attention, with counts (the quick filters above the list). */
export async function attentionReasons(workspaceId: string): Promise<{ code: string; label: string; count: number }[]> {
  const groups = await db.connectedAccount.groupBy({ by: ["statusReason"], where: { workspaceId, status: { in: ATTENTION } }, _count: { _all: true } });
  return groups
    .filter((g) => g.statusReason && g.statusReason in RECONNECT_REASONS)
    .map((g) => ({ code: g.statusReason!, label: reconnectReasonLabel(g.statusReason), count: g._count._all }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export type CheckProgress = { pending: number; done: number; byStatus: Record<AccountStatus, number> };

/** How far the worker got through checks someone queued: pending ones still have checkRequestedAt. */
export async function checkProgress(workspaceId: string, accountIds: string[]): Promise<CheckProgress> {
  const rows = await findInChunks(unique(accountIds), (part) => db.connectedAccount.findMany({ where: { workspaceId, id: { in: part } }, select: { status: true, checkRequestedAt: true } }));
  const byStatus = { ACTIVE: 0, DEGRADED: 0, NEEDS_RECONNECT: 0, DISCONNECTED: 0 } as Record<AccountStatus, number>;
  let pending = 0;
  for (const r of rows) {
    if (r.checkRequestedAt) pending++;
    else if (r.status in byStatus) byStatus[r.status as AccountStatus]++;
  }
  return { pending, done: rows.length - pending, byStatus };
}

export function recordBulkDisconnect(input: { workspaceId: string; actor: { id: string; name: string }; disconnected: string[]; localOnly: number; failed: number }) {
  return recordAudit({
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "accounts.bulk_disconnected",
    summary: `Disconnected ${plural(input.disconnected.length, "account")} at once (${listNames(input.disconnected)})${input.localOnly ? `; ${input.localOnly} not revoked at X` : ""}${input.failed ? `; ${input.failed} not disconnected` : ""}.`,
    outcome: String(input.disconnected.length),
  });
}

async function whereFor(workspaceId: string, filter: AdminConnectionsFilter) {
  const status = filter.status === "attention" ? { in: ATTENTION } : filter.status === "all" ? undefined : filter.status;
  const q = filter.q.replace(/^@/, "").trim();
  let search: object | undefined;
  if (q) {
    // Names and usernames case-insensitively on both databases (SQLite's LIKE already is for
    // ASCII); brands through their lower-cased key, a bounded list of matching ids.
    const text = DB_KIND === "postgres" ? { contains: q, mode: "insensitive" as const } : { contains: q };
    const brands = await db.brand.findMany({ where: { workspaceId, nameKey: { contains: q.toLowerCase() } }, select: { id: true }, take: FACET_LIMIT });
    search = { OR: [{ username: text }, { name: text }, ...(brands.length ? [{ brandId: { in: brands.map((b) => b.id) } }] : [])] };
  }
  return {
    workspaceId,
    ...(status ? { status } : {}),
    ...(filter.reason ? { statusReason: filter.reason } : {}),
    ...(filter.brand ? { brandId: filter.brand } : {}),
    ...(filter.app ? { credentialId: filter.app } : {}),
    ...(search ?? {}),
  };
}

function orderFor(query: AdminConnectionsQuery) {
  const dir = query.dir;
  switch (query.sort) {
    case "username":
      return [{ username: dir }, { id: dir }];
    case "status":
      return [{ status: dir }, { statusSince: dir }, { id: dir }];
    case "checked":
      // Never proven goes last oldest-first (first newest-first), said explicitly because the two
      // databases disagree about NULL by default; this is PostgreSQL's own order, so its index
      // serves it in both directions.
      return [{ lastProvenAt: { sort: dir, nulls: dir === "asc" ? ("last" as const) : ("first" as const) } }, { id: dir }];
    case "since":
    default:
      return [{ statusSince: dir }, { id: dir }];
  }
}

function countFor(status: AdminConnectionsQuery["status"], counts: Record<AccountStatus, number>) {
  if (status === "attention") return counts.NEEDS_RECONNECT + counts.DEGRADED;
  if (status === "all") return counts.ACTIVE + counts.DEGRADED + counts.NEEDS_RECONNECT + counts.DISCONNECTED;
  return counts[status];
}

function describeReason(code: string | null): { code: string; label: string; fix: string } {
  const known = code && code in RECONNECT_REASONS ? RECONNECT_REASONS[code as ReconnectReason] : null;
  return { code: code ?? "", label: reconnectReasonLabel(code), fix: known?.fix ?? "Reconnect the account." };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function plural(n: number, noun: string) {
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}

function listNames(usernames: string[]) {
  const shown = usernames.slice(0, 10).map((u) => `@${u}`);
  return usernames.length > 10 ? `${shown.join(", ")} and ${usernames.length - 10} more` : shown.join(", ");
}
