// Connected accounts as the public API shows them: status and why, which app, scopes, the last
// check — never a token. Selects name every column read, so no sealed field is ever loaded here.
import "server-only";
import { db, type Prisma } from "../db";
import { appFixedSince, reconnectFix, reconnectReasonLabel } from "../reconnect-reasons";
import { missingScopes, parseScopes } from "../x/scopes";

export type ApiAccountStatus = "active" | "degraded" | "needs_reconnect" | "disconnected";

export type ApiAccount = {
  id: string;
  brandId: string;
  xUserId: string;
  username: string;
  name: string;
  avatarUrl: string | null;
  status: ApiAccountStatus;
  reason: { code: string; label: string; fix: string } | null;
  since: Date | null;
  connectedAt: Date;
  app: { source: "brand" | "workspace" | "instance" | "removed"; clientIdPreview: string | null; current: boolean };
  grantedScopes: string[];
  missingScopes: string[];
  lastCheck: { at: Date; result: "working" | "needs-reconnect" | "unknown" | "not-active" } | null;
  lastProvenAt: Date | null;
};

const TO_DB: Record<ApiAccountStatus, string> = { active: "ACTIVE", degraded: "DEGRADED", needs_reconnect: "NEEDS_RECONNECT", disconnected: "DISCONNECTED" };
const FROM_DB: Record<string, ApiAccountStatus> = { ACTIVE: "active", DEGRADED: "degraded", NEEDS_RECONNECT: "needs_reconnect", DISCONNECTED: "disconnected" };

const SELECT = {
  id: true,
  brandId: true,
  xUserId: true,
  username: true,
  name: true,
  avatarUrl: true,
  status: true,
  statusReason: true,
  statusSince: true,
  lastCheckedAt: true,
  lastProvenAt: true,
  connectedAt: true,
  credentialId: true,
  credentialVersion: true,
  grantedScopes: true,
} as const;

/** A keyset page by id; `afterId` is the last id of the previous page. */
export async function listAccountsAfter(
  workspaceId: string,
  filter: { brandId?: string | undefined; status?: ApiAccountStatus | undefined; afterId: string | null; limit: number },
): Promise<{ items: ApiAccount[]; more: boolean }> {
  const rows = await db.connectedAccount.findMany({
    where: {
      workspaceId,
      ...(filter.brandId ? { brandId: filter.brandId } : {}),
      ...(filter.status ? { status: TO_DB[filter.status] } : {}),
      ...(filter.afterId ? { id: { gt: filter.afterId } } : {}),
    },
    orderBy: { id: "asc" },
    take: filter.limit + 1,
    select: SELECT,
  });
  return { items: await describe(workspaceId, rows.slice(0, filter.limit)), more: rows.length > filter.limit };
}

export async function getAccountForApi(workspaceId: string, accountId: string): Promise<ApiAccount | null> {
  const row = await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: SELECT });
  if (!row) return null;
  const [account] = await describe(workspaceId, [row]);
  return account ?? null;
}

type Row = Prisma.ConnectedAccountGetPayload<{ select: typeof SELECT }>;

async function describe(workspaceId: string, rows: Row[]): Promise<ApiAccount[]> {
  if (rows.length === 0) return [];
  const credentials = await db.xCredential.findMany({
    where: { workspaceId, id: { in: [...new Set(rows.map((r) => r.credentialId))] } },
    select: { id: true, brandId: true, scopeKey: true, clientIdPreview: true, version: true, rejectedAt: true, updatedAt: true },
  });
  const credential = new Map(credentials.map((c) => [c.id, c]));
  return rows.map((r) => {
    const status = FROM_DB[r.status] ?? "disconnected";
    const cred = credential.get(r.credentialId);
    const granted = parseScopes(r.grantedScopes);
    return {
      id: r.id,
      brandId: r.brandId,
      xUserId: r.xUserId,
      username: r.username,
      name: r.name,
      avatarUrl: r.avatarUrl,
      status,
      reason: status === "needs_reconnect" || status === "degraded" ? describeReason(r.statusReason, appFixedSince(r, cred)) : null,
      since: r.statusSince,
      connectedAt: r.connectedAt,
      app: cred
        ? { source: cred.scopeKey === "instance" ? "instance" : cred.brandId ? "brand" : "workspace", clientIdPreview: cred.clientIdPreview, current: cred.version === r.credentialVersion }
        : { source: "removed", clientIdPreview: null, current: false },
      grantedScopes: granted,
      missingScopes: missingScopes(granted),
      lastCheck: r.lastCheckedAt ? { at: r.lastCheckedAt, result: checkResult(status, r.lastCheckedAt, r.lastProvenAt) } : null,
      lastProvenAt: r.lastProvenAt,
    };
  });
}

/** What the latest check found: X accepted the grant then, or the account is (now) broken, or X did not say. */
function checkResult(status: ApiAccountStatus, checkedAt: Date, provenAt: Date | null): NonNullable<ApiAccount["lastCheck"]>["result"] {
  if (status === "needs_reconnect") return "needs-reconnect";
  if (status === "disconnected") return "not-active";
  return provenAt && provenAt.getTime() >= checkedAt.getTime() ? "working" : "unknown";
}

function describeReason(code: string | null, appFixed: boolean) {
  return { code: code ?? "", label: reconnectReasonLabel(code), fix: reconnectFix(code, { appFixed }) };
}
