// Webhook endpoints of the workspace (owners and admins): what is registered and how it is doing,
// and the form to add one.
import type { Metadata } from "next";
import Link from "next/link";
import { EndpointStateBadge } from "@/components/webhooks/delivery-log";
import { EndpointForm } from "@/components/webhooks/endpoint-form";
import { listWebhookEndpoints, WEBHOOK_ENDPOINTS_MAX } from "@/lib/data/webhooks";
import { formatWhen } from "@/lib/format";
import { WEBHOOK_RETRY_WINDOW_HOURS } from "@/lib/notify/schedule";
import { requireUser, roleAtLeast } from "@/lib/session";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const user = await requireUser();
  if (!roleAtLeast(user.role, "ADMIN")) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="text-sm text-slate-600">Only owners and admins manage webhooks.</p>
      </div>
    );
  }
  const endpoints = await listWebhookEndpoints(user.workspaceId);
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Keyport tells your systems when an X account in {user.workspaceName} breaks, degrades, recovers, is reconnected or disconnected, and when X
          rejects an app — once per incident. Each request is a JSON POST signed per{" "}
          <a href="https://www.standardwebhooks.com" className="text-indigo-700 underline">
            Standard Webhooks
          </a>{" "}
          (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>); a receiver that does not answer 2xx is retried
          with backoff for about {WEBHOOK_RETRY_WINDOW_HOURS} hours, with the same <code>webhook-id</code>, so de-duplicate on it.
        </p>
      </div>

      <section aria-labelledby="endpoints-heading" className="space-y-3">
        <h2 id="endpoints-heading" className="text-lg font-semibold">
          Endpoints
        </h2>
        {endpoints.length === 0 ? (
          <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">No endpoints yet. Add one below.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Webhook endpoints">
            {endpoints.map((e) => (
              <li key={e.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3 text-sm" data-testid="endpoint-row">
                <div className="min-w-0 space-y-1">
                  <p className="flex flex-wrap items-center gap-2">
                    <Link href={`/settings/webhooks/${e.id}`} className="font-medium break-all text-indigo-700 hover:underline">
                      {e.url}
                    </Link>
                    <EndpointStateBadge state={e.state} />
                  </p>
                  {e.description ? <p className="text-slate-700">{e.description}</p> : null}
                  <p className="text-xs text-slate-600">
                    {e.events.length} event{e.events.length === 1 ? "" : "s"}
                    {e.pending ? ` · ${e.pending} waiting to be sent` : ""}
                    {e.failingSince ? ` · failing since ${formatWhen(e.failingSince)}` : ""}
                    {e.lastSuccessAt ? ` · last delivered ${formatWhen(e.lastSuccessAt)}` : ""}
                  </p>
                </div>
                <Link href={`/settings/webhooks/${e.id}`} className="text-sm text-indigo-700 underline" aria-label={`Delivery log and settings for ${e.url}`}>
                  Delivery log
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="add-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="add-heading" className="text-lg font-semibold">
          Add an endpoint
        </h2>
        {endpoints.length >= WEBHOOK_ENDPOINTS_MAX ? (
          <p className="text-sm text-slate-600">This workspace has the most endpoints it can have ({WEBHOOK_ENDPOINTS_MAX}). Delete one to add another.</p>
        ) : (
          <EndpointForm />
        )}
      </section>
    </div>
  );
}
