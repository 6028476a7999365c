// Which post texts count as "with a URL" for billing (links.ts explains the rules chosen).
import { describe, expect, it } from "vitest";
import { containsUrl } from "./links";

describe("containsUrl", () => {
  it.each([
    "https://example.com",
    "see http://example.com/menu?day=mon.",
    "HTTPS://EXAMPLE.COM",
    "https://example.museum (any TLD with a scheme)",
    "https://blog.example.de:8443/x",
    "example.com",
    "Find us at bluelantern.cafe.example.org!",
    "www.example.de",
    "example.de/menu",
    "example.co",
    "watch example.tv tonight",
    "(example.com)",
    "“example.com”",
    "new post: keyport.app",
  ])("a link: %s", (text) => {
    expect(containsUrl(text)).toBe(true);
  });

  it.each([
    "Plain words only.",
    "",
    "write to ada@example.com",
    "config.py and node.js and e.g. i.e.",
    "example.de",
    "example.museum without a scheme",
    "http://localhost:3000/x",
    "http://127.0.0.1/x",
    "$example.com #example.com",
    "_example.com -example.com /example.com",
    "nothttps://example.org glued to a word",
    "example.comx",
    "3.14 and v1.2.3",
  ])("no link: %s", (text) => {
    expect(containsUrl(text)).toBe(false);
  });
});
