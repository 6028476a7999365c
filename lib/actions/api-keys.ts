"use server";
// API keys for the agency's own tools. Owners and admins only: a key can publish and read
// accounts for the whole workspace. The key is in this action's answer once and nowhere else.
import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey, API_KEYS_PER_WORKSPACE } from "../data/api-keys";
import { requireRole } from "../session";
import { createApiKeySchema, revokeApiKeySchema, type CreateApiKeyInput, type RevokeApiKeyInput } from "../validations/api-keys";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function createApiKeyAction(input: CreateApiKeyInput): Promise<ActionResult<{ id: string; key: string; display: string; expiresAt: string | null }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = createApiKeySchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { name, scopes, expiresInDays } = parsed.data;
    const created = await createApiKey({
      workspaceId: user.workspaceId,
      actor: { id: user.id, name: user.name },
      name,
      scopes,
      expiresInDays: expiresInDays === "never" ? null : Number(expiresInDays),
    });
    if (!created) return fail(`This workspace already has ${API_KEYS_PER_WORKSPACE} active keys. Revoke keys you no longer use first.`);
    revalidatePath("/settings/api-keys");
    return ok({ id: created.id, key: created.key, display: created.display, expiresAt: created.expiresAt?.toISOString() ?? null });
  });
}

export async function revokeApiKeyAction(input: RevokeApiKeyInput): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = revokeApiKeySchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const revoked = await revokeApiKey(user.workspaceId, parsed.data.keyId, { id: user.id, name: user.name });
    if (!revoked) return fail("That key was not found, or it was already revoked.");
    revalidatePath("/settings/api-keys");
    return ok();
  });
}
