// Whether a request that starts a connection came from Keyport's own pages (or was typed into the
// address bar), not from another site. Starting sends the browser to X's consent page with an
// attempt bound to this browser; another site must not be able to do that on someone's behalf
// (login CSRF at the start rather than at the callback). Browsers say where a request came from
// in Sec-Fetch-Site, and in Origin for a POST; a request with neither (an old browser, a script)
// is let through, since it proves nothing either way and the callback's checks still hold.
// "Origin: null" proves nothing either: Keyport's pages are Referrer-Policy: no-referrer, under
// which browsers send exactly that on a same-origin form POST.
import { env } from "../env";

export function startedFromKeyport(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = headers.get("origin");
  if (origin && origin !== "null" && origin !== new URL(env.KEYPORT_PUBLIC_URL).origin) return false;
  return true;
}
