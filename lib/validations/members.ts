import { z } from "./zod";
import { emailField } from "./auth";
import { idField } from "./brands";

export const roleField = z.enum(["OWNER", "ADMIN", "MEMBER"], "Pick a role.");

export const createInviteSchema = z.object({ email: emailField, role: roleField });
export type CreateInviteInput = z.infer<typeof createInviteSchema>;

export const changeRoleSchema = z.object({ membershipId: idField, role: roleField });
export const removeMemberSchema = z.object({ membershipId: idField });
export const revokeInviteSchema = z.object({ inviteId: idField });
export const leaveWorkspaceSchema = z.object({ workspaceId: idField });
export type LeaveWorkspaceInput = z.infer<typeof leaveWorkspaceSchema>;
export const switchWorkspaceSchema = idField;
