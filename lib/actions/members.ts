"use server";
// Members and invites: owners and admins manage; the last owner always stays.
import { revalidatePath } from "next/cache";
import { changeMemberRole, createInvite, leaveWorkspace, removeMember, revokeInvite, type MemberChange } from "../data/members";
import { env } from "../env";
import { requireRole } from "../session";
import { changeRoleSchema, createInviteSchema, leaveWorkspaceSchema, removeMemberSchema, revokeInviteSchema, type CreateInviteInput, type LeaveWorkspaceInput } from "../validations/members";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function createInviteAction(input: CreateInviteInput): Promise<ActionResult<{ url: string; expiresAt: string }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = createInviteSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (parsed.data.role === "OWNER" && user.role !== "OWNER") return fail("Only owners can invite owners.", { role: "Only owners can invite owners." });
    const { token, expiresAt } = await createInvite(user.workspaceId, user.id, parsed.data.email, parsed.data.role);
    revalidatePath("/settings/members");
    return ok({ url: `${env.KEYPORT_PUBLIC_URL}/invite/${token}`, expiresAt: expiresAt.toISOString() });
  });
}

export async function revokeInviteAction(input: { inviteId: string }): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = revokeInviteSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (!(await revokeInvite(user.workspaceId, parsed.data.inviteId))) return fail("Invite not found or already used.");
    revalidatePath("/settings/members");
    return ok();
  });
}

export async function changeRoleAction(input: { membershipId: string; role: string }): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = changeRoleSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    return outcome(await changeMemberRole(user.workspaceId, user.id, parsed.data.membershipId, parsed.data.role));
  });
}

export async function removeMemberAction(input: { membershipId: string }): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = removeMemberSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    return outcome(await removeMember(user.workspaceId, user.id, parsed.data.membershipId));
  });
}

/**
 * Leaves the workspace the page was showing. It names the workspace so that switching workspace
 * in another tab meanwhile can't make someone leave a different one.
 */
export async function leaveWorkspaceAction(input: LeaveWorkspaceInput): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("MEMBER");
    const parsed = leaveWorkspaceSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (parsed.data.workspaceId !== user.workspaceId) return fail("This page is out of date: reload it, then leave from there.");
    const change = await leaveWorkspace(user.workspaceId, user.id);
    if (change === "last-owner") return fail("You are this workspace's only owner. Make someone else an owner first.");
    if (change !== "ok") return fail("You are not a member of this workspace any more.");
    revalidatePath("/", "layout");
    return ok();
  });
}

function outcome(change: MemberChange): ActionResult {
  switch (change) {
    case "ok":
      revalidatePath("/settings/members");
      return ok();
    case "last-owner":
      return fail("A workspace needs at least one owner. Make someone else an owner first.");
    case "forbidden":
      return fail("Only owners can change or remove owners.");
    default:
      return fail("Member not found.");
  }
}
