// Request and reply plumbing. Handlers return a Reply instead of writing to the socket, so the
// server can log it, delay it, replace it with a fault, or drop it after the work is done.
import type { RequestLogEntry } from "./types";

export type Reply = {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as-is; anything else as JSON. */
  body?: unknown;
};

export type Ctx = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  contentType: string;
  /** Parsed form or JSON object body; null when empty or unparseable. */
  body: Record<string, unknown> | null;
  /** True when a non-empty body could not be parsed as its content type says. */
  bodyInvalid: boolean;
  /** Set by handlers for the request log. */
  note: { clientId: string | null; grantType: string | null; billing: RequestLogEntry["billing"] };
};

export const JSON_TYPE = "application/json; charset=utf-8";
export const PROBLEM_TYPE = "application/problem+json";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { "content-type": JSON_TYPE, "cache-control": "no-store", ...headers } };
}

export function problem(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { "content-type": PROBLEM_TYPE, "cache-control": "no-store", ...headers } };
}

export function html(status: number, page: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    body: page,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY", ...headers },
  };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location, "cache-control": "no-store" } };
}

export function parseBody(contentType: string, raw: string): { body: Record<string, unknown> | null; invalid: boolean } {
  if (!raw.trim()) return { body: null, invalid: false };
  if (/\bjson\b/i.test(contentType)) {
    try {
      const value: unknown = JSON.parse(raw);
      return value && typeof value === "object" && !Array.isArray(value)
        ? { body: value as Record<string, unknown>, invalid: false }
        : { body: null, invalid: true };
    } catch {
      return { body: null, invalid: true };
    }
  }
  return { body: Object.fromEntries(new URLSearchParams(raw)), invalid: false };
}

/**
 * OAuth parameters from the body (form or JSON) and the query string; the body wins. Non-string
 * JSON values are stringified, as a lenient server would.
 */
export function oauthParams(ctx: Ctx): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of ctx.query) params.set(k, v);
  for (const [k, v] of Object.entries(ctx.body ?? {})) {
    if (v === null || v === undefined) continue;
    params.set(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  return params;
}

export type BasicAuth = { kind: "none" } | { kind: "malformed" } | { kind: "basic"; clientId: string; secret: string };

export function basicAuth(ctx: Ctx): BasicAuth {
  const header = headerValue(ctx, "authorization");
  if (!header) return { kind: "none" };
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return { kind: "malformed" };
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return { kind: "malformed" };
  const clientId = safeDecode(decoded.slice(0, colon));
  const secret = safeDecode(decoded.slice(colon + 1));
  return { kind: "basic", clientId, secret };
}

export function bearerToken(ctx: Ctx): string | null {
  const header = headerValue(ctx, "authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

export function headerValue(ctx: Ctx, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** RFC 6749 §2.3.1 form-encodes id and secret before Basic; most clients don't. Accept both. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, "%20"));
  } catch {
    return value;
  }
}
