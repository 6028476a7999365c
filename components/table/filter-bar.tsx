// The filter bar above a table: a plain GET form (works without JavaScript, lands in the URL so a
// view can be shared), labelled fields, Apply, and Clear when anything is filtered.
import Link from "next/link";
import type { ReactNode } from "react";

export function FilterBar({ action, children, clearHref, submitLabel = "Apply", hidden }: { action: string; children: ReactNode; clearHref?: string | null; submitLabel?: string; hidden?: Record<string, string> }) {
  return (
    <form role="search" action={action} method="get" className="flex flex-wrap items-end gap-2">
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <button className="h-10 rounded-md border border-slate-300 bg-white px-3 text-sm hover:bg-slate-100">{submitLabel}</button>
      {clearHref ? (
        <Link href={clearHref} className="h-10 px-2 py-2 text-sm text-indigo-700 hover:underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}

export function FilterSelect({ id, name, label, defaultValue, options }: { id: string; name: string; label: string; defaultValue: string; options: { value: string; label: string }[] }) {
  return (
    <div className="min-w-0 max-w-full">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={defaultValue} className="h-10 max-w-full rounded-md border border-slate-300 bg-white px-2 text-sm">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterSearch({ id, name = "q", label, defaultValue, placeholder }: { id: string; name?: string; label: string; defaultValue: string; placeholder?: string }) {
  return (
    <div className="min-w-0 max-w-full">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="search"
        defaultValue={defaultValue}
        placeholder={placeholder}
        className="h-10 w-64 max-w-full rounded-md border border-slate-300 bg-white px-3 text-sm"
      />
    </div>
  );
}

/** A row of link chips that filter (e.g. by reason, with counts); the current one is marked. */
export function FilterChips({ label, items }: { label: string; items: { href: string; current: boolean; text: string }[] }) {
  return (
    <nav aria-label={label} className="flex flex-wrap gap-2 text-sm">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item.current ? "page" : undefined}
          className={
            item.current ? "rounded-full border border-indigo-600 bg-indigo-50 px-3 py-1 font-medium text-indigo-800" : "rounded-full border border-slate-300 px-3 py-1 hover:bg-slate-100"
          }
        >
          {item.text}
        </Link>
      ))}
    </nav>
  );
}
