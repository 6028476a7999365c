// API keys of a workspace: made and revoked by owners and admins, used by the agency's own tools
// against /api/v1. The key is returned once by createApiKey and never again; the database holds
// its SHA-256 hex, the prefix and the last four characters.
import "server-only";
import { randomUUID } from "node:crypto";
import { API_KEY_PREFIX, hashApiKey, newApiKey } from "../api/key-format";
import { db } from "../db";
import { parseApiScopes, type ApiScope } from "../validations/api-keys";
import { isId } from "../validations/brands";
import { recordAudit } from "./audit";

export type ApiKeySummary = {
  id: string;
  name: string;
  display: string;
  scopes: ApiScope[];
  createdByName: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  status: "active" | "expired" | "revoked";
};

/** The identity a request authenticated with: never the key or its hash. */
export type ApiKeyPrincipal = { id: string; workspaceId: string; name: string; scopes: ApiScope[]; display: string };

export type ApiKeyLookup =
  | { status: "active"; key: ApiKeyPrincipal; lastUsedAt: Date | null }
  | { status: "revoked" | "expired"; key: ApiKeyPrincipal }
  | { status: "unknown" };

type Actor = { id: string; name: string };

/** Keys past this many per workspace are refused: nobody needs more, and the list stays one page. */
export const API_KEYS_PER_WORKSPACE = 200;
/** "Last used" is written at most this often per key, so a busy key doesn't write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiKey(input: { workspaceId: string; actor: Actor; name: string; scopes: ApiScope[]; expiresInDays: number | null }) {
  const live = await db.apiKey.count({ where: { workspaceId: input.workspaceId, revokedAt: null } });
  if (live >= API_KEYS_PER_WORKSPACE) return null;
  const { key, hash, lastFour } = newApiKey();
  const id = randomUUID();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000) : null;
  const display = displayOf(lastFour);
  await db.$transaction(async (tx) => {
    await tx.apiKey.create({
      data: { id, workspaceId: input.workspaceId, name: input.name, keyHash: hash, prefix: API_KEY_PREFIX, lastFour, scopes: input.scopes.join(" "), createdById: input.actor.id, expiresAt },
    });
    await recordAudit(
      {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: "api_key.created",
        summary: `Created API key “${input.name}” (${display}) with ${input.scopes.join(", ")}${expiresAt ? `, expiring ${expiresAt.toISOString().slice(0, 10)}` : ", never expiring"}.`,
      },
      tx,
    );
  });
  return { id, key, display, expiresAt };
}

export async function listApiKeys(workspaceId: string, now = new Date()): Promise<ApiKeySummary[]> {
  const rows = await db.apiKey.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: API_KEYS_PER_WORKSPACE * 2,
    select: { id: true, name: true, lastFour: true, scopes: true, createdById: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
  });
  const users = await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, name: true } });
  const userName = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    display: displayOf(r.lastFour),
    scopes: parseApiScopes(r.scopes),
    createdByName: userName.get(r.createdById) ?? "A former member",
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    status: r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt <= now ? "expired" : "active",
  }));
}

/** Null when the key isn't in this workspace or was already revoked. */
export async function revokeApiKey(workspaceId: string, keyId: string, actor: Actor): Promise<{ name: string } | null> {
  if (!isId(keyId)) return null;
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, workspaceId }, select: { name: true, lastFour: true } });
    if (!key) return null;
    const { count } = await tx.apiKey.updateMany({ where: { id: keyId, workspaceId, revokedAt: null }, data: { revokedAt: new Date(), revokedById: actor.id } });
    if (count !== 1) return null;
    await recordAudit({ workspaceId, actor, action: "api_key.revoked", summary: `Revoked API key “${key.name}” (${displayOf(key.lastFour)}).` }, tx);
    return { name: key.name };
  });
}

/** Which key a presented value is (by its hash), and whether it may be used now. */
export async function lookupApiKey(presented: string, now = new Date()): Promise<ApiKeyLookup> {
  const row = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(presented) },
    select: { id: true, workspaceId: true, name: true, lastFour: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) return { status: "unknown" };
  const key: ApiKeyPrincipal = { id: row.id, workspaceId: row.workspaceId, name: row.name, scopes: parseApiScopes(row.scopes), display: displayOf(row.lastFour) };
  if (row.revokedAt) return { status: "revoked", key };
  if (row.expiresAt && row.expiresAt <= now) return { status: "expired", key };
  return { status: "active", key, lastUsedAt: row.lastUsedAt };
}

/** Records a use, unless one was recorded within the last minute (the condition makes racing requests write once). */
export async function touchApiKey(key: { id: string; workspaceId: string }, lastUsedAt: Date | null, now = new Date()): Promise<void> {
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (lastUsedAt && lastUsedAt > stale) return;
  await db.apiKey.updateMany({
    where: { id: key.id, workspaceId: key.workspaceId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
    data: { lastUsedAt: now },
  });
}

/** A revoked or expired key was presented: worth knowing (a forgotten script, or a leaked key being tried). */
export async function recordRefusedKeyUse(key: ApiKeyPrincipal, status: "revoked" | "expired", request: { method: string; path: string }) {
  await recordAudit({
    workspaceId: key.workspaceId,
    actor: { id: `api-key:${key.id}`, name: `API key “${key.name}”` },
    action: status === "revoked" ? "api_key.used_after_revoke" : "api_key.used_after_expiry",
    summary: `Refused ${request.method} ${request.path.slice(0, 200)}: the key ${key.display} was ${status === "revoked" ? "revoked" : "past its expiry"}.`,
    outcome: "refused",
  });
}

function displayOf(lastFour: string) {
  return `${API_KEY_PREFIX}…${lastFour}`;
}
