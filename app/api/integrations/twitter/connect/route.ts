// POST — "Connect X account" / "Reconnect" on Keyport's pages (a form with the brand id): start an
// attempt and send the browser to X's consent page. GET only shows the brand page with its
// Connect button: a link or a top-level navigation from another site carries the session cookie
// (SameSite=Lax), so a GET must never start anything; a cross-site POST does not carry it.
import { NextResponse, type NextRequest } from "next/server";
import { startedFromKeyport } from "@/lib/connections/request-origin";
import { startConnectAttempt } from "@/lib/connections/start";
import { env } from "@/lib/env";
import { currentUser } from "@/lib/session";
import { connectStartSchema } from "@/lib/validations/connect";

export async function GET(request: NextRequest) {
  const user = await currentUser();
  if (!user) return redirect("/login", 302);
  const parsed = connectStartSchema.safeParse({ brandId: request.nextUrl.searchParams.get("brandId") });
  return redirect(parsed.success ? brandPage(parsed.data.brandId) : "/brands", 302);
}

export async function POST(request: NextRequest) {
  const user = await currentUser();
  if (!user) return redirect("/login");
  const form = await request.formData().catch(() => null);
  const parsed = connectStartSchema.safeParse({ brandId: form?.get("brandId") });
  if (!parsed.success) return redirect("/brands");
  const { brandId } = parsed.data;
  const back = brandPage(brandId);
  // From another site: show the brand page, where the person can press Connect themselves.
  if (!startedFromKeyport(request.headers)) return redirect(back);
  try {
    const started = await startConnectAttempt({ workspaceId: user.workspaceId, brandId, userId: user.id });
    if (!started.ok) return redirect(started.error === "brand-not-found" ? "/brands" : `${back}?connect_error=${started.error}`);
    return noStore(NextResponse.redirect(started.authorizeUrl, 303));
  } catch (error) {
    console.error(`[connect] could not start for brand ${JSON.stringify(brandId)}: ${(error as Error)?.name ?? "Error"}`);
    return redirect(`${back}?connect_error=start-failed`);
  }
}

function brandPage(brandId: string) {
  return `/brands/${encodeURIComponent(brandId)}`;
}

/** Our own origin only: the public URL, never the Host header. 303 after a POST: the browser GETs it. */
function redirect(path: string, status: 302 | 303 = 303) {
  return noStore(NextResponse.redirect(`${env.KEYPORT_PUBLIC_URL}${path}`, status));
}

function noStore(response: NextResponse) {
  response.headers.set("Cache-Control", "no-store");
  return response;
}
