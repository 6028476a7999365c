"use server";
// The workspace's optional X scopes: what new connections ask for beyond the default.
import { revalidatePath } from "next/cache";
import { setExtraScopes } from "../data/workspace-scopes";
import { requireRole } from "../session";
import { extraScopesSchema } from "../validations/scopes";
import type { OptionalScope } from "../x/scopes";
import { guarded, invalid, ok, type ActionResult } from "./result";

export async function setExtraScopesAction(input: unknown): Promise<ActionResult<OptionalScope[]>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = extraScopesSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const scopes = await setExtraScopes({ workspaceId: user.workspaceId, actor: { id: user.id, name: user.name }, scopes: parsed.data.scopes });
    revalidatePath("/settings/x");
    return ok(scopes);
  });
}
