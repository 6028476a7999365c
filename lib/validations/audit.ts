import { z } from "./zod";

export const AUDIT_ACTION_LABELS = {
  "credentials.created": "Credentials saved",
  "credentials.replaced": "Credentials replaced",
  "credentials.removed": "Credentials removed",
  "credentials.tested": "Credentials tested",
  "credentials.rejected": "X rejected the app",
  "account.connected": "Account connected",
  "account.disconnected": "Account disconnected",
  "account.needs_reconnect": "Account needs reconnecting",
  "api_key.created": "API key created",
  "api_key.revoked": "API key revoked",
  "api_key.used_after_revoke": "Revoked API key used",
  "api_key.used_after_expiry": "Expired API key used",
  "webhook.created": "Webhook endpoint added",
  "webhook.updated": "Webhook endpoint changed",
  "webhook.secret_rotated": "Webhook secret rotated",
  "webhook.deleted": "Webhook endpoint deleted",
  "accounts.reconnect_links_created": "Reconnect links created",
  "accounts.check_requested": "Checks requested",
  "accounts.bulk_disconnected": "Accounts disconnected at once",
} as const;

export const auditFilterSchema = z.object({
  action: z.enum(Object.keys(AUDIT_ACTION_LABELS) as [keyof typeof AUDIT_ACTION_LABELS]).optional().catch(undefined),
  q: z.string().trim().max(200).catch("").default(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
