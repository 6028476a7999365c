import { noControlChars, z } from "./zod";
import { idField } from "./brands";
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_NAMES, type WebhookEvent } from "./webhook-events";

export { WEBHOOK_EVENTS, WEBHOOK_EVENT_NAMES, type WebhookEvent } from "./webhook-events";

export const WEBHOOK_URL_MAX = 2000;

/** Stored as a space-separated list; unknown names (an event since retired) are dropped. */
export function parseEventList(stored: string): WebhookEvent[] {
  return stored.split(/\s+/).filter((e): e is WebhookEvent => e in WEBHOOK_EVENTS);
}

export const webhookUrlField = z.string().check(
  z.trim(),
  z.minLength(1, "Enter the URL Keyport should send events to."),
  z.maxLength(WEBHOOK_URL_MAX, `Keep the URL under ${WEBHOOK_URL_MAX} characters.`),
  z.refine((v: string) => {
    try {
      return ["https:", "http:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, "Enter a full URL, starting with https://."),
);

export const webhookEndpointSchema = z.object({
  url: webhookUrlField,
  description: z
    .string()
    .check(z.trim(), z.maxLength(200, "Keep the description to 200 characters."), noControlChars("The description can't contain control characters.")),
  events: z
    .array(z.enum(WEBHOOK_EVENT_NAMES, "Not an event Keyport sends."))
    .check(z.minLength(1, "Pick at least one event."), z.maxLength(WEBHOOK_EVENT_NAMES.length)),
  enabled: z.boolean(),
});
export type WebhookEndpointInput = z.infer<typeof webhookEndpointSchema>;

export const updateWebhookEndpointSchema = z.extend(webhookEndpointSchema, { endpointId: idField });
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointSchema>;

export const webhookEndpointIdSchema = z.object({ endpointId: idField });
export const toggleWebhookEndpointSchema = z.object({ endpointId: idField, enabled: z.boolean() });
