// The one table for lists (connections, audit log, brands, members): a caption, sortable headers
// (links, with aria-sort), optional row selection with real labelled checkboxes, and on phones
// every row stacks as a card with the column name beside each value, so nothing scrolls sideways.
// No hooks and no directive: it renders in a Server Component, or inside a client one that
// passes selection callbacks.
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

export type SortState = { href: string; direction: "ascending" | "descending" | "none" };

export type Column<T> = {
  key: string;
  header: ReactNode;
  /** The column's name on a phone card; defaults to the header when that is text. Empty hides it. */
  label?: string;
  cell: (row: T) => ReactNode;
  sort?: SortState;
  align?: "left" | "right";
  className?: string;
};

export type Selection<T> = {
  isSelected: (row: T) => boolean;
  onToggle: (row: T) => void;
  label: (row: T) => string;
};

type Props<T> = {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  rowTestId?: string;
  selection?: Selection<T> | undefined;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
};

export function DataTable<T>({ caption, columns, rows, rowKey, rowTestId, selection, empty }: Props<T>) {
  if (rows.length === 0 && empty) return <>{empty}</>;
  return (
    <div className="rounded-lg border border-slate-200 bg-white sm:overflow-x-auto">
      <table className="block w-full text-sm sm:table">
        <caption className="sr-only">{caption}</caption>
        <thead className="hidden bg-slate-50 text-left text-slate-600 sm:table-header-group">
          <tr>
            {selection ? (
              <th scope="col" className="w-10 px-4 py-2">
                <span className="sr-only">Selected</span>
              </th>
            ) : null}
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={c.sort && c.sort.direction !== "none" ? c.sort.direction : undefined}
                className={cn("px-4 py-2 font-medium whitespace-nowrap", c.align === "right" && "text-right", c.className)}
              >
                {c.sort ? <SortLink sort={c.sort}>{c.header}</SortLink> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 sm:table-row-group">
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId} className="block p-3 align-top sm:table-row sm:p-0">
              {selection ? (
                <td className="block pb-1 sm:table-cell sm:px-4 sm:py-2">
                  <label className="inline-flex min-h-6 items-center gap-2">
                    <input type="checkbox" className="size-4 accent-indigo-600" checked={selection.isSelected(row)} onChange={() => selection.onToggle(row)} />
                    <span className="sr-only">{selection.label(row)}</span>
                    <span aria-hidden className="text-xs text-slate-500 sm:hidden">
                      Select
                    </span>
                  </label>
                </td>
              ) : null}
              {columns.map((c) => {
                const label = c.label ?? (typeof c.header === "string" ? c.header : "");
                return (
                  <td
                    key={c.key}
                    className={cn("flex min-w-0 gap-3 py-1 sm:table-cell sm:px-4 sm:py-2", c.align === "right" && "sm:text-right", c.className)}
                  >
                    {label ? (
                      <span aria-hidden className="w-28 shrink-0 text-xs font-medium text-slate-500 sm:hidden">
                        {label}
                      </span>
                    ) : null}
                    <div className="min-w-0 flex-1 [overflow-wrap:anywhere]">{c.cell(row)}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortLink({ sort, children }: { sort: SortState; children: ReactNode }) {
  const Icon = sort.direction === "ascending" ? ArrowUp : sort.direction === "descending" ? ArrowDown : ArrowUpDown;
  return (
    <Link href={sort.href} className="inline-flex items-center gap-1 hover:text-slate-900 hover:underline">
      {children}
      <Icon aria-hidden className={cn("size-3.5", sort.direction === "none" && "opacity-40")} />
      <span className="sr-only">{sort.direction === "ascending" ? ", sorted ascending; sort descending" : sort.direction === "descending" ? ", sorted descending; sort ascending" : ", sort"}</span>
    </Link>
  );
}
