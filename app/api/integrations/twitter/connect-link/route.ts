// POST — the Connect button on a hosted connect link (/connect/<token>): start an attempt bound to
// the link, remember the link in this browser for the callback, and send the browser to X. Starts
// are rate-limited per link and per client address (lib/connect-start-throttle).
import { NextResponse, type NextRequest } from "next/server";
import { linkCookie } from "@/lib/connections/link-cookie";
import { takeLinkStart } from "@/lib/connect-start-throttle";
import { startedFromKeyport } from "@/lib/connections/request-origin";
import { startConnectAttempt } from "@/lib/connections/start";
import { lookupConnectLink } from "@/lib/data/connect-links";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/request-ip";
import { linkTokenSchema } from "@/lib/validations/connect";

export async function POST(request: NextRequest) {
  const form = await request.formData().catch(() => null);
  const parsed = linkTokenSchema.safeParse(form?.get("token"));
  if (!parsed.success) return seeOther("/connect/invalid");
  const token = parsed.data;
  const page = `/connect/${encodeURIComponent(token)}`;
  // A form on another site posting the token: back to the link's page, to press Connect there.
  if (!startedFromKeyport(request.headers)) return seeOther(page);
  // Budgets before anything else is spent: per address for every press, per link for a live one.
  if (await takeLinkStart("address", clientIp(request.headers, env.KEYPORT_TRUSTED_PROXIES))) return seeOther(`${page}?error=rate-limited`);
  const link = await lookupConnectLink(token);
  if (link.status !== "active") return seeOther(page);
  if (await takeLinkStart("link", link.id)) return seeOther(`${page}?error=rate-limited`);
  try {
    const started = await startConnectAttempt({ workspaceId: link.workspaceId, brandId: link.brandId, linkId: link.id });
    if (!started.ok) return seeOther(`${page}?error=${started.error}`);
    const response = seeOther(started.authorizeUrl, true);
    const cookie = linkCookie(link.id);
    response.cookies.set(cookie.name, token, cookie.options);
    return response;
  } catch (error) {
    console.error(`[connect] could not start from a link: ${(error as Error)?.name ?? "Error"}`);
    return seeOther(`${page}?error=start-failed`);
  }
}

function seeOther(target: string, absolute = false) {
  const response = NextResponse.redirect(absolute ? target : `${env.KEYPORT_PUBLIC_URL}${target}`, 303);
  response.headers.set("Cache-Control", "no-store");
  return response;
}
