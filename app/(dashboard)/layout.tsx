import Link from "next/link";
import type { ReactNode } from "react";
import { MainNav } from "@/components/nav/main-nav";
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
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href="/brands" className="text-lg font-bold tracking-tight text-indigo-700">
            Keyport
          </Link>
          <WorkspaceSwitcher current={user.workspaceId} workspaces={user.workspaces.map(({ id, name }) => ({ id, name }))} />
          <MainNav
            items={[
              { href: "/brands", label: "Brands" },
              { href: "/settings/x", label: "X app" },
              { href: "/settings/members", label: "Members" },
              { href: "/admin/connections", label: "Reconnect", badge: attention > 0 ? <AttentionBadge count={attention} /> : null },
              ...(isAdmin
                ? [
                    { href: "/settings/api-keys", label: "API keys" },
                    { href: "/settings/webhooks", label: "Webhooks" },
                    { href: "/admin/audit", label: "Audit log" },
                  ]
                : []),
            ]}
          />
          <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
            <span className="min-w-0 truncate text-slate-600">
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
      <main className="mx-auto max-w-6xl px-4 py-6 sm:py-8">{children}</main>
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
