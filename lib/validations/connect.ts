// Inputs of the connect flow: starting from a brand, connect links, disconnecting.
import { LINK_TTL_DEFAULT_HOURS } from "./connect-link-ttl";
import { z } from "./zod";

/**
 * A record id as Keyport makes them (cuid for brands, UUID for accounts, links and attempts).
 * Anything else can't name a record; refusing it here keeps NUL (which PostgreSQL rejects in a
 * query) and line breaks (which would forge log lines) away from the database and the log.
 */
export const recordIdField = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a valid id."));

export const connectStartSchema = z.object({ brandId: recordIdField });

export { LINK_TTL_CHOICES, LINK_TTL_DEFAULT_HOURS } from "./connect-link-ttl";

export const createConnectLinkSchema = z.object({
  brandId: recordIdField,
  expiresInHours: z._default(
    z.coerce
      .number("Choose how long the link stays valid.")
      .check(
        z.refine(Number.isInteger, "Choose a whole number of hours."),
        z.gte(1, "A link must stay valid for at least an hour."),
        z.lte(720, "A link can stay valid for at most 30 days."),
      ),
    LINK_TTL_DEFAULT_HOURS,
  ),
});
export type CreateConnectLinkInput = z.input<typeof createConnectLinkSchema>;

export const revokeConnectLinkSchema = z.object({ linkId: recordIdField });
export type RevokeConnectLinkInput = z.infer<typeof revokeConnectLinkSchema>;

export const disconnectAccountSchema = z.object({ accountId: recordIdField });
export type DisconnectAccountInput = z.infer<typeof disconnectAccountSchema>;

/** A connect-link token as it appears in /connect/<token>: 32 random bytes, base64url. */
export const linkTokenSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{20,100}$/));

export const reconnectFilterSchema = z.object({ reason: z.catch(z.string().check(z.maxLength(40)), "") });
