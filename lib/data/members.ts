// Members and invite links of a workspace. The last owner can be neither demoted nor removed, nor
// leave, however many of these happen at once.
import "server-only";
import { db, DB_KIND, isUniqueViolation, type Role } from "../db";
import { newBearerToken, sha256Hex } from "../crypto/bearer";
import { hashPassword } from "../password";

export const INVITE_TTL_DAYS = 7;

export async function listMembers(workspaceId: string) {
  const rows = await db.membership.findMany({
    where: { workspaceId },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ id: m.id, role: m.role, joinedAt: m.createdAt, userId: m.user.id, name: m.user.name, email: m.user.email }));
}

export async function listPendingInvites(workspaceId: string, now = new Date()) {
  return db.invite.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Returns the raw token once; only its hash is stored. */
export async function createInvite(workspaceId: string, createdById: string, email: string, role: Role) {
  const token = newBearerToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 24 * 60 * 60 * 1000);
  await db.invite.create({ data: { workspaceId, createdById, email, role, tokenHash: sha256Hex(token), expiresAt } });
  return { token, expiresAt };
}

export async function revokeInvite(workspaceId: string, inviteId: string): Promise<boolean> {
  const { count } = await db.invite.updateMany({
    where: { id: inviteId, workspaceId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export type InviteLookup =
  | { status: "valid"; email: string; role: Role; workspaceName: string; existingUser: boolean }
  | { status: "used" | "expired" | "revoked" | "unknown" };

export async function lookupInvite(token: string, now = new Date()): Promise<InviteLookup> {
  const invite = await db.invite.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, workspace: { select: { name: true } } },
  });
  if (!invite) return { status: "unknown" };
  if (invite.acceptedAt) return { status: "used" };
  if (invite.revokedAt) return { status: "revoked" };
  if (invite.expiresAt <= now) return { status: "expired" };
  const existingUser = (await db.user.count({ where: { email: invite.email } })) > 0;
  return { status: "valid", email: invite.email, role: invite.role, workspaceName: invite.workspace.name, existingUser };
}

export type AcceptResult =
  | { ok: true; userId: string; email: string; workspaceId: string }
  | { ok: false; reason: "invalid" | "existing-account" | "already-member" };

/**
 * Consumes the invite and creates the account in one transaction. The conditional update is
 * the single-use guarantee: of two simultaneous accepts, only one sees count === 1.
 * `signedInUserId` joins an existing account (the invitee signed in first).
 */
export async function acceptInvite(token: string, input: { name: string; password: string }, signedInUserId?: string): Promise<AcceptResult> {
  const now = new Date();
  const invite = await db.invite.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!invite || invite.acceptedAt || invite.revokedAt || invite.expiresAt <= now) return { ok: false, reason: "invalid" };
  const existing = await db.user.findUnique({ where: { email: invite.email }, select: { id: true } });
  if (existing && existing.id !== signedInUserId) return { ok: false, reason: "existing-account" };
  const passwordHash = existing ? null : await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const claimed = await tx.invite.updateMany({
        where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count !== 1) throw new InviteTaken();
      const userId = existing
        ? existing.id
        : (await tx.user.create({ data: { email: invite.email, name: input.name, passwordHash: passwordHash! } })).id;
      await tx.membership.create({ data: { userId, workspaceId: invite.workspaceId, role: invite.role } });
      await tx.invite.update({ where: { id: invite.id }, data: { acceptedById: userId } });
      return { ok: true as const, userId, email: invite.email, workspaceId: invite.workspaceId };
    });
  } catch (error) {
    if (error instanceof InviteTaken) return { ok: false, reason: "invalid" };
    if (isUniqueViolation(error)) return { ok: false, reason: existing ? "already-member" : "existing-account" };
    throw error;
  }
}

class InviteTaken extends Error {}

export type MemberChange = "ok" | "not-found" | "last-owner" | "forbidden";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/**
 * Admins manage members and admins; only owners grant or take away OWNER. The actor's role is
 * read again under the owner lock: an owner demoted a moment ago by someone else must not still
 * act as one.
 */
export async function changeMemberRole(workspaceId: string, actorUserId: string, membershipId: string, role: Role): Promise<MemberChange> {
  return db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, workspaceId);
    const actor = await actorRole(tx, workspaceId, actorUserId);
    const target = await tx.membership.findFirst({ where: { id: membershipId, workspaceId } });
    if (!target) return "not-found";
    if (actor !== "OWNER" && (actor !== "ADMIN" || target.role === "OWNER" || role === "OWNER")) return "forbidden";
    if (target.role === "OWNER" && role !== "OWNER" && owners.length <= 1) return "last-owner";
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    return "ok";
  });
}

export async function removeMember(workspaceId: string, actorUserId: string, membershipId: string): Promise<MemberChange> {
  return db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, workspaceId);
    const actor = await actorRole(tx, workspaceId, actorUserId);
    const target = await tx.membership.findFirst({ where: { id: membershipId, workspaceId } });
    if (!target) return "not-found";
    if (actor !== "OWNER" && (actor !== "ADMIN" || target.role === "OWNER")) return "forbidden";
    if (target.role === "OWNER" && owners.length <= 1) return "last-owner";
    await tx.membership.delete({ where: { id: target.id } });
    return "ok";
  });
}

/** Anyone may leave a workspace, except its last owner. */
export async function leaveWorkspace(workspaceId: string, userId: string): Promise<MemberChange> {
  return db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, workspaceId);
    const own = await tx.membership.findFirst({ where: { workspaceId, userId } });
    if (!own) return "not-found";
    if (own.role === "OWNER" && owners.length <= 1) return "last-owner";
    await tx.membership.delete({ where: { id: own.id } });
    return "ok";
  });
}

async function actorRole(tx: Tx, workspaceId: string, userId: string): Promise<Role | null> {
  return (await tx.membership.findFirst({ where: { workspaceId, userId }, select: { role: true } }))?.role ?? null;
}

/**
 * Locks the workspace's owners until the transaction ends and returns their membership ids, so
 * "at least one owner remains" is decided on a count no concurrent demote, remove or leave can
 * change underneath (two owners demoting each other at once would otherwise both see two owners).
 * PostgreSQL: row locks, taken in id order so two callers never deadlock; one that waited sees the
 * rows as the other committed them (a demoted owner no longer matches).
 * SQLite has no row locks and Prisma opens a deferred transaction: a transaction that read first
 * and then wrote would fail with SQLITE_BUSY once another one committed. A write as the first
 * statement takes the database's write lock at once (as BEGIN IMMEDIATE would), waiting out the
 * busy timeout, so everything read after it is current.
 */
async function lockOwners(tx: Tx, workspaceId: string): Promise<string[]> {
  if (DB_KIND === "postgres") {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Membership" WHERE "workspaceId" = ${workspaceId} AND "role" = 'OWNER' ORDER BY "id" FOR UPDATE`;
    return rows.map((r) => r.id);
  }
  await tx.$executeRaw`UPDATE "Membership" SET "role" = "role" WHERE "workspaceId" = ${workspaceId} AND "role" = 'OWNER'`;
  return (await tx.membership.findMany({ where: { workspaceId, role: "OWNER" }, select: { id: true } })).map((r) => r.id);
}
