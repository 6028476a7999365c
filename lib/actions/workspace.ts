"use server";
// Switching the current workspace (for people who belong to several).
import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { requireRole, WORKSPACE_COOKIE } from "../session";
import { fail, guarded, ok, type ActionResult } from "./result";

export async function switchWorkspaceAction(workspaceId: string): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("MEMBER");
    if (typeof workspaceId !== "string" || !user.workspaces.some((w) => w.id === workspaceId)) return fail("Workspace not found.");
    (await cookies()).set(WORKSPACE_COOKIE, workspaceId, { httpOnly: true, sameSite: "lax", path: "/" });
    revalidatePath("/", "layout");
    return ok();
  });
}
