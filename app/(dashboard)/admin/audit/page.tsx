import type { Metadata } from "next";
import Link from "next/link";
import { listAudit } from "@/lib/data/audit";
import { requireUser, roleAtLeast } from "@/lib/session";
import { formatWhen } from "@/lib/format";
import { AUDIT_ACTION_LABELS, auditFilterSchema, auditOutcomeLabel } from "@/lib/validations/audit";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (!roleAtLeast(user.role, "ADMIN")) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600">Only owners and admins can see the audit log.</p>
      </div>
    );
  }
  const { action, q, page } = auditFilterSchema.parse(await searchParams);
  const list = await listAudit(user.workspaceId, { action, q, page });
  const href = (p: number) => `/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600">Every change to X credentials and connected accounts in {user.workspaceName}. Secrets are never recorded.</p>
      </div>
      <form role="search" action="/admin/audit" className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="audit-action" className="block text-sm font-medium">
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={action ?? ""} className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm">
            <option value="">All actions</option>
            {Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-q" className="block text-sm font-medium">
            Person, brand or text
          </label>
          <input id="audit-q" name="q" defaultValue={q} className="h-10 w-64 rounded-md border border-slate-300 bg-white px-3 text-sm" />
        </div>
        <button className="h-10 rounded-md border border-slate-300 bg-white px-3 text-sm hover:bg-slate-100">Filter</button>
        {action || q ? (
          <Link href="/admin/audit" className="h-10 px-2 py-2 text-sm text-indigo-700 hover:underline">
            Clear filters
          </Link>
        ) : null}
      </form>
      {list.items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
          {action || q ? "No entries match these filters." : "Nothing recorded yet. Saving or testing X credentials will show up here."}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">When (UTC)</th>
                <th scope="col" className="px-4 py-2 font-medium">Who</th>
                <th scope="col" className="px-4 py-2 font-medium">What</th>
                <th scope="col" className="px-4 py-2 font-medium">Scope</th>
                <th scope="col" className="px-4 py-2 font-medium">Client ID</th>
                <th scope="col" className="px-4 py-2 font-medium">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => (
                <tr key={e.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
                  <td className="px-4 py-2 whitespace-nowrap text-slate-600">
                    <time dateTime={e.createdAt.toISOString()}>{formatWhen(e.createdAt)}</time>
                  </td>
                  <td className="px-4 py-2">{e.actorName}</td>
                  <td className="px-4 py-2">
                    {AUDIT_ACTION_LABELS[e.action as keyof typeof AUDIT_ACTION_LABELS] ?? e.action}
                    {e.outcome ? <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs">{auditOutcomeLabel(e.outcome)}</span> : null}
                  </td>
                  <td className="px-4 py-2">{e.brandName ? `Brand: ${e.brandName}` : "Workspace"}</td>
                  <td className="px-4 py-2">{e.clientIdPreview ? <code>{e.clientIdPreview}…</code> : "—"}</td>
                  <td className="px-4 py-2 text-slate-700">{e.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.pageCount > 1 ? (
        <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
          {page > 1 ? <Link href={href(page - 1)} className="text-indigo-700 hover:underline">← Newer</Link> : <span />}
          <span className="text-slate-600">
            Page {page} of {list.pageCount} · {list.total} entries
          </span>
          {page < list.pageCount ? <Link href={href(page + 1)} className="text-indigo-700 hover:underline">Older →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
