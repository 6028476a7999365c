"use server";
// Hosted connect links for a brand. Any member may connect accounts, so any member may send a
// client a link to do it; the URL is returned once and only its hash is stored.
import { revalidatePath } from "next/cache";
import { createConnectLink, revokeConnectLink } from "../data/connect-links";
import { requireRole } from "../session";
import { createConnectLinkSchema, revokeConnectLinkSchema, type CreateConnectLinkInput, type RevokeConnectLinkInput } from "../validations/connect";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function createConnectLinkAction(input: CreateConnectLinkInput): Promise<ActionResult<{ url: string; expiresAt: string }>> {
  return guarded(async () => {
    const user = await requireRole("MEMBER");
    const parsed = createConnectLinkSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const link = await createConnectLink({ workspaceId: user.workspaceId, createdById: user.id, ...parsed.data });
    if (!link) return fail("Brand not found.");
    revalidatePath(`/brands/${parsed.data.brandId}`);
    return ok({ url: link.url, expiresAt: link.expiresAt.toISOString() });
  });
}

export async function revokeConnectLinkAction(input: RevokeConnectLinkInput): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("MEMBER");
    const parsed = revokeConnectLinkSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const revoked = await revokeConnectLink(user.workspaceId, parsed.data.linkId);
    if (!revoked) return fail("That link was not found, or it was already used, withdrawn or expired.");
    revalidatePath(`/brands/${revoked.brandId}`);
    return ok();
  });
}
