import type { Metadata } from "next";
import Link from "next/link";
import { BrandRowActions } from "@/components/brands/brand-row-actions";
import { CreateBrandForm } from "@/components/brands/create-brand-form";
import { DataTable } from "@/components/table/data-table";
import { FilterBar, FilterSearch } from "@/components/table/filter-bar";
import { EmptyState, Pagination } from "@/components/table/pagination";
import { listBrands, type BrandListItem } from "@/lib/data/brands";
import { requireUser, roleAtLeast } from "@/lib/session";
import { brandListSchema } from "@/lib/validations/brands";

export const metadata: Metadata = { title: "Brands" };

export default async function BrandsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { q, page } = brandListSchema.parse(await searchParams);
  const list = await listBrands(user.workspaceId, { q, page });
  const canManage = roleAtLeast(user.role, "ADMIN");
  const pageHref = (p: number) => `/brands?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Brands</h1>
          <p className="text-sm text-slate-600">Each brand connects its own X accounts.</p>
        </div>
        <FilterBar action="/brands" submitLabel="Search" clearHref={q ? "/brands" : null}>
          <FilterSearch id="brand-search" label="Search brands" defaultValue={q} placeholder="Search brands" />
        </FilterBar>
      </div>

      {canManage ? <CreateBrandForm /> : null}

      <DataTable
        caption="Brands"
        rows={list.items}
        rowKey={(brand) => brand.id}
        rowTestId="brand-row"
        empty={
          <EmptyState>
            {q ? <>No brand matches “{q}”.</> : canManage ? "No brands yet. Create the first one above." : "No brands yet. An owner or admin can create them."}
          </EmptyState>
        }
        columns={[
          {
            key: "name",
            header: "Name",
            cell: (brand) => (
              <Link href={`/brands/${brand.id}`} className="font-medium text-indigo-700 hover:underline">
                {brand.name}
              </Link>
            ),
          },
          { key: "created", header: "Created", className: "text-slate-600", cell: (brand) => brand.createdAt.toISOString().slice(0, 10) },
          ...(canManage
            ? [{ key: "actions", header: "Actions", align: "right" as const, label: "", cell: (brand: BrandListItem) => <BrandRowActions brand={{ id: brand.id, name: brand.name }} /> }]
            : []),
        ]}
      />

      <Pagination page={list.page} pageCount={list.pageCount} total={list.total} noun={{ one: "brand", many: "brands" }} hrefFor={pageHref} />
    </div>
  );
}
