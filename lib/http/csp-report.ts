// What a CSP violation report may put in Keyport's log: which directive, what kind of thing was
// blocked (its origin, or "inline"/"eval"), and on which page — with anything that could carry a
// secret taken out: query strings and fragments (an OAuth callback's code), long opaque path
// segments (a connect link's token), script samples. Accepts both report formats browsers send:
// report-uri's {"csp-report": {...}} and the Reporting API's [{type, body}, ...].

export const CSP_REPORT_MAX_BYTES = 64 * 1024;
const MAX_REPORTS = 20;

export type CspViolation = { directive: string; blocked: string; page: string; disposition: string };

export function summariseCspReports(payload: unknown): CspViolation[] {
  const bodies: Record<string, unknown>[] = [];
  if (Array.isArray(payload)) {
    for (const item of payload) {
      const body = (item as { type?: unknown; body?: unknown })?.body;
      if ((item as { type?: unknown })?.type === "csp-violation" && isRecord(body)) bodies.push(body);
    }
  } else if (isRecord(payload) && isRecord(payload["csp-report"])) {
    bodies.push(payload["csp-report"]);
  }
  return bodies.slice(0, MAX_REPORTS).map((b) => ({
    directive: token(b.effectiveDirective ?? b["effective-directive"] ?? b["violated-directive"]),
    blocked: blockedWhat(b.blockedURL ?? b["blocked-uri"]),
    page: pagePath(b.documentURL ?? b["document-uri"]),
    disposition: token(b.disposition ?? "enforce"),
  }));
}

export function formatViolation(v: CspViolation): string {
  return `[csp] ${v.disposition === "report" ? "would block" : "blocked"} ${v.blocked} (${v.directive}) on ${v.page}`;
}

function blockedWhat(value: unknown): string {
  if (typeof value !== "string" || !value) return "unknown";
  if (/^(inline|eval|wasm-eval|trusted-types-sink|trusted-types-policy)$/.test(value)) return value;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
  } catch {
    return "unknown";
  }
}

function pagePath(value: unknown): string {
  if (typeof value !== "string") return "unknown";
  try {
    const url = new URL(value);
    return url.pathname
      .split("/")
      .map((segment) => (segment.length > 24 ? ":token" : segment))
      .join("/")
      .slice(0, 200);
  } catch {
    return "unknown";
  }
}

function token(value: unknown): string {
  return typeof value === "string" && /^[a-z-]{1,40}$/.test(value) ? value : "unknown";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
