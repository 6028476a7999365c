import type { Metadata } from "next";
import { DataTable } from "@/components/table/data-table";
import { FilterBar, FilterSearch, FilterSelect } from "@/components/table/filter-bar";
import { EmptyState, Pagination } from "@/components/table/pagination";
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
      <FilterBar action="/admin/audit" clearHref={action || q ? "/admin/audit" : null} submitLabel="Filter">
        <FilterSelect
          id="audit-action"
          name="action"
          label="Action"
          defaultValue={action ?? ""}
          options={[{ value: "", label: "All actions" }, ...Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
        />
        <FilterSearch id="audit-q" label="Person, brand or text" defaultValue={q} />
      </FilterBar>
      <DataTable
        caption="Audit log entries, newest first"
        rows={list.items}
        rowKey={(e) => e.id}
        rowTestId="audit-row"
        empty={<EmptyState>{action || q ? "No entries match these filters." : "Nothing recorded yet. Saving or testing X credentials will show up here."}</EmptyState>}
        columns={[
          {
            key: "when",
            header: "When (UTC)",
            className: "whitespace-nowrap text-slate-600",
            cell: (e) => <time dateTime={e.createdAt.toISOString()}>{formatWhen(e.createdAt)}</time>,
          },
          { key: "who", header: "Who", cell: (e) => e.actorName },
          {
            key: "what",
            header: "What",
            cell: (e) => (
              <>
                {AUDIT_ACTION_LABELS[e.action as keyof typeof AUDIT_ACTION_LABELS] ?? e.action}
                {e.outcome ? <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs">{auditOutcomeLabel(e.outcome)}</span> : null}
              </>
            ),
          },
          { key: "scope", header: "Scope", cell: (e) => (e.brandName ? `Brand: ${e.brandName}` : "Workspace") },
          { key: "client", header: "Client ID", cell: (e) => (e.clientIdPreview ? <code>{e.clientIdPreview}…</code> : "—") },
          { key: "details", header: "Details", className: "text-slate-700", cell: (e) => e.summary },
        ]}
      />
      <Pagination page={page} pageCount={list.pageCount} total={list.total} noun={{ one: "entry", many: "entries" }} hrefFor={href} labels={{ previous: "← Newer", next: "Older →" }} />
    </div>
  );
}
