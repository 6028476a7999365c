// Every X account in the workspace across brands, one server-side page at a time: by default the
// ones needing attention (needs reconnect or degraded), why, since when, which app, and bulk
// actions for owners and admins. The whole view (filters, sort, page) lives in the URL.
import type { Metadata } from "next";
import { FilterBar, FilterChips, FilterSearch, FilterSelect } from "@/components/table/filter-bar";
import { Pagination } from "@/components/table/pagination";
import { CostPanel } from "@/components/usage/cost-panel";
import type { SortState } from "@/components/table/data-table";
import { adminConnectionsFacets, attentionReasons, listAdminConnections } from "@/lib/data/admin-connections";
import { appCosts } from "@/lib/data/usage";
import { requireUser, roleAtLeast } from "@/lib/session";
import { ADMIN_PAGE_SIZE_DEFAULT, ADMIN_PAGE_SIZES, adminConnectionsQuerySchema, type AdminConnectionsQuery, type AdminSort } from "@/lib/validations/admin-connections";
import { ConnectionsTable } from "./connections-table";

export const metadata: Metadata = { title: "Connections" };

const STATUS_LABELS = {
  attention: "Needs attention",
  NEEDS_RECONNECT: "Needs reconnect",
  DEGRADED: "Degraded (X failing)",
  ACTIVE: "Active",
  DISCONNECTED: "Disconnected",
  all: "All statuses",
} as const;

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const query = adminConnectionsQuerySchema.parse(await searchParams);
  const [facets, reasons, costs] = await Promise.all([
    adminConnectionsFacets(user.workspaceId, { brand: query.brand, app: query.app }),
    attentionReasons(user.workspaceId),
    appCosts(user.workspaceId),
  ]);
  const list = await listAdminConnections(user.workspaceId, query, facets.statusCounts);
  const canAct = roleAtLeast(user.role, "ADMIN");
  const view = { ...query, page: list.page };
  const c = facets.statusCounts;
  const statusCount = { attention: c.NEEDS_RECONNECT + c.DEGRADED, all: c.ACTIVE + c.DEGRADED + c.NEEDS_RECONNECT + c.DISCONNECTED, ...c };
  const filtered = query.status !== "attention" || query.reason || query.brand || query.app || query.q;
  const sorts = Object.fromEntries((["username", "status", "since", "checked"] as const).map((s) => [s, sortState(view, s)])) as Record<AdminSort, SortState>;
  const heading = query.status === "attention" ? "Connections needing attention" : "Connections";

  return (
    <div className="min-w-0 space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{heading}</h1>
        <p className="text-sm text-slate-600">
          Every X account connected to a brand in {user.workspaceName}: what stopped working, why, and since when.
          {canAct ? " Select accounts to send reconnect links, check them or disconnect them." : ""}
        </p>
      </div>

      {reasons.length > 0 ? (
        <FilterChips
          label="Filter by reason"
          items={[
            { href: viewHref({ ...view, reason: undefined, page: 1 }), current: !query.reason, text: `All reasons (${reasons.reduce((n, r) => n + r.count, 0).toLocaleString("en")})` },
            ...reasons.map((r) => ({ href: viewHref({ ...view, status: "attention", reason: r.code as AdminConnectionsQuery["reason"], page: 1 }), current: query.reason === r.code, text: `${r.label} (${r.count.toLocaleString("en")})` })),
          ]}
        />
      ) : null}

      <FilterBar
        action="/admin/connections"
        clearHref={filtered ? "/admin/connections" : null}
        hidden={{
          ...(query.reason ? { reason: query.reason } : {}),
          ...(query.sort !== "since" ? { sort: query.sort } : {}),
          ...(query.dir !== "asc" ? { dir: query.dir } : {}),
        }}
      >
        <FilterSelect
          id="filter-status"
          name="status"
          label="Status"
          defaultValue={query.status}
          options={(Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).map((s) => ({ value: s, label: `${STATUS_LABELS[s]} (${statusCount[s].toLocaleString("en")})` }))}
        />
        <FilterSelect id="filter-brand" name="brand" label="Brand" defaultValue={query.brand ?? ""} options={[{ value: "", label: "All brands" }, ...facets.brands.map((b) => ({ value: b.id, label: b.name }))]} />
        <FilterSelect
          id="filter-app"
          name="app"
          label="X app"
          defaultValue={query.app ?? ""}
          options={[{ value: "", label: "All apps" }, ...facets.apps.map((a) => ({ value: a.id, label: a.rejected ? `${a.label} — rejected by X` : a.label }))]}
        />
        <FilterSearch id="filter-q" label="Search" defaultValue={query.q} placeholder="@username, name or brand" />
        <FilterSelect id="filter-size" name="size" label="Per page" defaultValue={String(query.size)} options={ADMIN_PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))} />
      </FilterBar>

      {facets.checksQueued > 0 ? (
        <p role="status" className="text-sm text-slate-700">
          {facets.checksQueued.toLocaleString("en")} check{facets.checksQueued === 1 ? "" : "s"} queued, waiting for the background worker.
        </p>
      ) : null}

      <ConnectionsTable
        rows={list.rows}
        total={list.total}
        canAct={canAct}
        filter={{ status: query.status, reason: query.reason, brand: query.brand, app: query.app, q: query.q }}
        sorts={sorts}
        caption={`${heading}${query.reason ? `: ${reasons.find((r) => r.code === query.reason)?.label ?? query.reason}` : ""}, page ${list.page} of ${list.pageCount}`}
        emptyText={
          filtered
            ? "No accounts match these filters."
            : "Every connected X account is working. Nothing needs reconnecting."
        }
      />

      <Pagination page={list.page} pageCount={list.pageCount} total={list.total} noun={{ one: "account", many: "accounts" }} hrefFor={(p) => viewHref({ ...view, page: p })} />
      <CostPanel rows={costs} />
    </div>
  );
}

/** The URL of a view: only what differs from the defaults, so shared links stay short. */
function viewHref(v: AdminConnectionsQuery): string {
  const params = new URLSearchParams();
  if (v.status !== "attention") params.set("status", v.status);
  if (v.reason) params.set("reason", v.reason);
  if (v.brand) params.set("brand", v.brand);
  if (v.app) params.set("app", v.app);
  if (v.q) params.set("q", v.q);
  if (v.sort !== "since") params.set("sort", v.sort);
  if (v.dir !== "asc") params.set("dir", v.dir);
  if (v.size !== ADMIN_PAGE_SIZE_DEFAULT) params.set("size", String(v.size));
  if (v.page > 1) params.set("page", String(v.page));
  const qs = params.toString();
  return qs ? `/admin/connections?${qs}` : "/admin/connections";
}

function sortState(v: AdminConnectionsQuery, sort: AdminSort): SortState {
  const current = v.sort === sort;
  const dir = current && v.dir === "asc" ? "desc" : "asc";
  return { href: viewHref({ ...v, sort, dir, page: 1 }), direction: current ? (v.dir === "asc" ? "ascending" : "descending") : "none" };
}
