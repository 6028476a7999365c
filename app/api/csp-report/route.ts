// POST — browsers report Content-Security-Policy violations here (report-uri and report-to). Each
// becomes one log line without secrets (lib/http/csp-report); the answer is always an empty 204.
import { CSP_REPORT_MAX_BYTES, formatViolation, summariseCspReports } from "@/lib/http/csp-report";

// A page can send many reports, and anyone can post here: cap the log lines per minute.
const LINES_PER_MINUTE = 60;
let budget = { start: 0, lines: 0 };

export async function POST(request: Request) {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (!(declared <= CSP_REPORT_MAX_BYTES)) return done(413);
  const text = await request.text().catch(() => "");
  if (text.length > CSP_REPORT_MAX_BYTES) return done(413);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return done(400);
  }
  const now = Date.now();
  if (now - budget.start > 60_000) budget = { start: now, lines: 0 };
  for (const violation of summariseCspReports(payload)) {
    if (budget.lines++ >= LINES_PER_MINUTE) break;
    console.warn(formatViolation(violation));
  }
  return done(204);
}

function done(status: number) {
  return new Response(null, { status, headers: { "Cache-Control": "no-store" } });
}
