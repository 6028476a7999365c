// Hosted connect links: a single-use, expiring, revocable URL staff send to a client so the
// client can connect their X account to a brand without a Keyport account. Only a hash of the
// token is stored; the token is shown once, when the link is made.
import "server-only";
import { instanceApp } from "./x-credentials";
import { randomUUID } from "node:crypto";
import { newBearerToken, sha256Hex } from "../crypto/bearer";
import { db } from "../db";
import { env } from "../env";
import { recordIdField } from "../validations/connect";

export type LinkStatus = "active" | "used" | "expired" | "revoked";

export type ConnectLinkSummary = {
  id: string;
  status: LinkStatus;
  createdAt: Date;
  expiresAt: Date;
  createdByName: string;
  usedAt: Date | null;
  revokedAt: Date | null;
  accountUsername: string | null;
};

/** createdById of links made through the API: this prefix and the key's id. */
export const API_KEY_CREATOR = "api-key:";

export function connectLinkUrl(token: string) {
  return `${env.KEYPORT_PUBLIC_URL}/connect/${token}`;
}

/** Null when the brand is not in this workspace. The token is returned once and never again. */
export async function createConnectLink(input: { workspaceId: string; brandId: string; createdById: string; expiresInHours: number }) {
  const created = await createConnectLinkFor(input);
  return created.status === "created" ? { url: created.url, expiresAt: created.expiresAt } : null;
}

export type CreateLinkResult =
  | { status: "created"; id: string; url: string; expiresAt: Date; reconnect: { accountId: string; username: string } | null }
  | { status: "brand-not-found" | "account-not-found" | "account-not-in-brand" | "no-app" };

/**
 * A connect link, or with `accountId` a reconnect link: bound to the brand that account is
 * connected to, remembering the account (ConnectLinkTarget) so the client's page can name it.
 * `createdById` is a user id, or "api-key:<id>" for links made through the API.
 */
export async function createConnectLinkFor(input: {
  workspaceId: string;
  brandId: string;
  createdById: string;
  expiresInHours: number;
  accountId?: string | undefined;
  /** Refuse ("no-app") when neither the brand nor the workspace has X app credentials. */
  requireApp?: boolean;
}): Promise<CreateLinkResult> {
  const brand = await db.brand.findFirst({ where: { id: input.brandId, workspaceId: input.workspaceId }, select: { id: true } });
  if (!brand) return { status: "brand-not-found" };
  let reconnect: { accountId: string; username: string } | null = null;
  if (input.accountId) {
    const account = await db.connectedAccount.findFirst({ where: { id: input.accountId, workspaceId: input.workspaceId }, select: { id: true, brandId: true, username: true } });
    if (!account) return { status: "account-not-found" };
    if (account.brandId !== brand.id) return { status: "account-not-in-brand" };
    reconnect = { accountId: account.id, username: account.username };
  }
  if (input.requireApp) {
    const apps = await db.xCredential.count({ where: { workspaceId: input.workspaceId, scopeKey: { in: ["workspace", `brand:${brand.id}`] } } });
    if (apps === 0 && !instanceApp()) return { status: "no-app" };
  }
  const token = newBearerToken();
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + input.expiresInHours * 60 * 60 * 1000);
  await db.$transaction(async (tx) => {
    await tx.connectLink.create({
      data: { id, workspaceId: input.workspaceId, brandId: input.brandId, tokenHash: sha256Hex(token), createdById: input.createdById, expiresAt },
    });
    if (reconnect) await tx.connectLinkTarget.create({ data: { linkId: id, workspaceId: input.workspaceId, accountId: reconnect.accountId } });
  });
  return { status: "created", id, url: connectLinkUrl(token), expiresAt, reconnect };
}

export async function listConnectLinks(workspaceId: string, brandId: string, now = new Date()): Promise<ConnectLinkSummary[]> {
  const rows = await db.connectLink.findMany({
    where: { workspaceId, brandId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
    select: { id: true, createdAt: true, expiresAt: true, createdById: true, consumedAt: true, revokedAt: true, accountId: true },
  });
  const keyIds = rows.flatMap((r) => (r.createdById.startsWith(API_KEY_CREATOR) ? [r.createdById.slice(API_KEY_CREATOR.length)] : []));
  const [users, accounts, keys] = await Promise.all([
    db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, name: true } }),
    db.connectedAccount.findMany({ where: { workspaceId, id: { in: rows.flatMap((r) => (r.accountId ? [r.accountId] : [])) } }, select: { id: true, username: true } }),
    keyIds.length ? db.apiKey.findMany({ where: { workspaceId, id: { in: keyIds } }, select: { id: true, name: true } }) : [],
  ]);
  const userName = new Map([...users.map((u) => [u.id, u.name] as const), ...keys.map((k) => [`${API_KEY_CREATOR}${k.id}`, `API key “${k.name}”`] as const)]);
  const username = new Map(accounts.map((a) => [a.id, a.username]));
  return rows.map((r) => ({
    id: r.id,
    status: linkStatus(r, now),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    createdByName: userName.get(r.createdById) ?? "A former member",
    usedAt: r.consumedAt,
    revokedAt: r.revokedAt,
    accountUsername: r.accountId ? (username.get(r.accountId) ?? null) : null,
  }));
}

/** False when the link isn't in this workspace or can no longer be used anyway. */
export async function revokeConnectLink(workspaceId: string, linkId: string): Promise<{ brandId: string } | null> {
  const link = await db.connectLink.findFirst({ where: { id: linkId, workspaceId }, select: { brandId: true } });
  if (!link) return null;
  const { count } = await db.connectLink.updateMany({
    where: { id: linkId, workspaceId, consumedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1 ? link : null;
}

export type LinkLookup =
  | { status: LinkStatus; id: string; workspaceId: string; brandId: string; workspaceName: string; brandName: string; expiresAt: Date; accountId: string | null; reconnectUsername: string | null }
  | { status: "unknown" };

/** What /connect/<token> shows, and whether the token may start a connection. */
export async function lookupConnectLink(token: string, now = new Date()): Promise<LinkLookup> {
  const link = await db.connectLink.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { id: true, workspaceId: true, brandId: true, expiresAt: true, consumedAt: true, revokedAt: true, accountId: true },
  });
  if (!link) return { status: "unknown" };
  const [workspace, brand, target] = await Promise.all([
    db.workspace.findUnique({ where: { id: link.workspaceId }, select: { name: true } }),
    db.brand.findFirst({ where: { id: link.brandId, workspaceId: link.workspaceId }, select: { name: true } }),
    db.connectLinkTarget.findUnique({ where: { linkId: link.id }, select: { accountId: true } }),
  ]);
  if (!workspace || !brand) return { status: "unknown" };
  const reconnect = target
    ? await db.connectedAccount.findFirst({ where: { id: target.accountId, workspaceId: link.workspaceId, brandId: link.brandId }, select: { username: true } })
    : null;
  return {
    status: linkStatus(link, now),
    id: link.id,
    workspaceId: link.workspaceId,
    brandId: link.brandId,
    workspaceName: workspace.name,
    brandName: brand.name,
    expiresAt: link.expiresAt,
    accountId: link.accountId,
    reconnectUsername: reconnect?.username ?? null,
  };
}

/** The outcome of one attempt started from this link (for the page the client returns to). */
export async function linkAttemptOutcome(link: { id: string; workspaceId: string }, attemptId: string) {
  // Straight from the page's query string: only something shaped like an id goes to the database.
  if (!recordIdField.safeParse(attemptId).success) return null;
  return db.connectAttempt.findFirst({
    where: { id: attemptId, linkId: link.id, workspaceId: link.workspaceId, consumedAt: { not: null } },
    select: { id: true, outcome: true, outcomeDetail: true },
  });
}

function linkStatus(link: { consumedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): LinkStatus {
  if (link.consumedAt) return "used";
  if (link.revokedAt) return "revoked";
  if (link.expiresAt <= now) return "expired";
  return "active";
}
