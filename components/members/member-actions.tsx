"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { changeRoleAction, leaveWorkspaceAction, removeMemberAction, revokeInviteAction } from "@/lib/actions/members";

type Role = "OWNER" | "ADMIN" | "MEMBER";

export function MemberActions({ member, actorRole }: { member: { id: string; name: string; role: Role }; actorRole: Role }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const roles: Role[] = actorRole === "OWNER" ? ["OWNER", "ADMIN", "MEMBER"] : ["ADMIN", "MEMBER"];
  const locked = actorRole !== "OWNER" && member.role === "OWNER";
  return (
    <span className="inline-flex items-center gap-2">
      <label className="sr-only" htmlFor={`role-${member.id}`}>
        Role of {member.name}
      </label>
      <select
        id={`role-${member.id}`}
        className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm"
        defaultValue={member.role}
        disabled={pending || locked}
        onChange={(e) => {
          const role = e.target.value;
          const select = e.target;
          start(async () => {
            const result = await changeRoleAction({ membershipId: member.id, role });
            if (!result.ok) {
              toast.error(result.error);
              select.value = member.role;
              return;
            }
            toast.success(`${member.name} is now ${role.toLowerCase()}`);
            router.refresh();
          });
        }}
      >
        {(locked ? ["OWNER" as Role] : roles).map((r) => (
          <option key={r} value={r}>
            {r.toLowerCase()}
          </option>
        ))}
      </select>
      {locked ? null : (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="ghost-danger" aria-label={`Remove ${member.name}`}>
              Remove
            </Button>
          }
          title={`Remove ${member.name}?`}
          description={<p>{member.name} will lose access to this workspace immediately.</p>}
          confirmLabel="Remove member"
          onConfirm={async () => {
            const result = await removeMemberAction({ membershipId: member.id });
            if (!result.ok) {
              toast.error(result.error);
              return false;
            }
            toast.success(`${member.name} removed`);
            router.refresh();
            return true;
          }}
        />
      )}
    </span>
  );
}

export function RevokeInviteButton({ inviteId, email }: { inviteId: string; email: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      variant="ghost"
      pending={pending}
      aria-label={`Withdraw invite for ${email}`}
      onClick={() =>
        start(async () => {
          const result = await revokeInviteAction({ inviteId });
          if (!result.ok) toast.error(result.error);
          else toast.success("Invite withdrawn");
          router.refresh();
        })
      }
    >
      Withdraw
    </Button>
  );
}

/** Leaving the workspace the page shows; the last owner is refused with a reason. */
export function LeaveWorkspaceButton({ workspaceId, workspaceName, otherWorkspaces }: { workspaceId: string; workspaceName: string; otherWorkspaces: boolean }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="secondary">
          Leave workspace
        </Button>
      }
      title={`Leave ${workspaceName}?`}
      description={
        <p>
          You lose access to {workspaceName} immediately; to come back, someone has to invite you again.
          {otherWorkspaces ? null : " It is your only workspace, so you will be signed out of Keyport's pages."}
        </p>
      }
      confirmLabel="Leave workspace"
      onConfirm={async () => {
        const result = await leaveWorkspaceAction({ workspaceId }).catch(() => null);
        if (!result) {
          toast.error("Leaving failed unexpectedly. Reload the page and try again.");
          return false;
        }
        if (!result.ok) {
          toast.error(result.error);
          return false;
        }
        toast.success(`You left ${workspaceName}.`);
        router.push("/brands");
        router.refresh();
        return true;
      }}
    />
  );
}
