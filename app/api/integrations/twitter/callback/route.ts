// GET — X sends the person back here after they approve or cancel on its consent page.
import { NextResponse, type NextRequest } from "next/server";
import { finishConnectAttempt, type Refusal } from "@/lib/connections/finish";
import { linkCookie } from "@/lib/connections/link-cookie";
import { env } from "@/lib/env";
import { currentUser, WORKSPACE_COOKIE } from "@/lib/session";

export async function GET(request: NextRequest) {
  const user = await currentUser();
  const result = await finishConnectAttempt(request.nextUrl.searchParams, {
    userId: user?.id ?? null,
    workspaceIds: user?.workspaces.map((w) => w.id) ?? [],
    linkToken: (linkId) => request.cookies.get(linkCookie(linkId).name)?.value,
  });
  if (result.kind === "refused") return refusalPage(result.reason);
  // Back to our own origin only; the path carries an attempt id, never a code or token.
  // The link cookie is left to expire on its own (10 minutes): a reload of this URL must find it
  // again to be shown the first hit's outcome, and once the link is used its token is worthless.
  const response = NextResponse.redirect(`${env.KEYPORT_PUBLIC_URL}${result.returnPath}`, 302);
  response.headers.set("Cache-Control", "no-store");
  // The brand page only exists in the attempt's workspace: if the person switched workspace while
  // at X, switch back (they are a member, checked above) rather than land on "not found".
  if (result.workspaceId && user && user.workspaceId !== result.workspaceId) {
    response.cookies.set(WORKSPACE_COOKIE, result.workspaceId, { httpOnly: true, sameSite: "lax", path: "/" });
  }
  return response;
}

// Refusals with no attempt (or none this browser may see) have no brand page to go back to, so
// the route answers with a fixed page. Nothing from the request is echoed into it.
const REFUSALS: Record<Refusal, { title: string; body: string; next: string }> = {
  "missing-state": {
    title: "This connection can't be finished",
    body: "X sent you back without the information Keyport needs to recognise the connection. Nothing was connected and nothing was sent to X.",
    next: "Start again from the brand page (or the connect link you were given).",
  },
  "unknown-state": {
    title: "This connection can't be finished",
    body: "Keyport doesn't recognise this connection attempt. It may have been started on another Keyport, or the link is forged. Nothing was connected and nothing was sent to X.",
    next: "Start again from the brand page (or the connect link you were given).",
  },
  "other-user": {
    title: "This connection was started by someone else",
    body: "The connection was started by another Keyport user, so it can't be finished from your session. Nothing was connected and nothing was sent to X.",
    next: "If you meant to connect an account, start from the brand page yourself.",
  },
  "signed-out": {
    title: "Sign in to finish connecting",
    body: "This connection was started by a signed-in Keyport user, but this browser isn't signed in any more. Nothing was connected and nothing was sent to X.",
    next: "Sign in, then start again from the brand page.",
  },
  "not-a-member": {
    title: "You're no longer a member of that workspace",
    body: "This connection was started in a Keyport workspace you have since been removed from, so it can't be finished. Nothing was connected and nothing was sent to X.",
    next: "If you still need the account connected, ask someone in that workspace to connect it.",
  },
  "other-browser": {
    title: "Finish in the browser you started in",
    body: "This connection was started from a connect link in another browser (or its 10 minutes ran out). Nothing was connected and nothing was sent to X.",
    next: "Open the connect link again in this browser and press Connect.",
  },
};

function refusalPage(reason: Refusal) {
  const page = REFUSALS[reason];
  const link = reason === "signed-out" ? `<a href="/login">Sign in</a>` : `<a href="/brands">Go to Keyport</a>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${page.title} · Keyport</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;margin:0}main{max-width:32rem;margin:10vh auto;background:#fff;border:1px solid #e2e8f0;border-radius:.5rem;padding:1.5rem}h1{font-size:1.25rem}p{color:#475569;line-height:1.5}a{color:#4338ca}</style>
</head><body><main><p><strong>Keyport</strong></p><h1>${page.title}</h1><p>${page.body}</p><p>${page.next}</p><p>${link}</p></main></body></html>`;
  return new NextResponse(html, { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
