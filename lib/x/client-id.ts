// A hint, never a check: X Client IDs base64url-decode to "<id>:1:ci" (confidential: Web App,
// Automated App or Bot) or "<id>:1:na" (public: Native App, Single page App). Anything else is
// most likely the OAuth 1.0a API Key pasted into the wrong field.
export type ClientKind = "confidential" | "public" | "unknown";

export function inspectClientId(clientId: string): ClientKind {
  const trimmed = clientId.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) return "unknown";
  const decoded = decodeBase64Url(trimmed);
  const match = /^[\x21-\x7e]+:1:(ci|na)$/.exec(decoded);
  if (!match) return "unknown";
  return match[1] === "ci" ? "confidential" : "public";
}

export const CLIENT_KIND_HINT: Record<ClientKind, string> = {
  confidential: "Web App, Automated App or Bot (confidential client)",
  public: "Native App or Single page App (public client): Keyport cannot use it",
  unknown: "Not recognised as an OAuth 2.0 Client ID",
};

export const CLIENT_KIND_WARNING: Partial<Record<ClientKind, string>> = {
  public:
    "This Client ID belongs to a Native App or Single page App (a public client, which has no secret). Keyport needs a confidential client: in the developer portal, set Type of App to “Web App, Automated App or Bot” and copy the new Client Secret.",
  unknown:
    "This does not look like an OAuth 2.0 Client ID. The API Key under “Consumer Keys” (OAuth 1.0a) will not work: copy the Client ID from the “OAuth 2.0 Client ID and Client Secret” section of Keys and tokens.",
};

// atob works in the browser (the form warns as you type) and in Node alike; Buffer does not.
function decodeBase64Url(value: string): string {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  } catch {
    return "";
  }
}
