// GET — "Connect X account" on a brand page: start an attempt and send the browser to X's consent page.
import { NextResponse, type NextRequest } from "next/server";
import { startedFromKeyport } from "@/lib/connections/request-origin";
import { startConnectAttempt } from "@/lib/connections/start";
import { env } from "@/lib/env";
import { currentUser } from "@/lib/session";
import { connectStartSchema } from "@/lib/validations/connect";

export async function GET(request: NextRequest) {
  const user = await currentUser();
  if (!user) return redirect("/login");
  const parsed = connectStartSchema.safeParse({ brandId: request.nextUrl.searchParams.get("brandId") });
  if (!parsed.success) return redirect("/brands");
  const { brandId } = parsed.data;
  const back = `/brands/${encodeURIComponent(brandId)}`;
  // From another site: show the brand page, where the person can press Connect themselves.
  if (!startedFromKeyport(request.headers)) return redirect(back);
  try {
    const started = await startConnectAttempt({ workspaceId: user.workspaceId, brandId, userId: user.id });
    if (!started.ok) return redirect(started.error === "brand-not-found" ? "/brands" : `${back}?connect_error=${started.error}`);
    return noStore(NextResponse.redirect(started.authorizeUrl, 302));
  } catch (error) {
    console.error(`[connect] could not start for brand ${JSON.stringify(brandId)}: ${(error as Error)?.name ?? "Error"}`);
    return redirect(`${back}?connect_error=start-failed`);
  }
}

/** Our own origin only: the public URL, never the Host header. */
function redirect(path: string) {
  return noStore(NextResponse.redirect(`${env.KEYPORT_PUBLIC_URL}${path}`, 302));
}

function noStore(response: NextResponse) {
  response.headers.set("Cache-Control", "no-store");
  return response;
}
