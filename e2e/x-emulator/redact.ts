// The request log is read by tests and may be printed in CI output: no secret, token, code or
// verifier survives into it, whatever the parameter's casing or where it was sent.

export const REDACTED = "[redacted]";

const SECRET_KEYS = new Set([
  "code",
  "code_verifier",
  "client_secret",
  "clientsecret",
  "token",
  "access_token",
  "refresh_token",
  "nonce",
  "password",
  "authorization",
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

export function redactQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = isSecretKey(k) ? REDACTED : v;
  return out;
}

export function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? REDACTED : redactValue(v)]));
  }
  return value;
}

export function redactAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const scheme = /^(Basic|Bearer)\s/i.exec(header)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

/** A redirect Location with its code (and anything else secret) replaced. */
export function redactLocation(location: string | undefined): string | null {
  if (!location) return null;
  const queryStart = location.indexOf("?");
  if (queryStart < 0) return location;
  const query = location.slice(queryStart + 1).split("&").map((pair) => {
    const key = decodeSafe(pair.split("=")[0] ?? "");
    return isSecretKey(key) ? `${pair.split("=")[0]}=${REDACTED}` : pair;
  });
  return `${location.slice(0, queryStart)}?${query.join("&")}`;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
