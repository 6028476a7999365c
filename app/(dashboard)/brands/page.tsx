import type { Metadata } from "next";
import Link from "next/link";
import { BrandRowActions } from "@/components/brands/brand-row-actions";
import { CreateBrandForm } from "@/components/brands/create-brand-form";
import { listBrands } from "@/lib/data/brands";
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
        <form role="search" className="flex gap-2" action="/brands">
          <label htmlFor="brand-search" className="sr-only">
            Search brands
          </label>
          <input
            id="brand-search"
            name="q"
            defaultValue={q}
            placeholder="Search brands"
            className="h-10 w-64 rounded-md border border-slate-300 bg-white px-3 text-sm"
          />
          <button className="h-10 rounded-md border border-slate-300 bg-white px-3 text-sm hover:bg-slate-100">Search</button>
        </form>
      </div>

      {canManage ? <CreateBrandForm /> : null}

      {list.items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
          {q ? (
            <>No brand matches “{q}”.</>
          ) : canManage ? (
            "No brands yet. Create the first one above."
          ) : (
            "No brands yet. An owner or admin can create them."
          )}
        </div>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Brands</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium">Created</th>
                {canManage ? <th scope="col" className="px-4 py-2 text-right font-medium">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.items.map((brand) => (
                <tr key={brand.id} className="border-t border-slate-100" data-testid="brand-row">
                  <td className="px-4 py-2">
                    <Link href={`/brands/${brand.id}`} className="font-medium text-indigo-700 hover:underline">
                      {brand.name}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-slate-600">{brand.createdAt.toISOString().slice(0, 10)}</td>
                  {canManage ? (
                    <td className="px-4 py-2 text-right">
                      <BrandRowActions brand={{ id: brand.id, name: brand.name }} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {list.pageCount > 1 ? (
        <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
          <span className="text-slate-600">
            Page {list.page} of {list.pageCount} · {list.total} brands
          </span>
          <span className="flex gap-2">
            {list.page > 1 ? <Link className="rounded border border-slate-300 bg-white px-3 py-1" href={pageHref(list.page - 1)}>Previous</Link> : null}
            {list.page < list.pageCount ? <Link className="rounded border border-slate-300 bg-white px-3 py-1" href={pageHref(list.page + 1)}>Next</Link> : null}
          </span>
        </nav>
      ) : null}
    </div>
  );
}
