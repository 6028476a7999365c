// API keys: what a key may do (scopes), and the inputs of creating and revoking one. Shared by the
// settings form, its server actions and the API's key check.
import { noControlChars, z } from "./zod";
import { idField } from "./brands";

export const API_SCOPES = ["accounts:read", "posts:write", "links:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, { label: string; allows: string }> = {
  "accounts:read": { label: "Read accounts", allows: "List brands, connected accounts with their status, and the X apps in use." },
  "posts:write": { label: "Publish posts", allows: "Publish posts through a connected account, and list what Keyport published." },
  "links:write": { label: "Create connect links", allows: "Create hosted connect and reconnect links for a brand's client." },
};

export const API_KEY_NAME_MAX = 80;
export const API_KEY_EXPIRY_CHOICES = ["never", "7", "30", "90", "365"] as const;

export const createApiKeySchema = z.object({
  name: z
    .string("Give the key a name.")
    .check(
      z.trim(),
      z.minLength(1, "Give the key a name, such as the tool that will use it."),
      z.maxLength(API_KEY_NAME_MAX, `Keep key names to ${API_KEY_NAME_MAX} characters.`),
      noControlChars("Key names can't contain control characters."),
    ),
  scopes: z.pipe(
    z.array(z.enum(API_SCOPES, "Unknown permission."), "Choose at least one permission.").check(z.minLength(1, "Choose at least one permission.")),
    z.transform((s: ApiScope[]) => [...new Set(s)]),
  ),
  expiresInDays: z._default(z.enum(API_KEY_EXPIRY_CHOICES, "Choose when the key expires."), "90"),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ keyId: idField });
export type RevokeApiKeyInput = z.infer<typeof revokeApiKeySchema>;

export function parseApiScopes(value: string): ApiScope[] {
  const known = new Set<string>(API_SCOPES);
  return value.split(/\s+/).filter((s): s is ApiScope => known.has(s));
}
