// Signed-in callers for server actions: the session comes from Auth.js in production; here the
// test decides who is asking, and everything after that (role checks, queries) is real.
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/password";

type TestSession = { userId: string | null; workspaceCookie: string | null };
const session = ((globalThis as { __keyportTestSession?: TestSession }).__keyportTestSession ??= { userId: null, workspaceCookie: null });

let hash: Promise<string> | undefined;

export async function makeUser(email: string, name = email.split("@")[0]!) {
  hash ??= hashPassword("test password 123");
  return db.user.create({ data: { email, name, passwordHash: await hash } });
}

export async function makeWorkspace(name: string, members: { email: string; role: "OWNER" | "ADMIN" | "MEMBER" }[]) {
  const workspace = await db.workspace.create({ data: { name } });
  const users: Record<string, string> = {};
  for (const m of members) {
    const user = (await db.user.findUnique({ where: { email: m.email } })) ?? (await makeUser(m.email));
    await db.membership.create({ data: { userId: user.id, workspaceId: workspace.id, role: m.role } });
    users[m.email] = user.id;
  }
  return { workspace, users };
}

export function actAs(userId: string | null, workspaceId?: string) {
  session.userId = userId;
  session.workspaceCookie = workspaceId ?? null;
}
