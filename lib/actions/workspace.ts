"use server";
// Switching the current workspace (for people who belong to several).
import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { requireRole, WORKSPACE_COOKIE } from "../session";
import { switchWorkspaceSchema } from "../validations/members";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function switchWorkspaceAction(workspaceId: string): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("MEMBER");
    const parsed = switchWorkspaceSchema.safeParse(workspaceId);
    if (!parsed.success) return invalid(parsed.error);
    if (!user.workspaces.some((w) => w.id === parsed.data)) return fail("Workspace not found.");
    (await cookies()).set(WORKSPACE_COOKIE, parsed.data, { httpOnly: true, sameSite: "lax", path: "/" });
    revalidatePath("/", "layout");
    return ok();
  });
}
