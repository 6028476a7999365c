import type { Metadata } from "next";
import { DataTable } from "@/components/table/data-table";
import { InviteForm } from "@/components/members/invite-form";
import { LeaveWorkspaceButton, MemberActions, RevokeInviteButton } from "@/components/members/member-actions";
import { listMembers, listPendingInvites } from "@/lib/data/members";
import { requireUser, roleAtLeast } from "@/lib/session";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const user = await requireUser();
  const canManage = roleAtLeast(user.role, "ADMIN");
  const [members, invites] = await Promise.all([listMembers(user.workspaceId), canManage ? listPendingInvites(user.workspaceId) : []]);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Members of {user.workspaceName}</h1>
          <p className="text-sm text-slate-600">Owners and admins manage brands, credentials and members. Members can view.</p>
        </div>
        <LeaveWorkspaceButton workspaceId={user.workspaceId} workspaceName={user.workspaceName} otherWorkspaces={user.workspaces.length > 1} />
      </div>

      {canManage ? <InviteForm canInviteOwner={user.role === "OWNER"} /> : null}

      <DataTable
        caption="Members"
        rows={members}
        rowKey={(m) => m.id}
        rowTestId="member-row"
        columns={[
          {
            key: "name",
            header: "Name",
            className: "font-medium",
            cell: (m) => (
              <>
                {m.name}
                {m.userId === user.id ? <span className="ml-1 text-slate-500">(you)</span> : null}
              </>
            ),
          },
          { key: "email", header: "Email", className: "text-slate-600", cell: (m) => m.email },
          { key: "role", header: "Role", cell: (m) => m.role.toLowerCase() },
          ...(canManage
            ? [{ key: "actions", header: "Actions", align: "right" as const, label: "", cell: (m: (typeof members)[number]) => <MemberActions member={{ id: m.id, name: m.name, role: m.role }} actorRole={user.role} /> }]
            : []),
        ]}
      />

      {canManage ? (
        <section aria-labelledby="invites-heading" className="space-y-2">
          <h2 id="invites-heading" className="text-lg font-semibold">
            Pending invites
          </h2>
          {invites.length === 0 ? (
            <p className="text-sm text-slate-600">No pending invites.</p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
              {invites.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 [overflow-wrap:anywhere]">
                  <span>
                    {i.email} · {i.role.toLowerCase()} · expires {i.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                  </span>
                  <RevokeInviteButton inviteId={i.id} email={i.email} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
