// The webhook events, zod-free: the endpoint form lists them without loading zod (./webhooks
// builds the schema from them).
import type { NotificationEvent } from "../connections/status";

/** The events an endpoint can subscribe to, with the words the settings page shows. */
export const WEBHOOK_EVENTS = {
  "account.needs_reconnect": "An account needs reconnecting",
  "account.degraded": "X keeps failing for an account (degraded)",
  "account.recovered": "A degraded account works again",
  "account.reconnected": "An account was reconnected",
  "account.disconnected": "An account was disconnected",
  "credentials.rejected": "X rejected an app's credentials",
} as const satisfies Record<NotificationEvent, string>;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]];
