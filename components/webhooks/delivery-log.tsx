// An endpoint's delivery log: one row per message (webhook-id), its status, the last response,
// how long it took and when the next retry is due; each row expands to every attempt.
import Link from "next/link";
import type { DeliveryLine, EndpointState } from "@/lib/data/webhooks";
import { formatWhen } from "@/lib/format";
import { cn } from "@/lib/utils";

const STATUS: Record<DeliveryLine["status"], { label: string; tone: string }> = {
  DELIVERED: { label: "Delivered", tone: "bg-emerald-100 text-emerald-900" },
  PENDING: { label: "Retrying", tone: "bg-amber-100 text-amber-900" },
  FAILED: { label: "Failed", tone: "bg-red-100 text-red-900" },
  SKIPPED: { label: "Skipped", tone: "bg-slate-100 text-slate-700" },
};

const STATE: Record<EndpointState, { label: string; tone: string }> = {
  healthy: { label: "Healthy", tone: "bg-emerald-100 text-emerald-900" },
  erroring: { label: "Retrying", tone: "bg-amber-100 text-amber-900" },
  failing: { label: "Failing", tone: "bg-red-100 text-red-900" },
  off: { label: "Off", tone: "bg-slate-200 text-slate-800" },
  unused: { label: "No deliveries yet", tone: "bg-slate-100 text-slate-700" },
};

export function EndpointStateBadge({ state }: { state: EndpointState }) {
  return <span className={cn("rounded-full px-2 py-0.5 text-xs font-semibold", STATE[state].tone)}>{STATE[state].label}</span>;
}

export function DeliveryLog({ items, page, pageCount, total, basePath }: { items: DeliveryLine[]; page: number; pageCount: number; total: number; basePath: string }) {
  if (items.length === 0) {
    return <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">Nothing sent yet. Send a test event to check the endpoint works.</p>;
  }
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <caption className="sr-only">Deliveries, newest first</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Event</th>
              <th scope="col" className="px-3 py-2 font-medium">Status</th>
              <th scope="col" className="px-3 py-2 font-medium">Response</th>
              <th scope="col" className="px-3 py-2 font-medium">Duration</th>
              <th scope="col" className="px-3 py-2 font-medium">Attempts</th>
              <th scope="col" className="px-3 py-2 font-medium">Next retry</th>
              <th scope="col" className="px-3 py-2 font-medium">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} className="border-t border-slate-100 align-top" data-testid="delivery-row">
                <td className="px-3 py-2">
                  <code className="font-mono text-xs">{d.event}</code>
                  <details className="mt-1 text-xs text-slate-600">
                    <summary className="cursor-pointer">Attempts and webhook-id</summary>
                    <p className="mt-1">
                      webhook-id <code className="font-mono">{d.messageId}</code>
                    </p>
                    <ol className="mt-1 space-y-1">
                      {d.log.map((a) => (
                        <li key={a.attempt}>
                          #{a.attempt} · {formatWhen(a.at)} · {a.statusCode ?? "no answer"} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ""}
                          {a.response ? <span className="block break-all text-slate-500">Response: {a.response}</span> : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                </td>
                <td className="px-3 py-2">
                  <span className={cn("rounded-full px-2 py-0.5 text-xs font-semibold", STATUS[d.status].tone)}>{STATUS[d.status].label}</span>
                  {d.lastError && d.status !== "DELIVERED" ? <p className="mt-1 max-w-xs text-xs text-slate-600">{d.lastError}</p> : null}
                </td>
                <td className="px-3 py-2">{d.lastStatusCode ?? "—"}</td>
                <td className="px-3 py-2 whitespace-nowrap">{d.lastDurationMs !== null ? `${d.lastDurationMs} ms` : "—"}</td>
                <td className="px-3 py-2">{d.attempts}</td>
                <td className="px-3 py-2 whitespace-nowrap">{d.nextAttemptAt ? <time dateTime={d.nextAttemptAt.toISOString()}>{formatWhen(d.nextAttemptAt)}</time> : "—"}</td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <time dateTime={d.createdAt.toISOString()}>{formatWhen(d.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pageCount > 1 ? (
        <nav aria-label="Delivery log pages" className="flex items-center justify-between text-sm">
          <span>
            Page {page} of {pageCount} ({total} deliveries)
          </span>
          <span className="flex gap-3">
            {page > 1 ? (
              <Link href={`${basePath}?page=${page - 1}`} className="text-indigo-700 underline">
                Newer
              </Link>
            ) : null}
            {page < pageCount ? (
              <Link href={`${basePath}?page=${page + 1}`} className="text-indigo-700 underline">
                Older
              </Link>
            ) : null}
          </span>
        </nav>
      ) : null}
    </div>
  );
}
