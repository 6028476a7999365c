"use server";
// Connected accounts on a brand page. Disconnecting is destructive (the grant ends at X), so it is
// for owners and admins; connecting is a link to the connect route, not an action.
import { revalidatePath } from "next/cache";
import { disconnectAccount } from "../connections/disconnect";
import { requireRole } from "../session";
import { disconnectAccountSchema, type DisconnectAccountInput } from "../validations/connect";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export type DisconnectOutcome = { username: string; revokedAtX: boolean; message: string };

export async function disconnectAccountAction(input: DisconnectAccountInput): Promise<ActionResult<DisconnectOutcome>> {
  return guarded<DisconnectOutcome>(async () => {
    const user = await requireRole("ADMIN");
    const parsed = disconnectAccountSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const result = await disconnectAccount({ workspaceId: user.workspaceId, accountId: parsed.data.accountId, actor: { id: user.id, name: user.name } });
    if (result.status === "not-found") return fail("Account not found.");
    if (result.status === "busy") return fail("Keyport is renewing this account's token with X right now. Nothing was changed; try again in a moment.");
    revalidatePath("/brands/[brandId]", "page");
    if (result.status === "already-disconnected") {
      return ok({ username: result.username, revokedAtX: true, message: `@${result.username} was already disconnected.` });
    }
    if (result.revokedAtX) {
      return ok({ username: result.username, revokedAtX: true, message: `Disconnected @${result.username}. X has revoked Keyport's access.` });
    }
    return ok({
      username: result.username,
      revokedAtX: false,
      message: `Disconnected @${result.username} in Keyport, but revocation at X did not happen: ${result.why}. The tokens are deleted here; to end access at X too, remove the app under “Connected apps” in the account's X settings.`,
    });
  });
}
