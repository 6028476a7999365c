// The OAuth callback URL X must have on its list, and what could make X refuse it. Built only
// from KEYPORT_PUBLIC_URL, never from request headers (RFC 9700 §4.1: the redirect URI must be
// exactly the registered one, at authorize and at token time alike).
export const CALLBACK_PATH = "/api/integrations/twitter/callback";

export function callbackUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${CALLBACK_PATH}`;
}

export type UrlCheck = { level: "error" | "warning"; id: string; message: string };

/** Problems with the configured public URL that would break or endanger the X callback. */
export function checkPublicUrl(configured: string): UrlCheck[] {
  const checks: UrlCheck[] = [];
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return [{ level: "error", id: "invalid", message: "KEYPORT_PUBLIC_URL is not a valid URL." }];
  }
  // X takes plain http for 127.0.0.1 only (contract §1), not for other loopback spellings.
  const loopback = url.hostname === "127.0.0.1";
  if (url.hostname === "localhost" || url.hostname.endsWith(".localhost")) {
    checks.push({
      level: "error",
      id: "localhost",
      message: "X does not accept “localhost” in callback URLs. Set KEYPORT_PUBLIC_URL to http://127.0.0.1:PORT instead.",
    });
  }
  if (url.protocol === "http:" && !loopback && url.hostname !== "localhost") {
    checks.push({
      level: "error",
      id: "plain-http",
      message: "X requires https for callback URLs outside 127.0.0.1. Serve Keyport over https and set KEYPORT_PUBLIC_URL to the https address.",
    });
  }
  if (configured.endsWith("/")) {
    checks.push({
      level: "warning",
      id: "trailing-slash",
      message: "KEYPORT_PUBLIC_URL ends with “/”. Keyport removes it, but X compares callback URLs exactly: paste the URL below, not one you typed.",
    });
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    checks.push({
      level: "warning",
      id: "path-prefix",
      message: `KEYPORT_PUBLIC_URL has a path (${url.pathname}). That works only if your proxy serves Keyport under that path; otherwise X will send people to a page that doesn't exist.`,
    });
  }
  if (url.search || url.hash) {
    checks.push({ level: "error", id: "query", message: "KEYPORT_PUBLIC_URL must not contain a query string or fragment." });
  }
  return checks;
}
