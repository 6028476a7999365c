// The one way Keyport sends a webhook: a POST that can only reach the public Internet. The address
// check runs inside the socket's own DNS lookup, on every address the name resolves to at that
// moment, so what is checked is what is connected to (a name that resolved to a public address
// when the endpoint was saved and to 127.0.0.1 now is refused now). Redirects are never followed
// (a 3xx is a failed delivery), every request has a deadline, and only a short, sanitised excerpt
// of the answer is kept. No Next, no Prisma.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { forbiddenAddressReason, isIpLiteral } from "./address-policy";

export type PostOutcome = "delivered" | "http-error" | "redirect" | "timeout" | "refused" | "network" | "keyport-error";

export type PostResult = {
  ok: boolean;
  outcome: PostOutcome;
  statusCode: number | null;
  durationMs: number;
  /** Plain words for the log; never holds anything Keyport sent. */
  error: string | null;
  /** At most EXCERPT_CHARS of the answer's body, control characters removed. */
  response: string | null;
};

export type PostOptions = { timeoutMs: number; allowPrivate: boolean };

const EXCERPT_BYTES = 2048;
export const EXCERPT_CHARS = 200;

export class ForbiddenTargetError extends Error {
  override name = "ForbiddenTargetError";
}

/**
 * Why this URL may not receive webhooks, judged on its text alone (scheme, credentials, an IP
 * literal). Null when it may, subject to what its name resolves to.
 */
export function urlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, starting with https://.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Webhook URLs must start with https:// (or http://).";
  if (url.username || url.password) return "Leave user names and passwords out of the URL; Keyport signs every request instead.";
  if (!url.hostname) return "The URL needs a host name.";
  if (!allowPrivate && isIpLiteral(url.hostname)) {
    const reason = forbiddenAddressReason(url.hostname);
    if (reason) return `${url.hostname} is a ${reason} address: Keyport only sends webhooks to the public Internet.`;
  }
  return null;
}

/**
 * Resolves the URL's host the way a send would and says why it may not receive webhooks (a
 * private address, a name that does not resolve), or null. For saving an endpoint; sends check
 * again on their own.
 */
export async function targetProblem(raw: string, allowPrivate: boolean): Promise<string | null> {
  const textual = urlProblem(raw, allowPrivate);
  if (textual) return textual;
  const host = new URL(raw).hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIpLiteral(host)) return null;
  try {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (e, a) => (e ? reject(e) : resolve(a))));
    if (addresses.length === 0) return `${host} does not resolve to any address.`;
    if (allowPrivate) return null;
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) return `${host} resolves to ${address}, a ${reason} address: Keyport only sends webhooks to the public Internet.`;
    }
    return null;
  } catch {
    return `Keyport could not resolve ${host}. Check the host name (and that this server can look it up), then try again.`;
  }
}

/** POSTs `body` to `url` with `headers`, refusing private targets unless allowed. Never throws. */
export async function safePost(rawUrl: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const done = (partial: Omit<PostResult, "durationMs">): PostResult => ({ ...partial, durationMs: Math.round(performance.now() - started) });
  const problem = urlProblem(rawUrl, options.allowPrivate);
  if (problem) return done({ ok: false, outcome: "refused", statusCode: null, error: problem, response: null });
  const url = new URL(rawUrl);
  const transport = url.protocol === "https:" ? https : http;
  const signal = AbortSignal.timeout(options.timeoutMs);

  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      resolve(done(result));
    };
    const request = transport.request(
      url,
      {
        method: "POST",
        // A fresh connection per request: each one resolves (and is checked) again.
        agent: false,
        lookup: options.allowPrivate ? undefined : guardedLookup,
        signal,
        timeout: options.timeoutMs,
        headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "Keyport-Webhooks/1.0" },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const settle = () => {
          response.destroy();
          const excerpt = sanitise(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8"));
          if (status >= 200 && status < 300) finish({ ok: true, outcome: "delivered", statusCode: status, error: null, response: excerpt });
          else if (status >= 300 && status < 400)
            finish({ ok: false, outcome: "redirect", statusCode: status, error: `The endpoint answered ${status} (a redirect); Keyport does not follow redirects. Use the final URL.`, response: excerpt });
          else finish({ ok: false, outcome: "http-error", statusCode: status, error: `The endpoint answered ${status}${response.statusMessage ? ` ${sanitise(response.statusMessage)}` : ""}.`, response: excerpt });
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) settle();
        });
        response.on("end", settle);
        response.on("error", settle);
      },
    );
    request.on("timeout", () => request.destroy(new TimeoutError()));
    request.on("error", (error) => finish(describeError(error, options.timeoutMs)));
    request.end(body);
  });
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** dns.lookup, but an error when any address the name resolves to is not on the public Internet. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 4);
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) return callback(new ForbiddenTargetError(`${hostname} resolves to ${address}, a ${reason} address: Keyport only sends webhooks to the public Internet.`), "", 4);
    }
    if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), "", 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

function describeError(error: Error, timeoutMs: number): Omit<PostResult, "durationMs"> {
  const base = { ok: false, statusCode: null, response: null } as const;
  if (error instanceof ForbiddenTargetError) return { ...base, outcome: "refused", error: error.message };
  if (error instanceof TimeoutError || error.name === "AbortError" || error.name === "TimeoutError") {
    return { ...base, outcome: "timeout", error: `No answer within ${timeoutMs / 1000} s.` };
  }
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ECONNREFUSED: "The connection was refused",
    ECONNRESET: "The connection was reset",
    ENOTFOUND: "The host name does not resolve",
    EAI_AGAIN: "The host name could not be looked up (DNS failed)",
    EHOSTUNREACH: "The host is unreachable",
    ENETUNREACH: "The network is unreachable",
    CERT_HAS_EXPIRED: "The endpoint's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "The endpoint's TLS certificate is self-signed",
    ERR_TLS_CERT_ALTNAME_INVALID: "The endpoint's TLS certificate is for another host name",
  };
  return { ...base, outcome: "network", error: `${(code && words[code]) ?? "The request failed"}${code ? ` (${code})` : ""}.` };
}

/** Printable, single-line, short: safe to store and to show in the delivery log. */
export function sanitise(text: string): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffd]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS - 1)}…` : clean;
}
