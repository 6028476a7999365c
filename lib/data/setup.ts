// First-run setup: the owner account and the first workspace, exactly once per installation.
import "server-only";
import { db, isUniqueViolation } from "../db";
import { hashPassword } from "../password";

export async function isSetupComplete(): Promise<boolean> {
  return (await db.instance.count()) > 0 || (await db.user.count()) > 0;
}

/** Null when setup already happened (also when another request won a race a moment ago). */
export async function completeSetup(input: { name: string; email: string; password: string; workspaceName: string }) {
  if (await isSetupComplete()) return null;
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      // The fixed primary key is the lock: a second setup fails here and rolls back.
      await tx.instance.create({ data: { id: 1 } });
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      const workspace = await tx.workspace.create({ data: { name: input.workspaceName } });
      await tx.membership.create({ data: { userId: user.id, workspaceId: workspace.id, role: "OWNER" } });
      return { userId: user.id, workspaceId: workspace.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
