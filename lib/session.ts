// Who is asking, in which workspace, with which role. Every page, action and route handler
// calls one of these itself: a layout's check protects nothing a server action can be called by.
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "./auth";
import { db, type Role } from "./db";

export const WORKSPACE_COOKIE = "keyport_workspace";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  workspaceId: string;
  workspaceName: string;
  role: Role;
  workspaces: { id: string; name: string; role: Role }[];
};

const RANK: Record<Role, number> = { MEMBER: 0, ADMIN: 1, OWNER: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The signed-in user with their current workspace, or null. Cached for the request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: {
        select: { role: true, workspace: { select: { id: true, name: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!user || user.memberships.length === 0) return null;
  const wanted = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const current = user.memberships.find((m) => m.workspace.id === wanted) ?? user.memberships[0]!;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    workspaceId: current.workspace.id,
    workspaceName: current.workspace.name,
    role: current.role,
    workspaces: user.memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role })),
  };
});

export class AuthorizationError extends Error {
  override name = "AuthorizationError";
}

/** For pages: send signed-out visitors to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/** For actions: refuse (throwing, never redirecting) unless the role is high enough. */
export async function requireRole(needed: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AuthorizationError("You are signed out. Sign in again.");
  if (!roleAtLeast(user.role, needed)) {
    throw new AuthorizationError(`Only ${needed === "OWNER" ? "owners" : "owners and admins"} can do that.`);
  }
  return user;
}
