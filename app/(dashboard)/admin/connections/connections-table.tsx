"use client";
// The connections list with selection: rows come from the server page (DTOs only); ticking rows,
// or "all N matching", feeds the bulk bar.
import Link from "next/link";
import { useState } from "react";
import { ConnectForm } from "@/components/accounts/connect-controls";
import { DataTable, type Column, type SortState } from "@/components/table/data-table";
import { EmptyState } from "@/components/table/pagination";
import type { AdminAccountRow } from "@/lib/data/admin-connections";
import { cn } from "@/lib/utils";
import type { AdminConnectionsFilter, AdminSort } from "@/lib/validations/admin-connections";
import { BulkBar } from "./bulk-bar";

type Props = {
  rows: AdminAccountRow[];
  total: number;
  canAct: boolean;
  filter: AdminConnectionsFilter;
  sorts: Record<AdminSort, SortState>;
  caption: string;
  emptyText: string;
};

export function ConnectionsTable({ rows, total, canAct, filter, sorts, caption, emptyText }: Props) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  // A new page of rows (navigation, refresh) starts a new selection.
  const [rowsSeen, setRowsSeen] = useState(rows);
  if (rowsSeen !== rows) {
    setRowsSeen(rows);
    setSelected(new Set([...selected].filter((id) => rows.some((r) => r.id === id))));
    setAllMatching(false);
  }

  const toggle = (row: AdminAccountRow) => {
    const next = new Set(selected);
    if (next.has(row.id)) next.delete(row.id);
    else next.add(row.id);
    setSelected(next);
    setAllMatching(false);
  };

  const columns: Column<AdminAccountRow>[] = [
    { key: "account", header: "Account", sort: sorts.username, cell: (r) => <AccountCell row={r} /> },
    {
      key: "brand",
      header: "Brand",
      cell: (r) => (
        <Link href={`/brands/${r.brandId}`} className="text-indigo-700 hover:underline">
          {r.brandName}
        </Link>
      ),
    },
    { key: "status", header: "Status", sort: sorts.status, cell: (r) => <StatusBadge row={r} /> },
    { key: "reason", header: "Why", cell: (r) => <ReasonCell row={r} /> },
    { key: "since", header: "Since", sort: sorts.since, cell: (r) => <When iso={r.statusSince} /> },
    { key: "checked", header: "Last working", sort: sorts.checked, cell: (r) => (r.lastProvenAt ? <When iso={r.lastProvenAt} /> : <span className="text-slate-500">Never checked</span>) },
    { key: "app", header: "X app", cell: (r) => <AppCell row={r} /> },
    { key: "by", header: "Connected by", cell: (r) => r.connectedBy },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      label: "",
      align: "right",
      cell: (r) =>
        r.status === "NEEDS_RECONNECT" ? (
          <ConnectForm brandId={r.brandId} size="sm" variant="secondary" aria-label={`Reconnect @${r.username} (${r.brandName})`}>
            Reconnect
          </ConnectForm>
        ) : null,
    },
  ];

  const pageIds = rows.map((r) => r.id);
  const allOnPage = rows.length > 0 && pageIds.every((id) => selected.has(id));
  return (
    <div className="space-y-3">
      {canAct && rows.length > 0 ? (
        <BulkBar
          pageCount={rows.length}
          total={total}
          selectedIds={[...selected]}
          allOnPage={allOnPage}
          someOnPage={selected.size > 0}
          allMatching={allMatching}
          filter={filter}
          onSelectPage={(on) => {
            setSelected(on ? new Set(pageIds) : new Set());
            setAllMatching(false);
          }}
          onSelectAllMatching={setAllMatching}
        />
      ) : null}
      <DataTable
        caption={caption}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        rowTestId="reconnect-row"
        selection={canAct ? { isSelected: (r) => allMatching || selected.has(r.id), onToggle: toggle, label: (r) => `Select @${r.username} (${r.brandName})` } : undefined}
        empty={<EmptyState>{emptyText}</EmptyState>}
      />
    </div>
  );
}

function AccountCell({ row }: { row: AdminAccountRow }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      {row.avatarUrl ? (
        // Remote avatars from X; next/image would need every X image host configured.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={row.avatarUrl} alt="" width={32} height={32} className="size-8 shrink-0 rounded-full bg-slate-100" referrerPolicy="no-referrer" />
      ) : (
        <span aria-hidden className="size-8 shrink-0 rounded-full bg-slate-200" />
      )}
      <span className="min-w-0">
        <span className="block font-medium">{row.name}</span>
        <span className="block text-slate-600">@{row.username}</span>
      </span>
    </div>
  );
}

const STATUS_STYLE: Record<AdminAccountRow["status"], { text: string; className: string }> = {
  ACTIVE: { text: "Active", className: "bg-green-50 text-green-800" },
  DEGRADED: { text: "Degraded", className: "bg-amber-50 text-amber-800" },
  NEEDS_RECONNECT: { text: "Needs reconnect", className: "bg-red-50 text-red-800" },
  DISCONNECTED: { text: "Disconnected", className: "bg-slate-100 text-slate-700" },
};

function StatusBadge({ row }: { row: AdminAccountRow }) {
  const s = STATUS_STYLE[row.status];
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap", s.className)}>{s.text}</span>
      {row.checkQueued ? <span className="rounded bg-indigo-50 px-1.5 py-0.5 text-xs whitespace-nowrap text-indigo-800">Check queued</span> : null}
    </span>
  );
}

function ReasonCell({ row }: { row: AdminAccountRow }) {
  if (!row.reason) return <span className="text-slate-500">—</span>;
  const raw = [row.xError ? `X said: ${row.xError}` : null, row.detail ? `Detail: ${row.detail}` : null].filter(Boolean);
  return (
    <div className="max-w-xs">
      <p className="font-medium">{row.reason.label}</p>
      <details className="text-slate-600">
        <summary className="cursor-pointer text-xs text-indigo-700">What to do{raw.length ? " and X's answer" : ""}</summary>
        <p className="mt-1">{row.reason.fix}</p>
        {raw.map((line) => (
          <p key={line} className="mt-1 font-mono text-xs break-all">
            {line}
          </p>
        ))}
      </details>
    </div>
  );
}

function AppCell({ row }: { row: AdminAccountRow }) {
  if (row.app.source === "removed") return <span className="text-slate-500">Removed</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span>{row.app.source === "brand" ? "Brand override" : row.app.source === "instance" ? "Instance app" : "Workspace default"}</span>
      <code className="text-xs text-slate-600">{row.app.clientIdPreview}…</code>
      {row.app.rejected ? <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-800">rejected by X</span> : null}
      {row.app.postsLeft ? (
        <span className={row.app.postsLeft.warning ? "rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-900" : "text-xs text-slate-600"}>
          {row.app.postsLeft.remaining} of {row.app.postsLeft.limit} posts left until <When iso={row.app.postsLeft.resetAt} />
        </span>
      ) : null}
      {row.app.profileReadsLeft ? (
        <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-900">
          {row.app.profileReadsLeft.remaining} of {row.app.profileReadsLeft.limit} profile reads (users/me) left for this account until <When iso={row.app.profileReadsLeft.resetAt} />
        </span>
      ) : null}
    </span>
  );
}

function When({ iso }: { iso: string }) {
  // UTC and fixed: the same text on the server and in the browser (no hydration mismatch).
  return <time dateTime={iso} className="whitespace-nowrap">{iso.slice(0, 16).replace("T", " ")} UTC</time>;
}
