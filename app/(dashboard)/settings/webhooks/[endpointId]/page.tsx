// One webhook endpoint (owners and admins): its state, test/rotate/turn off/delete, its settings
// and its delivery log.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveryLog, EndpointStateBadge } from "@/components/webhooks/delivery-log";
import { EndpointActions } from "@/components/webhooks/endpoint-actions";
import { EndpointForm } from "@/components/webhooks/endpoint-form";
import { getWebhookEndpoint, listWebhookDeliveries } from "@/lib/data/webhooks";
import { formatWhen } from "@/lib/format";
import { requireUser, roleAtLeast } from "@/lib/session";
import { isId } from "@/lib/validations/brands";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params, searchParams }: { params: Promise<{ endpointId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { endpointId } = await params;
  if (!roleAtLeast(user.role, "ADMIN") || !isId(endpointId)) notFound();
  const endpoint = await getWebhookEndpoint(user.workspaceId, endpointId);
  if (!endpoint) notFound();
  const wanted = Number((await searchParams).page);
  const page = Number.isInteger(wanted) && wanted >= 1 && wanted <= 100_000 ? wanted : 1;
  const log = await listWebhookDeliveries(user.workspaceId, endpoint.id, page);
  return (
    <div className="space-y-8">
      <Link href="/settings/webhooks" className="text-sm text-indigo-700 hover:underline">
        ← All webhooks
      </Link>
      <div className="space-y-2">
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
          <span className="break-all">{endpoint.url}</span>
          <EndpointStateBadge state={endpoint.state} />
        </h1>
        {endpoint.description ? <p className="text-sm text-slate-700">{endpoint.description}</p> : null}
        <p className="text-sm text-slate-600">
          {endpoint.state === "failing" && endpoint.failingSince
            ? `Failing since ${formatWhen(endpoint.failingSince)}: a delivery was given up after its last retry. It counts as healthy again once it answers.`
            : endpoint.state === "off"
              ? "Off: no events are sent to it."
              : endpoint.lastSuccessAt
                ? `Last delivered ${formatWhen(endpoint.lastSuccessAt)}.`
                : "Nothing delivered yet."}
          {endpoint.previousSecretUntil ? ` The previous secret also signs until ${formatWhen(endpoint.previousSecretUntil)}.` : ""}
        </p>
        <EndpointActions endpoint={{ id: endpoint.id, url: endpoint.url, enabled: endpoint.enabled }} />
      </div>

      <section aria-labelledby="log-heading" className="space-y-3">
        <h2 id="log-heading" className="text-lg font-semibold">
          Delivery log
        </h2>
        <DeliveryLog items={log.items} page={log.page} pageCount={log.pageCount} total={log.total} basePath={`/settings/webhooks/${endpoint.id}`} />
      </section>

      <section aria-labelledby="settings-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <EndpointForm endpoint={{ id: endpoint.id, url: endpoint.url, description: endpoint.description, events: endpoint.events, enabled: endpoint.enabled }} />
      </section>
    </div>
  );
}
