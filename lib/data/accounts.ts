// Connected X accounts as the UI sees them: DTOs without any sealed field, always scoped by
// workspace. Writes live in lib/connections (they talk to X).
import "server-only";
import { db } from "../db";
import { appFixedSince, reconnectFix, reconnectReasonLabel } from "../reconnect-reasons";
import { missingScopes, parseScopes } from "../x/scopes";
import { workspaceRequestedScopes } from "./workspace-scopes";

export type { AccountStatus } from "../connections/status";
import type { AccountStatus } from "../connections/status";

export type AccountSummary = {
  id: string;
  name: string;
  username: string;
  avatarUrl: string | null;
  status: AccountStatus;
  reason: { code: string; label: string; fix: string } | null;
  /** Since when the account has had its current status. */
  statusSince: Date;
  connectedAt: Date;
  connectedBy: string;
  app: { source: "brand" | "workspace" | "instance" | "removed"; clientIdPreview: string | null; current: boolean; rejected: boolean };
  grantedScopes: string[];
  missingScopes: string[];
  accessTokenExpiresAt: Date | null;
  canRefresh: boolean;
};

export async function listBrandAccounts(workspaceId: string, brandId: string): Promise<AccountSummary[]> {
  const rows = await db.connectedAccount.findMany({
    where: { workspaceId, brandId },
    orderBy: [{ connectedAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      username: true,
      avatarUrl: true,
      status: true,
      statusReason: true,
      statusSince: true,
      connectedAt: true,
      connectedById: true,
      credentialId: true,
      credentialVersion: true,
      grantedScopes: true,
      accessTokenExpiresAt: true,
      refreshTokenSealed: true,
    },
  });
  if (rows.length === 0) return [];
  const [users, credentials, links, requested] = await Promise.all([
    db.user.findMany({ where: { id: { in: rows.flatMap((r) => (r.connectedById ? [r.connectedById] : [])) } }, select: { id: true, name: true } }),
    credentialsFor(workspaceId, rows),
    db.connectLink.findMany({ where: { workspaceId, accountId: { in: rows.map((r) => r.id) } }, select: { accountId: true } }),
    workspaceRequestedScopes(workspaceId),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const credential = new Map(credentials.map((c) => [c.id, c]));
  const viaLink = new Set(links.map((l) => l.accountId));
  return rows.map((r) => {
    const cred = credential.get(r.credentialId);
    const granted = parseScopes(r.grantedScopes);
    return {
      id: r.id,
      name: r.name,
      username: r.username,
      avatarUrl: r.avatarUrl,
      status: r.status as AccountStatus,
      reason: r.status === "NEEDS_RECONNECT" || r.status === "DEGRADED" ? describeReason(r.statusReason, appFixedSince(r, cred)) : null,
      statusSince: r.statusSince,
      connectedAt: r.connectedAt,
      connectedBy: r.connectedById ? (userName.get(r.connectedById) ?? "A former member") : viaLink.has(r.id) ? "The client, through a connect link" : "Unknown",
      app: cred
        ? { source: cred.scopeKey === "instance" ? "instance" : cred.brandId ? "brand" : "workspace", clientIdPreview: cred.clientIdPreview, current: cred.version === r.credentialVersion, rejected: cred.rejectedAt !== null }
        : { source: "removed", clientIdPreview: null, current: false, rejected: false },
      grantedScopes: granted,
      missingScopes: missingScopes(granted, requested),
      accessTokenExpiresAt: r.accessTokenExpiresAt,
      canRefresh: Boolean(r.refreshTokenSealed),
    };
  });
}

export type RecentOutcome = { attemptId: string; outcome: string | null; detail: string | null };

/** This user's finished attempts on this brand in the last hour: the brand page shows the one named in its URL. */
export async function recentConnectOutcomes(workspaceId: string, brandId: string, userId: string): Promise<RecentOutcome[]> {
  const rows = await db.connectAttempt.findMany({
    where: { workspaceId, brandId, userId, consumedAt: { gt: new Date(Date.now() - 60 * 60 * 1000) } },
    orderBy: { consumedAt: "desc" },
    take: 20,
    select: { id: true, outcome: true, outcomeDetail: true },
  });
  return rows.map((r) => ({ attemptId: r.id, outcome: r.outcome, detail: r.outcomeDetail }));
}

export type ReconnectItem = {
  id: string;
  name: string;
  username: string;
  avatarUrl: string | null;
  brandId: string;
  brandName: string;
  reason: { code: string; label: string; fix: string };
  since: Date | null;
};

/** The page lists at most this many; it says so when there are more. */
export const RECONNECT_LIST_LIMIT = 500;

/** Accounts in the workspace that need reconnecting, oldest problem first (at most RECONNECT_LIST_LIMIT), and how many there are in all. */
export async function listAccountsNeedingReconnect(workspaceId: string, reason?: string): Promise<{ items: ReconnectItem[]; total: number }> {
  const where = { workspaceId, status: "NEEDS_RECONNECT", ...(reason ? { statusReason: reason } : {}) };
  const [rows, total] = await Promise.all([
    db.connectedAccount.findMany({
      where,
      orderBy: [{ statusSince: "asc" }, { id: "asc" }],
      take: RECONNECT_LIST_LIMIT,
      select: { id: true, name: true, username: true, avatarUrl: true, brandId: true, statusReason: true, statusSince: true, credentialId: true, credentialVersion: true, brand: { select: { name: true } } },
    }),
    db.connectedAccount.count({ where }),
  ]);
  const credential = new Map((await credentialsFor(workspaceId, rows)).map((c) => [c.id, c]));
  const items = rows.map((r) => ({
    id: r.id,
    name: r.name,
    username: r.username,
    avatarUrl: r.avatarUrl,
    brandId: r.brandId,
    brandName: r.brand.name,
    reason: describeReason(r.statusReason, appFixedSince(r, credential.get(r.credentialId))),
    since: r.statusSince,
  }));
  return { items, total };
}

export async function countReconnectReasons(workspaceId: string): Promise<{ code: string; label: string; count: number }[]> {
  const groups = await db.connectedAccount.groupBy({ by: ["statusReason"], where: { workspaceId, status: "NEEDS_RECONNECT" }, _count: { _all: true } });
  return groups
    .map((g) => ({ code: g.statusReason ?? "", label: reconnectReasonLabel(g.statusReason), count: g._count._all }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function describeReason(code: string | null, appFixed = false): { code: string; label: string; fix: string } {
  return { code: code ?? "", label: reconnectReasonLabel(code), fix: reconnectFix(code, { appFixed }) };
}

/** The credentials behind these accounts: which app, whether X rejects it, whether it changed since. */
function credentialsFor(workspaceId: string, rows: { credentialId: string }[]) {
  return db.xCredential.findMany({
    where: { workspaceId, id: { in: [...new Set(rows.map((r) => r.credentialId))] } },
    select: { id: true, brandId: true, scopeKey: true, clientIdPreview: true, version: true, rejectedAt: true, updatedAt: true },
  });
}
