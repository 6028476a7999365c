// Runs before every request (Next 16's proxy, formerly middleware). Two jobs:
// 1. POSTs to pages (server actions) that Keyport's pages could not have sent are refused here with
//    a plain 400/403/413 — Next's action handler would answer them with a 500 (lib/http/action-guard).
// 2. Every response gets a Content-Security-Policy with a fresh nonce; Next reads the nonce from the
//    request's copy of the header and puts it on its scripts (lib/http/csp).
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { checkPagePost } from "@/lib/http/action-guard";
import { contentSecurityPolicy, newNonce } from "@/lib/http/csp";

const REFUSALS = { 400: "Bad request.", 403: "Forbidden.", 413: "Request body too large." } as const;

export async function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  if (request.method === "POST" && !request.nextUrl.pathname.startsWith("/api/")) {
    const verdict = await checkPagePost(request);
    if (!verdict.pass) {
      return new NextResponse(REFUSALS[verdict.status], { status: verdict.status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
    }
    if (verdict.origin) headers.set("origin", verdict.origin);
  }

  const nonce = newNonce();
  const policy = contentSecurityPolicy({
    nonce,
    dev: process.env.NODE_ENV === "development",
    xAuthorizeUrl: env.X_AUTHORIZE_URL,
    imageOrigins: env.xSandbox ? [env.X_API_BASE_URL, env.X_AUTHORIZE_URL] : [],
  });
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Static files carry no script of ours to protect and never take a POST.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
