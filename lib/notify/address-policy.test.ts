import { describe, expect, it } from "vitest";
import { forbiddenAddressReason, isIpLiteral } from "./address-policy";

describe("forbiddenAddressReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.3.4", "loopback"],
    ["0.0.0.0", "unspecified (this network)"],
    ["10.1.2.3", "private network"],
    ["172.16.0.1", "private network"],
    ["172.31.255.255", "private network"],
    ["192.168.1.10", "private network"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "shared address space (carrier-grade NAT)"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "reserved (including broadcast)"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["[::1]", "loopback"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fd12:3456::1", "unique local (private network)"],
    ["fc00::1", "unique local (private network)"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback (IPv4 inside IPv6)"],
    ["::ffff:7f00:1", "loopback (IPv4 inside IPv6)"],
    ["::ffff:10.0.0.1", "private network (IPv4 inside IPv6)"],
    ["::ffff:169.254.169.254", "link-local (IPv4 inside IPv6)"],
    ["64:ff9b::a9fe:a9fe", "link-local (IPv4 inside IPv6)"],
    ["2002:7f00:1::", "loopback (IPv4 inside 6to4)"],
    ["::127.0.0.1", "reserved (IPv4-compatible)"],
    ["2001:db8::1", "reserved (documentation)"],
    ["4000::1", "reserved"],
    ["not-an-ip", "not an IP address"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each(["93.184.215.14", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:93.184.215.14", "64:ff9b::5db8:d70e"])(
    "allows the public address %s",
    (address) => {
      expect(forbiddenAddressReason(address)).toBeNull();
    },
  );
});

describe("isIpLiteral", () => {
  it("tells literals from hostnames", () => {
    expect(isIpLiteral("127.0.0.1")).toBe(true);
    expect(isIpLiteral("[::1]")).toBe(true);
    expect(isIpLiteral("::ffff:127.0.0.1")).toBe(true);
    expect(isIpLiteral("localhost")).toBe(false);
    expect(isIpLiteral("hooks.example.com")).toBe(false);
    expect(isIpLiteral("0x7f000001")).toBe(false);
  });
});
