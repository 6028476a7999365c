"use client";
// Add or change a webhook endpoint: URL, what it is for, which events, on or off. On creation the
// signing secret is shown once, right here.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { createWebhookEndpointAction, updateWebhookEndpointAction } from "@/lib/actions/webhooks";
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_NAMES } from "@/lib/validations/webhook-events";
import type { WebhookEndpointInput } from "@/lib/validations/webhooks";
import { SecretReveal } from "./secret-reveal";

type Props = { endpoint?: WebhookEndpointInput & { id: string } };

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { webhookEndpointSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/webhooks")]);
  return zodResolver(webhookEndpointSchema);
});

export function EndpointForm({ endpoint }: Props) {
  const router = useRouter();
  const editing = Boolean(endpoint);
  const blank: WebhookEndpointInput = { url: "", description: "", events: [...WEBHOOK_EVENT_NAMES], enabled: true };
  const form = useForm<WebhookEndpointInput>({ resolver, defaultValues: endpoint ?? blank });
  const { errors, isSubmitting } = form.formState;
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ endpointId: string; secret: string } | null>(null);
  const eventsId = useId();

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    let result;
    try {
      result = endpoint ? await updateWebhookEndpointAction({ ...values, endpointId: endpoint.id }) : await createWebhookEndpointAction(values);
    } catch {
      setFormError("Keyport could not save the endpoint. Check your connection and try again.");
      return;
    }
    if (!result.ok) {
      setFormError(result.error);
      for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
        if (name === "url" || name === "description" || name === "events") form.setError(name, { message });
      }
      return;
    }
    if (result.data && "secret" in result.data) {
      setCreated(result.data);
      form.reset(blank);
    } else {
      toast.success("Endpoint saved.");
    }
    router.refresh();
  });

  return (
    <div className="space-y-4">
      <form method="post" onSubmit={onSubmit} onFocus={resolver.preload} className="space-y-4" noValidate aria-label={editing ? "Change webhook endpoint" : "Add a webhook endpoint"}>
        <Field label="Endpoint URL" type="url" inputMode="url" placeholder="https://example.com/webhooks/keyport" autoComplete="off" spellCheck={false} error={errors.url?.message} hint="Keyport POSTs JSON here, signed per Standard Webhooks. It must be reachable from the Internet; redirects are not followed." {...form.register("url")} />
        <Field label="Description (optional)" placeholder="Ops alerts" error={errors.description?.message} {...form.register("description")} />
        <fieldset className="space-y-2" aria-describedby={errors.events ? `${eventsId}-error` : undefined}>
          <legend className="text-sm font-medium text-slate-800">Events to send</legend>
          <div className="grid gap-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_NAMES.map((event) => (
              <label key={event} className="flex items-start gap-2 text-sm">
                <input type="checkbox" value={event} className="mt-1" {...form.register("events")} />
                <span>
                  <code className="font-mono text-xs">{event}</code>
                  <span className="block text-slate-600">{WEBHOOK_EVENTS[event]}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.events ? (
            <p id={`${eventsId}-error`} role="alert" className="text-sm text-red-700">
              {errors.events.message}
            </p>
          ) : null}
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...form.register("enabled")} />
          <span>On — send events to this endpoint</span>
        </label>
        <FormError message={formError} />
        <Button type="submit" pending={isSubmitting}>
          {editing ? "Save changes" : "Add endpoint"}
        </Button>
      </form>
      <div aria-live="polite">
        {created ? (
          <SecretReveal
            secret={created.secret}
            title="Endpoint added. Copy its signing secret now"
            links={[{ href: `/settings/webhooks/${created.endpointId}`, label: "Open the endpoint to send a test event" }]}
          />
        ) : null}
      </div>
    </div>
  );
}
