"use client";
// What owners and admins can do with the selected accounts: reconnect links (a copyable list and a
// CSV), queued checks with their progress, and disconnecting after a confirmation.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { checkProgressAction, createReconnectLinksAction, disconnectAccountsAction, requestChecksAction } from "@/lib/actions/admin-connections";
import type { CheckProgress, ReconnectLinkRow, SkippedRow } from "@/lib/data/admin-connections";
import type { AdminConnectionsFilter } from "@/lib/validations/admin-connections";
import { BULK_LIMIT } from "@/lib/validations/bulk-limit";
import { LinkList } from "./link-list";

type Props = {
  pageCount: number;
  total: number;
  selectedIds: string[];
  allOnPage: boolean;
  someOnPage: boolean;
  allMatching: boolean;
  filter: AdminConnectionsFilter;
  onSelectPage: (on: boolean) => void;
  onSelectAllMatching: (on: boolean) => void;
};

type Message = { tone: "success" | "error"; text: string };

export function BulkBar({ pageCount, total, selectedIds, allOnPage, someOnPage, allMatching, filter, onSelectPage, onSelectAllMatching }: Props) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<Message | null>(null);
  const [links, setLinks] = useState<{ links: ReconnectLinkRow[]; skipped: SkippedRow[] } | null>(null);
  const [checking, setChecking] = useState<{ ids: string[]; progress: CheckProgress | null } | null>(null);
  const pageBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (pageBox.current) pageBox.current.indeterminate = someOnPage && !allOnPage;
  }, [someOnPage, allOnPage]);

  const count = allMatching ? total : selectedIds.length;
  const selection = allMatching ? { filter } : { ids: selectedIds };
  const noun = `${count.toLocaleString("en")} account${count === 1 ? "" : "s"}`;

  // Poll the queued checks until no worker has them left, then refresh the list once.
  const checkIds = checking?.ids;
  useEffect(() => {
    if (!checkIds || checkIds.length === 0) return;
    let stopped = false;
    const tick = async () => {
      const result = await checkProgressAction({ ids: checkIds });
      if (stopped || !result.ok) return;
      setChecking({ ids: checkIds, progress: result.data });
      if (result.data.pending === 0) {
        router.refresh();
        return;
      }
      timer = setTimeout(tick, 3_000);
    };
    let timer = setTimeout(tick, 1_000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [checkIds, router]);

  const run = (work: () => Promise<void>) => start(async () => {
    setMessage(null);
    await work();
  });

  return (
    <section aria-label="Bulk actions" className="space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <label className="inline-flex items-center gap-2">
          <input ref={pageBox} type="checkbox" className="size-4 accent-indigo-600" checked={allOnPage} onChange={(e) => onSelectPage(e.target.checked)} />
          Select all {pageCount} on this page
        </label>
        {allOnPage && total > pageCount && !allMatching ? (
          total <= BULK_LIMIT ? (
            <button type="button" className="text-indigo-700 underline" onClick={() => onSelectAllMatching(true)}>
              Select all {total.toLocaleString("en")} matching the filter
            </button>
          ) : (
            <span className="text-slate-600">
              {total.toLocaleString("en")} match; bulk actions take at most {BULK_LIMIT.toLocaleString("en")} at a time — narrow the filter to select them all.
            </span>
          )
        ) : null}
        {allMatching ? (
          <button type="button" className="text-indigo-700 underline" onClick={() => onSelectAllMatching(false)}>
            All {total.toLocaleString("en")} matching are selected. Clear
          </button>
        ) : null}
        <span aria-live="polite" className="font-medium">
          {count > 0 ? `${noun} selected` : "No accounts selected"}
        </span>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          disabled={count === 0}
          pending={pending}
          onClick={() =>
            run(async () => {
              const result = await createReconnectLinksAction({ selection });
              if (!result.ok) return setMessage({ tone: "error", text: result.error });
              setLinks(result.data);
              setMessage({ tone: "success", text: `Created ${result.data.links.length} reconnect link${result.data.links.length === 1 ? "" : "s"}${result.data.skipped.length ? `; ${result.data.skipped.length} skipped` : ""}. Each link is shown only now.` });
            })
          }
        >
          Create reconnect links
        </Button>
        <Button
          size="sm"
          variant="secondary"
          disabled={count === 0}
          pending={pending}
          onClick={() =>
            run(async () => {
              const result = await requestChecksAction({ selection });
              if (!result.ok) return setMessage({ tone: "error", text: result.error });
              const { queued, skipped } = result.data;
              setChecking(queued.length ? { ids: queued, progress: null } : null);
              setMessage({
                tone: queued.length ? "success" : "error",
                text: `${queued.length ? `Queued a check of ${queued.length} account${queued.length === 1 ? "" : "s"}.` : "Nothing was queued."}${skipped ? ` ${skipped} skipped: accounts that need reconnecting or are disconnected can't be checked.` : ""}`,
              });
              router.refresh();
            })
          }
        >
          Check now
        </Button>
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="danger" disabled={count === 0 || pending}>
              Disconnect…
            </Button>
          }
          title={`Disconnect ${noun}?`}
          description={<p>Keyport revokes their access at X and deletes their tokens. Posting for these accounts stops until someone connects them again. This can&apos;t be undone.</p>}
          confirmLabel={`Disconnect ${noun}`}
          onConfirm={async () => {
            const result = await disconnectAccountsAction({ selection });
            if (!result.ok) {
              setMessage({ tone: "error", text: result.error });
              return true;
            }
            const { disconnected, notRevokedAtX, failed } = result.data;
            setMessage({
              tone: failed.length || notRevokedAtX ? "error" : "success",
              text: `Disconnected ${disconnected} account${disconnected === 1 ? "" : "s"}.${notRevokedAtX ? ` ${notRevokedAtX} could not be revoked at X (tokens deleted in Keyport anyway).` : ""}${failed.length ? ` ${failed.length} were busy; try them again.` : ""}`,
            });
            onSelectPage(false);
            router.refresh();
            return true;
          }}
        />
      </div>
      <div aria-live="polite" className="space-y-2">
        {message ? <p className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>{message.text}</p> : null}
        {checking ? <CheckStatus total={checking.ids.length} progress={checking.progress} /> : null}
      </div>
      {links ? <LinkList links={links.links} skipped={links.skipped} onClose={() => setLinks(null)} /> : null}
    </section>
  );
}

function CheckStatus({ total, progress }: { total: number; progress: CheckProgress | null }) {
  if (!progress) return <p className="text-sm text-slate-700" data-testid="check-progress">Checks queued: waiting for the background worker…</p>;
  const { pending, done, byStatus } = progress;
  const broke = byStatus.NEEDS_RECONNECT + byStatus.DEGRADED;
  return (
    <p className="text-sm text-slate-700" data-testid="check-progress">
      {pending ? `Checking: ${done} of ${total} done, ${pending} waiting for the background worker.` : `All ${total} checks done: ${byStatus.ACTIVE} working${broke ? `, ${broke} need attention` : ""}.`}
    </p>
  );
}
