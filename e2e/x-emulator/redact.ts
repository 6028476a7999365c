// The request log is read by tests and may be printed in CI output: no secret, token, code or
// verifier survives into it, whatever the parameter's casing or where it was sent. Two layers:
// parameters are redacted by name, then every value the emulator knows to be secret (client
// secrets, tokens, codes, consent nonces) is scrubbed wherever it turns up in the entry.

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
  "assertion",
  "client_assertion",
]);

/** Shorter values are not scrubbed by value: they could be ordinary words. */
const MIN_SCRUB_LENGTH = 8;

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  return SECRET_KEYS.has(k) || /secret|passw|verifier/.test(k) || k.endsWith("token");
}

export function redactQuery(query: URLSearchParams): Record<string, string> {
  // With `plain` (or no method, which RFC 7636 treats as plain) the challenge IS the verifier.
  const method = query.get("code_challenge_method");
  const challengeIsVerifier = !method || method.toLowerCase() !== "s256";
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = isSecretKey(k) || (challengeIsVerifier && k.toLowerCase() === "code_challenge") ? REDACTED : v;
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

/**
 * Replaces every occurrence of a known secret in the strings (keys included) of a log value: a
 * secret pasted into the Client ID field, a token sent under an unexpected name, a JSON body sent
 * as text/plain and read as one long form key.
 */
export function scrubSecrets<T>(value: T, secrets: Iterable<string>): T {
  const list = [...new Set(secrets)].filter((s) => s.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
  if (!list.length) return value;
  const scrub = (text: string) => (list.some((s) => text.includes(s)) ? list.reduce((t, s) => t.split(s).join(REDACTED), text) : text);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [scrub(k), walk(inner)]));
    return v;
  };
  return walk(value) as T;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
