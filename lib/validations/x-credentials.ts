// One schema for the credentials form and the server actions behind it.
import { z } from "./zod";
import { idField } from "./brands";

const TOKEN_CHARS = /^[A-Za-z0-9_-]+$/;

export const clientIdField = z.string().check(
  z.trim(),
  z.minLength(1, "Paste the OAuth 2.0 Client ID."),
  z.regex(TOKEN_CHARS, "A Client ID has only letters, digits, “-” and “_”. Check that you copied just the ID, with no spaces or quotes."),
  z.minLength(20, "That is too short for an X OAuth 2.0 Client ID (they are about 34 characters)."),
  z.maxLength(100, "That is too long for an X OAuth 2.0 Client ID (they are about 34 characters)."),
);

export const clientSecretField = z.string().check(
  z.trim(),
  z.minLength(1, "Paste the OAuth 2.0 Client Secret."),
  z.regex(TOKEN_CHARS, "A Client Secret has only letters, digits, “-” and “_”. Check that you copied just the secret, with no spaces or quotes."),
  z.minLength(30, "That is too short for an X OAuth 2.0 Client Secret (they are about 50 characters)."),
  z.maxLength(200, "That is too long for an X OAuth 2.0 Client Secret (they are about 50 characters)."),
);

/** brandId absent: the workspace default app; present: that brand's override. */
export const xCredentialsSchema = z.object({
  brandId: z.optional(idField),
  clientId: clientIdField,
  clientSecret: clientSecretField,
});
export type XCredentialsInput = z.infer<typeof xCredentialsSchema>;

/** Saving over existing credentials must say it saw how many accounts it will disconnect. */
export const saveXCredentialsSchema = z.extend(xCredentialsSchema, {
  confirmAccountsMarked: z.optional(z.int().check(z.gte(0))),
});
export type SaveXCredentialsInput = z.infer<typeof saveXCredentialsSchema>;

export const credentialScopeSchema = z.object({ brandId: z.optional(idField) });

/**
 * "Test credentials" takes what the form holds: pasted credentials (then checked in full by
 * xCredentialsSchema) or nothing, which tests the saved ones. Only strings get that far.
 */
export const testXCredentialsSchema = z.extend(credentialScopeSchema, {
  clientId: z.optional(z.string("Paste the Client ID as text.").check(z.maxLength(1_000, "That is far too long for a Client ID."))),
  clientSecret: z.optional(z.string("Paste the Client Secret as text.").check(z.maxLength(1_000, "That is far too long for a Client Secret."))),
});
export type TestXCredentialsInput = z.input<typeof testXCredentialsSchema>;

export const removeXCredentialsSchema = z.extend(credentialScopeSchema, {
  confirmAccountsMarked: z.int().check(z.gte(0)),
});

export const GUIDE_STEPS = ["project", "credits", "user-auth", "permissions", "app-type", "callback", "website", "keys"] as const;
export const guideStepSchema = z.object({ step: z.enum(GUIDE_STEPS), done: z.boolean() });
