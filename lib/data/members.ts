// Members and invite links of a workspace. The last owner can be neither demoted nor removed.
import "server-only";
import { db, isUniqueViolation, type Role } from "../db";
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

/** Admins manage members and admins; only owners grant or take away OWNER. */
export async function changeMemberRole(workspaceId: string, actorRole: Role, membershipId: string, role: Role): Promise<MemberChange> {
  return db.$transaction(async (tx) => {
    const target = await tx.membership.findFirst({ where: { id: membershipId, workspaceId } });
    if (!target) return "not-found";
    if (actorRole !== "OWNER" && (target.role === "OWNER" || role === "OWNER")) return "forbidden";
    if (target.role === "OWNER" && role !== "OWNER") {
      const owners = await tx.membership.count({ where: { workspaceId, role: "OWNER" } });
      if (owners <= 1) return "last-owner";
    }
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    return "ok";
  });
}

export async function removeMember(workspaceId: string, actorRole: Role, membershipId: string): Promise<MemberChange> {
  return db.$transaction(async (tx) => {
    const target = await tx.membership.findFirst({ where: { id: membershipId, workspaceId } });
    if (!target) return "not-found";
    if (target.role === "OWNER") {
      if (actorRole !== "OWNER") return "forbidden";
      const owners = await tx.membership.count({ where: { workspaceId, role: "OWNER" } });
      if (owners <= 1) return "last-owner";
    }
    await tx.membership.delete({ where: { id: target.id } });
    return "ok";
  });
}
