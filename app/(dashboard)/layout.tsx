import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { WorkspaceSwitcher } from "@/components/workspace-switcher";
import { signOutAction } from "@/lib/actions/auth";
import { ATTENTION_CAP, countNeedingAttention } from "@/lib/data/attention";
import { requireUser, roleAtLeast } from "@/lib/session";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const attention = await countNeedingAttention(user.workspaceId);
  const isAdmin = roleAtLeast(user.role, "ADMIN");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/brands" className="text-lg font-bold tracking-tight text-indigo-700">
            Keyport
          </Link>
          <WorkspaceSwitcher current={user.workspaceId} workspaces={user.workspaces.map(({ id, name }) => ({ id, name }))} />
          <nav aria-label="Main" className="flex gap-1 text-sm">
            <Link href="/brands" className="rounded px-2 py-1 hover:bg-slate-100">
              Brands
            </Link>
            <Link href="/settings/x" className="rounded px-2 py-1 hover:bg-slate-100">
              X app
            </Link>
            <Link href="/settings/members" className="rounded px-2 py-1 hover:bg-slate-100">
              Members
            </Link>
            <Link href="/admin/connections" className="inline-flex items-center gap-1.5 rounded px-2 py-1 hover:bg-slate-100">
              Reconnect
              {attention > 0 ? <AttentionBadge count={attention} /> : null}
            </Link>
            {isAdmin ? (
              <>
                <Link href="/settings/api-keys" className="rounded px-2 py-1 hover:bg-slate-100">
                  API keys
                </Link>
                <Link href="/settings/webhooks" className="rounded px-2 py-1 hover:bg-slate-100">
                  Webhooks
                </Link>
                <Link href="/admin/audit" className="rounded px-2 py-1 hover:bg-slate-100">
                  Audit log
                </Link>
              </>
            ) : null}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600">
              {user.name} · <span className="font-medium">{user.role.toLowerCase()}</span>
            </span>
            <form action={signOutAction}>
              <Button type="submit" variant="secondary" size="sm">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </div>
  );
}

/** The number on the Reconnect item: shown as a pill, read out as words ("Reconnect (3 accounts need attention)"). */
function AttentionBadge({ count }: { count: number }) {
  const shown = count > ATTENTION_CAP ? `${ATTENTION_CAP}+` : String(count);
  return (
    <>
      <span aria-hidden className="min-w-5 rounded-full bg-red-600 px-1.5 text-center text-xs leading-5 font-semibold text-white" data-testid="attention-badge">
        {shown}
      </span>
      <span className="sr-only">
        {" "}
        ({shown} {count === 1 ? "account needs" : "accounts need"} attention)
      </span>
    </>
  );
}
