import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { addressKey, clientAddress, clientIp, installPeerStamp, normalizeAddress, parseTrustedProxies } from "./request-ip";

const none = parseTrustedProxies(undefined);

describe("clientAddress: the right-most untrusted hop", () => {
  it("trusting nobody, the socket (right-most, stamped by the server) is the client, whatever the client sent", () => {
    expect(clientAddress("198.51.100.7", none)).toBe("198.51.100.7");
    expect(clientAddress("1.1.1.1, 2.2.2.2, 198.51.100.7", none)).toBe("198.51.100.7");
    expect(clientAddress("spoofed, 198.51.100.7", none)).toBe("198.51.100.7");
  });

  it("a hop count skips that many proxies from the right", () => {
    const one = parseTrustedProxies("1");
    expect(one).toEqual({ kind: "hops", hops: 1 });
    // client-sent junk, what our proxy saw, the proxy itself (the socket)
    expect(clientAddress("6.6.6.6, 203.0.113.9, 10.0.0.2", one)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9, 10.0.0.5, 10.0.0.2", parseTrustedProxies("2"))).toBe("203.0.113.9");
    // Fewer hops than configured: the farthest one there is.
    expect(clientAddress("10.0.0.2", parseTrustedProxies("3"))).toBe("10.0.0.2");
    expect(parseTrustedProxies("0")).toEqual({ kind: "none" });
  });

  it("a CIDR list skips trusted hops from the right and stops at the first untrusted one", () => {
    const trust = parseTrustedProxies("10.0.0.0/8, 192.168.1.1, fd00::/8");
    expect(clientAddress("203.0.113.9, 10.0.0.2", trust)).toBe("203.0.113.9");
    expect(clientAddress("6.6.6.6, 203.0.113.9, 192.168.1.1, 10.1.2.3", trust)).toBe("203.0.113.9");
    expect(clientAddress("2001:db8::5, fd12::1", trust)).toBe("2001:db8::5");
    // A direct connection from outside the list is the client, whatever it claims.
    expect(clientAddress("10.0.0.7, 198.51.100.7", trust)).toBe("198.51.100.7");
    // All trusted: the left-most.
    expect(clientAddress("10.0.0.3, 10.0.0.2", trust)).toBe("10.0.0.3");
    // 192.168.1.2 is not 192.168.1.1/32.
    expect(clientAddress("203.0.113.9, 192.168.1.2", trust)).toBe("192.168.1.2");
  });

  it("IPv4-mapped IPv6 sockets are IPv4; ports and brackets are dropped", () => {
    const trust = parseTrustedProxies("127.0.0.1");
    expect(clientAddress("203.0.113.9, ::ffff:127.0.0.1", trust)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:203.0.113.9", none)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9:51234, 127.0.0.1", trust)).toBe("203.0.113.9");
    expect(clientAddress("[2001:DB8::1]:443, 127.0.0.1", trust)).toBe("2001:db8::1");
    expect(clientAddress("10.9.9.9, ::ffff:10.0.0.1", parseTrustedProxies("::ffff:10.0.0.0/104"))).toBe("10.9.9.9");
  });

  it("garbage where the client should be never becomes a fresh address: the nearest real hop stands in", () => {
    const trust = parseTrustedProxies("10.0.0.0/8");
    expect(clientAddress("not-an-ip, 10.0.0.2", trust)).toBe("10.0.0.2");
    expect(clientAddress("unknown, 10.0.0.2", parseTrustedProxies("1"))).toBe("10.0.0.2");
    expect(clientAddress("", none)).toBe("unknown");
    expect(clientAddress(null, none)).toBe("unknown");
  });
});

describe("parseTrustedProxies", () => {
  it.each(["10.0.0.0/33", "fd00::/129", "10.0.0.0/8/2", "example.com", "10.0.0.0/8,,", "1.2.3.4:80", "21", "-1", "10.0.0/8"])(
    "refuses %s with a message naming it",
    (value) => {
      expect(() => parseTrustedProxies(value)).toThrow(/between 0 and 20|is not an IPv4 or IPv6 address or CIDR range/);
    },
  );

  it("accepts IPv4 and IPv6 addresses and ranges", () => {
    const trust = parseTrustedProxies(" 10.0.0.0/8 ,2001:db8::/32, ::1 ");
    expect(trust.kind).toBe("ranges");
    expect(clientAddress("198.51.100.1, ::1", trust)).toBe("198.51.100.1");
    expect(clientAddress("198.51.100.1, 2001:db8:ffff::1", trust)).toBe("198.51.100.1");
    expect(clientAddress("198.51.100.1, 2001:db9::1", trust)).toBe("2001:db9::1");
  });
});

describe("addressKey", () => {
  it("counts IPv4 per address and IPv6 per /64, however the address is written", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("unknown")).toBe("unknown");
  });

  it("normalizeAddress refuses what is not an address", () => {
    expect(normalizeAddress("1.2.3")).toBeNull();
    expect(normalizeAddress("::ffff:1.2.3.4")).toBe("1.2.3.4");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
  });
});

describe("the peer stamp", () => {
  it("appends the socket address to whatever X-Forwarded-For the client sent, so the right-most hop is always the socket", async () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6" }), none)).toBe("unknown"); // not installed yet
    installPeerStamp();
    installPeerStamp(); // once per process, however often called
    const server = createServer((req, res) => {
      const headers = new Headers(req.headers as Record<string, string>);
      res.end(JSON.stringify({ chain: req.headers["x-forwarded-for"], ip: clientIp(headers, none) }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const spoofed = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-forwarded-for": "6.6.6.6, 7.7.7.7" } })).json();
      expect(spoofed).toEqual({ chain: "6.6.6.6, 7.7.7.7, 127.0.0.1", ip: "127.0.0.1" });
      const plain = await (await fetch(`http://127.0.0.1:${port}/`)).json();
      expect(plain).toEqual({ chain: "127.0.0.1", ip: "127.0.0.1" });
    } finally {
      server.close();
    }
  });
});
