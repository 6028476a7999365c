import type { Metadata } from "next";
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

      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <caption className="sr-only">Members</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Name</th>
              <th scope="col" className="px-4 py-2 font-medium">Email</th>
              <th scope="col" className="px-4 py-2 font-medium">Role</th>
              {canManage ? <th scope="col" className="px-4 py-2 text-right font-medium">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id} className="border-t border-slate-100" data-testid="member-row">
                <td className="px-4 py-2 font-medium">
                  {m.name}
                  {m.userId === user.id ? <span className="ml-1 text-slate-500">(you)</span> : null}
                </td>
                <td className="px-4 py-2 text-slate-600">{m.email}</td>
                <td className="px-4 py-2">{m.role.toLowerCase()}</td>
                {canManage ? (
                  <td className="px-4 py-2 text-right">
                    <MemberActions member={{ id: m.id, name: m.name, role: m.role }} actorRole={user.role} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

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
                <li key={i.id} className="flex items-center justify-between px-4 py-2">
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
