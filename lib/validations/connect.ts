// Inputs of the connect flow: starting from a brand, connect links, disconnecting.
import { z } from "zod";
import { idField } from "./brands";

export const connectStartSchema = z.object({ brandId: idField });

export const LINK_TTL_DEFAULT_HOURS = 48;
export const LINK_TTL_CHOICES = [1, 24, 48, 72, 168] as const;

export const createConnectLinkSchema = z.object({
  brandId: idField,
  expiresInHours: z.coerce
    .number({ message: "Choose how long the link stays valid." })
    .int("Choose a whole number of hours.")
    .min(1, "A link must stay valid for at least an hour.")
    .max(720, "A link can stay valid for at most 30 days.")
    .default(LINK_TTL_DEFAULT_HOURS),
});
export type CreateConnectLinkInput = z.input<typeof createConnectLinkSchema>;

export const revokeConnectLinkSchema = z.object({ linkId: idField });
export type RevokeConnectLinkInput = z.infer<typeof revokeConnectLinkSchema>;

export const disconnectAccountSchema = z.object({ accountId: idField });
export type DisconnectAccountInput = z.infer<typeof disconnectAccountSchema>;

/** A connect-link token as it appears in /connect/<token>: 32 random bytes, base64url. */
export const linkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

export const reconnectFilterSchema = z.object({ reason: z.string().max(40).catch("") });
