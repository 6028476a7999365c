// Every X account in the workspace that needs reconnecting, across brands: why, since when, and
// the way to fix it. Filterable by reason.
import type { Metadata } from "next";
import Link from "next/link";
import { ConnectForm } from "@/components/accounts/connect-controls";
import { formatWhen } from "@/lib/format";
import { countReconnectReasons, listAccountsNeedingReconnect } from "@/lib/data/accounts";
import { requireUser } from "@/lib/session";
import { cn } from "@/lib/utils";
import { reconnectFilterSchema } from "@/lib/validations/connect";

export const metadata: Metadata = { title: "Connections needing attention" };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const counts = await countReconnectReasons(user.workspaceId);
  const { reason: wanted } = reconnectFilterSchema.parse(await searchParams);
  const reason = counts.some((c) => c.code === wanted) ? wanted : "";
  const { items, total: listed } = await listAccountsNeedingReconnect(user.workspaceId, reason || undefined);
  const total = counts.reduce((n, c) => n + c.count, 0);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Connections needing attention</h1>
        <p className="text-sm text-slate-600">X accounts in {user.workspaceName} that stopped working or are missing permissions, oldest problem first.</p>
      </div>

      {total > 0 ? (
        <nav aria-label="Filter by reason" className="flex flex-wrap gap-2 text-sm">
          <FilterLink href="/admin/connections" current={reason === ""}>
            All ({total})
          </FilterLink>
          {counts.map((c) => (
            <FilterLink key={c.code} href={`/admin/connections?reason=${encodeURIComponent(c.code)}`} current={reason === c.code}>
              {c.label} ({c.count})
            </FilterLink>
          ))}
        </nav>
      ) : null}

      {listed > items.length ? (
        <p className="text-sm text-slate-700" role="status">
          Showing the {items.length} oldest of {listed}. Reconnect these, or filter by reason, to see the rest.
        </p>
      ) : null}

      {items.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">Every connected X account is working. Nothing needs reconnecting.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Accounts needing reconnection{reason ? `: ${counts.find((c) => c.code === reason)?.label}` : ""}</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Account</th>
                <th scope="col" className="px-4 py-2 font-medium">Brand</th>
                <th scope="col" className="px-4 py-2 font-medium">Why</th>
                <th scope="col" className="px-4 py-2 font-medium">Since</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} className="border-t border-slate-100 align-top" data-testid="reconnect-row">
                  <td className="px-4 py-2">
                    <span className="font-medium">{item.name}</span> <span className="text-slate-600">@{item.username}</span>
                  </td>
                  <td className="px-4 py-2">
                    <Link href={`/brands/${item.brandId}`} className="text-indigo-700 hover:underline">
                      {item.brandName}
                    </Link>
                  </td>
                  <td className="px-4 py-2">
                    <p className="font-medium">{item.reason.label}</p>
                    <p className="text-slate-600">{item.reason.fix}</p>
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">{item.since ? <time dateTime={item.since.toISOString()}>{formatWhen(item.since)}</time> : "—"}</td>
                  <td className="px-4 py-2 text-right">
                    <ConnectForm brandId={item.brandId} size="sm" variant="secondary" aria-label={`Reconnect @${item.username} (${item.brandName})`}>
                      Reconnect
                    </ConnectForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function FilterLink({ href, current, children }: { href: string; current: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={cn("rounded-full border px-3 py-1", current ? "border-indigo-600 bg-indigo-50 font-medium text-indigo-800" : "border-slate-300 hover:bg-slate-100")}
    >
      {children}
    </Link>
  );
}
