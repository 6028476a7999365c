// Server-side pagination under a table: where you are, how many in all, and links to move.
import Link from "next/link";

type Props = { page: number; pageCount: number; total: number; noun: { one: string; many: string }; hrefFor: (page: number) => string; labels?: { previous: string; next: string } };

export function Pagination({ page, pageCount, total, noun, hrefFor, labels = { previous: "Previous", next: "Next" } }: Props) {
  const count = `${total.toLocaleString("en")} ${total === 1 ? noun.one : noun.many}`;
  if (pageCount <= 1) return total > 0 ? <p className="text-sm text-slate-600">{count}</p> : null;
  const link = "rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100";
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-2 text-sm">
      <span className="text-slate-600">
        Page {page.toLocaleString("en")} of {pageCount.toLocaleString("en")} · {count}
      </span>
      <span className="flex gap-2">
        {page > 2 ? (
          <Link className={link} href={hrefFor(1)}>
            First
          </Link>
        ) : null}
        {page > 1 ? (
          <Link className={link} href={hrefFor(page - 1)} rel="prev">
            {labels.previous}
          </Link>
        ) : null}
        {page < pageCount ? (
          <Link className={link} href={hrefFor(page + 1)} rel="next">
            {labels.next}
          </Link>
        ) : null}
      </span>
    </nav>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">{children}</div>;
}
