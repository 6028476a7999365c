"use client";
// The dashboard's main navigation. The current page is marked (aria-current="page") at every
// width; on a phone the items fold into a "Menu" disclosure that names the current page, so the
// header never overflows 390 px. A native <details>: it works before scripts load.
import { ChevronDown } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";

export type NavItem = { href: string; label: string; badge?: ReactNode };

export function MainNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname() ?? "";
  const current = items.find((i) => pathname === i.href || pathname.startsWith(`${i.href}/`));
  const menu = useRef<HTMLDetailsElement>(null);
  // Following a link closes the phone menu.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);

  const list = (className: string, itemClass: string) => (
    <ul className={className}>
      {items.map((item) => {
        const active = item === current;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              // Plain strings: the active and the idle look are exclusive, nothing to join.
              className={`inline-flex items-center gap-1.5 rounded px-2 py-1 ${itemClass} ${active ? "bg-indigo-50 font-semibold text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {item.label}
              {item.badge}
            </Link>
          </li>
        );
      })}
    </ul>
  );

  return (
    <nav aria-label="Main" className="text-sm">
      <details ref={menu} className="group md:hidden">
        <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-900 [&::-webkit-details-marker]:hidden">
          Menu<span className="sr-only">, current page:</span>
          {current ? <span className="font-normal text-slate-600">· {current.label}</span> : null}
          <ChevronDown className="size-4 transition-transform group-open:rotate-180" aria-hidden />
        </summary>
        {/* In the flow, not a popover: it can never reach past the screen's edge. */}
        {list("mt-1 space-y-0.5 rounded-md border border-slate-200 bg-white p-1 shadow-sm", "w-full py-2")}
      </details>
      {list("hidden flex-wrap gap-1 md:flex", "")}
    </nav>
  );
}
