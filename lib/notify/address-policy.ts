// Which IP addresses a webhook may be sent to. A webhook URL is chosen by a workspace admin, so
// without this check Keyport would POST from inside the operator's network to anything it can
// reach (a cloud metadata service, a database admin page): server-side request forgery. The check
// runs on the address a hostname resolves to at send time, so DNS rebinding cannot get around it.
// Pure functions, no I/O: unit-tested beside this file.
import { isIPv4, isIPv6 } from "node:net";

type Range = readonly [prefix: string, bits: number, label: string];

// Everything that is not the public Internet (RFC 6890 special-purpose registries).
const V4: readonly Range[] = [
  ["0.0.0.0", 8, "unspecified (this network)"],
  ["10.0.0.0", 8, "private network"],
  ["100.64.0.0", 10, "shared address space (carrier-grade NAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private network"],
  ["192.0.0.0", 24, "reserved (IETF protocol assignments)"],
  ["192.0.2.0", 24, "reserved (documentation)"],
  ["192.88.99.0", 24, "reserved (6to4 relay)"],
  ["192.168.0.0", 16, "private network"],
  ["198.18.0.0", 15, "reserved (benchmarking)"],
  ["198.51.100.0", 24, "reserved (documentation)"],
  ["203.0.113.0", 24, "reserved (documentation)"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved (including broadcast)"],
];

const V6: readonly Range[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["::", 96, "reserved (IPv4-compatible)"],
  ["64:ff9b:1::", 48, "reserved (local-use NAT64)"],
  ["100::", 64, "reserved (discard)"],
  ["2001::", 32, "reserved (Teredo tunnel)"],
  ["2001:db8::", 32, "reserved (documentation)"],
  ["fc00::", 7, "unique local (private network)"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local (private network)"],
  ["ff00::", 8, "multicast"],
];

/**
 * Why Keyport must not send to this address (e.g. "loopback"), or null when it is a public
 * address. Unparseable input is refused too. IPv4 addresses carried inside IPv6 (IPv4-mapped
 * ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they carry.
 */
export function forbiddenAddressReason(address: string): string | null {
  const text = address.trim().replace(/^\[(.*)\]$/, "$1");
  if (isIPv4(text)) return v4Reason(v4Bytes(text));
  const groups = v6Groups(text);
  if (!groups) return "not an IP address";
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  // IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96): the IPv4 address in the last 32 bits.
  if (inRange(bytes, v6Bytes("::ffff:0:0"), 96) || inRange(bytes, v6Bytes("64:ff9b::"), 96)) {
    const reason = v4Reason(bytes.slice(12));
    return reason ? `${reason} (IPv4 inside IPv6)` : null;
  }
  // 6to4 (2002::/16): the IPv4 address in bits 16–48.
  if (inRange(bytes, v6Bytes("2002::"), 16)) {
    const reason = v4Reason(bytes.slice(2, 6));
    return reason ? `${reason} (IPv4 inside 6to4)` : null;
  }
  for (const [prefix, bits, label] of V6) if (inRange(bytes, v6Bytes(prefix), bits)) return label;
  // Only 2000::/3 is allocated for global unicast; the rest of the space is reserved.
  if (!inRange(bytes, v6Bytes("2000::"), 3)) return "reserved";
  return null;
}

/** True for a literal IP address (with or without IPv6 brackets), as opposed to a hostname. */
export function isIpLiteral(host: string): boolean {
  const text = host.replace(/^\[(.*)\]$/, "$1");
  return isIPv4(text) || isIPv6(text.split("%")[0]!);
}

function v4Reason(bytes: number[]): string | null {
  for (const [prefix, bits, label] of V4) if (inRange(bytes, v4Bytes(prefix), bits)) return label;
  return null;
}

function inRange(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((bytes[byte]! & mask) !== (prefix[byte]! & mask)) return false;
  }
  return true;
}

function v4Bytes(text: string): number[] {
  return text.split(".").map(Number);
}

function v6Bytes(text: string): number[] {
  return v6Groups(text)!.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, dotted IPv4 tail folded in), or null. */
function v6Groups(input: string): number[] | null {
  const text = input.split("%")[0]!;
  if (!isIPv6(text)) return null;
  let body = text;
  const lastColon = body.lastIndexOf(":");
  const tail = body.slice(lastColon + 1);
  if (tail.includes(".")) {
    if (!isIPv4(tail)) return null;
    const [a, b, c, d] = v4Bytes(tail) as [number, number, number, number];
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
