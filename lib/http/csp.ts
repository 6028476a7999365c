// The Content-Security-Policy every Keyport response carries. Scripts run only with this
// response's nonce (Next puts it on its own scripts when it finds it in the request's policy
// header; 'strict-dynamic' lets those load the app's chunks), so injected markup can't run script.
// Forms may post only to Keyport and to X's consent page (a connect start answers with a redirect
// there, and form-action governs where a submission ends up); nothing may frame Keyport.
// Styles keep 'unsafe-inline': React renders style attributes and the toaster injects a <style>
// element, neither of which can carry a nonce; style injection can't run script.
// No Next, no Prisma: unit-tested as plain strings.

// Reports go to report-uri only. Chromium ignores report-uri as soon as report-to is present and
// then delivers through the Reporting API in delayed batches (none arrived within two minutes in
// the browser tests here); report-uri is a plain POST at the moment of the violation, in every
// browser.
export const CSP_REPORT_PATH = "/api/csp-report";

export type CspOptions = {
  nonce: string;
  /** `next dev` needs eval for its React debugging; production never gets it. */
  dev: boolean;
  /** X's authorize URL: connect forms end in a redirect to it. */
  xAuthorizeUrl: string;
  /** Extra image origins: the X emulator's avatars in the sandbox (X's own are https:). */
  imageOrigins?: string[];
};

export function contentSecurityPolicy({ nonce, dev, xAuthorizeUrl, imageOrigins = [] }: CspOptions): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:", "https:", ...unique(imageOrigins.map(originOf))],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...(dev ? ["ws:", "wss:"] : [])],
    ["frame-src", "'none'"],
    ["frame-ancestors", "'none'"],
    ["form-action", "'self'", originOf(xAuthorizeUrl)],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["manifest-src", "'self'"],
    ["worker-src", "'self'"],
    ["report-uri", CSP_REPORT_PATH],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** 128 random bits, base64: fresh for every response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

function originOf(url: string): string {
  return new URL(url).origin;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
