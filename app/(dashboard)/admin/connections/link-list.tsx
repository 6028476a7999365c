"use client";
// Reconnect links just made: shown once (only their hashes are stored), as a list to copy from
// and a CSV to download, with the accounts that got none and why.
import { CopyButton } from "@/components/ui/copy-button";
import { Button } from "@/components/ui/button";
import type { ReconnectLinkRow, SkippedRow } from "@/lib/data/admin-connections";

export function LinkList({ links, skipped, onClose }: { links: ReconnectLinkRow[]; skipped: SkippedRow[]; onClose: () => void }) {
  const all = links.map((l) => `@${l.username} (${l.brandName}): ${l.url}`).join("\n");
  return (
    <div className="space-y-3 rounded-md border border-slate-200 bg-white p-3" data-testid="reconnect-links">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold">Reconnect links</h2>
        <div className="flex flex-wrap gap-2">
          {links.length ? <CopyButton value={all} label="Copy all" /> : null}
          {links.length ? (
            <Button type="button" size="sm" variant="secondary" onClick={() => download(links)}>
              Download CSV
            </Button>
          ) : null}
          <Button type="button" size="sm" variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
      <p className="text-sm text-slate-600">Send each client their own link: it reconnects that account to its brand, works once, and expires {links[0] ? `at ${links[0].expiresAt.slice(0, 16).replace("T", " ")} UTC` : "later"}. The links are not shown again.</p>
      {links.length ? (
        <ul className="divide-y divide-slate-100 text-sm">
          {links.map((l) => (
            <li key={l.accountId} className="flex flex-wrap items-center gap-2 py-2" data-testid="reconnect-link">
              <span className="min-w-0 flex-1">
                <span className="font-medium">@{l.username}</span> <span className="text-slate-600">· {l.brandName}</span>
                <input readOnly value={l.url} aria-label={`Reconnect link for @${l.username}`} className="mt-1 block h-8 w-full rounded border border-slate-200 bg-slate-50 px-2 font-mono text-xs" onFocus={(e) => e.target.select()} />
              </span>
              <CopyButton value={l.url} label="Copy" />
            </li>
          ))}
        </ul>
      ) : null}
      {skipped.length ? (
        <div className="text-sm">
          <p className="font-medium">No link for:</p>
          <ul className="list-disc pl-5 text-slate-700">
            {skipped.map((s) => (
              <li key={s.accountId}>
                @{s.username} ({s.brandName}): {s.why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function download(links: ReconnectLinkRow[]) {
  const rows = [["username", "name", "brand", "link", "expires_at"], ...links.map((l) => [l.username, l.name, l.brandName, l.url, l.expiresAt])];
  const csv = rows.map((r) => r.map(csvCell).join(",")).join("\r\n");
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `reconnect-links-${new Date().toISOString().slice(0, 10)}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** Quoted, and defused against spreadsheet formulas (a name starting with = + - @). */
function csvCell(value: string) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
