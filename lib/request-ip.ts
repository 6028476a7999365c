// The client's address as the sign-in throttle sees it.
//
// `next start` hands route handlers and server actions only headers, never the socket, and it
// fills X-Forwarded-For from the socket only when the request has none (base-server.js:
// `headers['x-forwarded-for'] ??= socket.remoteAddress`). A client that sends its own header
// therefore chooses the address Next reports. So the server appends the socket's address itself,
// the way a proxy does: installPeerStamp() (run once by instrumentation.ts) listens on Node's
// `http.server.request.start` diagnostics channel, which fires for every request before any
// handler, and adds the peer as the right-most hop. The right-most hop is then always the
// socket; entries to its left count only as far as KEYPORT_TRUSTED_PROXIES says the hops
// writing them are ours.
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { isIP, type Socket } from "node:net";

/** Which hops in front of Keyport may tell it the client's address (KEYPORT_TRUSTED_PROXIES). */
export type ProxyTrust =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "ranges"; ranges: IpRange[] };

type IpRange = { family: 4 | 6; network: bigint; prefix: number };

const UNKNOWN = "unknown";
const STAMP = Symbol.for("keyport.peer-stamp");

/**
 * "" → trust nobody (the socket is the client); "2" → two proxies in front, each appending the
 * address it saw; "10.0.0.0/8, 2001:db8::/32, 192.0.2.7" → hops from these addresses are ours.
 */
export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? "";
  if (text === "") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 20) throw new Error("a hop count must be between 0 and 20");
    return hops === 0 ? { kind: "none" } : { kind: "hops", hops };
  }
  const ranges = text.split(",").map((entry) => {
    const range = parseRange(entry.trim());
    if (!range) throw new Error(`"${entry.trim()}" is not an IPv4 or IPv6 address or CIDR range (like 10.0.0.0/8 or fd00::/8)`);
    return range;
  });
  return { kind: "ranges", ranges };
}

/** The client's address from an X-Forwarded-For chain whose right-most entry is the socket. */
export function clientAddress(chain: string | null | undefined, trust: ProxyTrust): string {
  const hops = (chain ?? "").split(",").map((h) => normalizeAddress(h));
  let at = hops.length - 1;
  if (trust.kind === "hops") at = Math.max(0, at - trust.hops);
  if (trust.kind === "ranges") {
    while (at > 0 && isTrusted(hops[at], trust.ranges)) at--;
  }
  // An entry that is no address at all (a proxy that passed garbage through) is not the client:
  // the nearest trusted hop to its right stands in, so garbage cannot mint fresh budgets.
  for (let i = at; i < hops.length; i++) if (hops[i]) return hops[i]!;
  return UNKNOWN;
}

/** The client's address for a request that reached this server. */
export function clientIp(headers: Headers, trust: ProxyTrust): string {
  if (!(globalThis as Record<symbol, unknown>)[STAMP]) {
    // Without the stamp the right-most hop may be the client's own invention: one shared budget
    // is the safe answer (happens only if instrumentation.ts did not run).
    warnOnce("[keyport] the socket address of requests is unknown (instrumentation.ts did not run); sign-in limits per address apply to all clients together");
    return UNKNOWN;
  }
  return clientAddress(headers.get("x-forwarded-for"), trust);
}

/**
 * The throttle's key for an address. An IPv6 client usually holds a whole /64 and can pick any
 * address in it, so IPv6 addresses count per /64; IPv4 per address.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** Appends each request's socket address to its X-Forwarded-For. Idempotent per process. */
export function installPeerStamp(): void {
  const registry = globalThis as Record<symbol, unknown>;
  if (registry[STAMP]) return;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const peer = socket.remoteAddress ?? UNKNOWN;
    const sent = request.headers["x-forwarded-for"];
    const prior = Array.isArray(sent) ? sent.join(", ") : sent;
    request.headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
  });
  registry[STAMP] = true;
}

/** "1.2.3.4:80", "[2001:DB8::1]:443", "::ffff:1.2.3.4" → a plain address; null if none. */
export function normalizeAddress(raw: string): string | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.replace(/%.*$/, "").toLowerCase(); // an IPv6 zone says nothing about the client
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6) return null;
  const groups = ipv6Groups(text);
  if (!groups) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  return text;
}

function isTrusted(address: string | null | undefined, ranges: IpRange[]): boolean {
  if (!address) return false;
  const value = toBigInt(address);
  if (!value) return false;
  return ranges.some((r) => r.family === value.family && value.bits >> BigInt(width(r.family) - r.prefix) === r.network >> BigInt(width(r.family) - r.prefix));
}

function parseRange(entry: string): IpRange | null {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
  const written = match?.[1]?.toLowerCase();
  if (!written || isIP(written) === 0) return null;
  const value = toBigInt(normalizeAddress(written) ?? "");
  if (!value) return null;
  let prefix = match![2] === undefined ? width(value.family) : Number(match![2]);
  // A range written as IPv4-mapped IPv6 (::ffff:10.0.0.0/104) is that IPv4 range.
  if (isIP(written) === 6 && value.family === 4 && match![2] !== undefined) prefix -= 96;
  if (prefix < 0 || prefix > width(value.family)) return null;
  return { family: value.family, network: value.bits, prefix };
}

function toBigInt(address: string): { family: 4 | 6; bits: bigint } | null {
  const family = isIP(address);
  if (family === 4) {
    return { family: 4, bits: address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) };
  }
  if (family === 6) {
    const groups = ipv6Groups(address);
    return groups ? { family: 6, bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) } : null;
  }
  return null;
}

function width(family: 4 | 6) {
  return family === 4 ? 32 : 128;
}

/** The eight 16-bit groups of a valid IPv6 address (with "::" and a trailing IPv4 expanded). */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail, ...more] = text.split("::");
  if (more.length > 0) return null;
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

let warned = false;
function warnOnce(message: string) {
  if (warned) return;
  warned = true;
  console.warn(message);
}
