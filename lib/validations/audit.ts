import { RECONNECT_REASONS } from "../reconnect-reasons";
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
  "workspace.scopes_changed": "Optional X scopes changed",
} as const;

export const auditFilterSchema = z.object({
  action: z.catch(z.optional(z.enum(Object.keys(AUDIT_ACTION_LABELS) as [keyof typeof AUDIT_ACTION_LABELS])), undefined),
  q: z._default(z.catch(z.string().check(z.trim(), z.maxLength(200)), ""), ""),
  page: z._default(z.catch(z.coerce.number().check(z.refine(Number.isInteger), z.gte(1), z.lte(100_000)), 1), 1),
});

/** Plain words for an entry's outcome code (test verdicts, reconnect reasons, X's refusals); unknown codes pass through. */
const AUDIT_OUTCOME_WORDS: Record<string, string> = {
  valid: "Valid",
  invalid: "Rejected by X",
  inconclusive: "Not confirmed",
  connected: "Connected",
  refused: "Refused",
  "credentials-rejected": "X rejects the credentials",
  "not-enrolled": "App not in a Project",
  ...Object.fromEntries(Object.entries(RECONNECT_REASONS).map(([code, r]) => [code, r.label])),
};

export function auditOutcomeLabel(code: string): string {
  return AUDIT_OUTCOME_WORDS[code] ?? code.replace(/[-_.]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}
