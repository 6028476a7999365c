import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "./csp";
import { formatViolation, summariseCspReports } from "./csp-report";

describe("contentSecurityPolicy", () => {
  const policy = (dev = false) => contentSecurityPolicy({ nonce: "abc", dev, xAuthorizeUrl: "https://x.com/i/oauth2/authorize", imageOrigins: ["http://127.0.0.1:4010/x"] });
  it("is strict in production and lets forms end at X", () => {
    expect(policy()).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'; ");
    expect(policy()).not.toContain("unsafe-eval");
    expect(policy()).toContain("form-action 'self' https://x.com;");
    expect(policy()).toContain("frame-ancestors 'none'");
    expect(policy()).toContain("object-src 'none'");
    expect(policy()).toContain("base-uri 'self'");
    expect(policy()).toContain("img-src 'self' data: blob: https: http://127.0.0.1:4010;");
    expect(policy(true)).toContain("'unsafe-eval'");
  });
  it("makes a new nonce every time", () => {
    expect(newNonce()).not.toBe(newNonce());
    expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("CSP reports", () => {
  it("reads both formats and keeps secrets out of the log line", () => {
    const secretPage = `https://k.example/connect/${"T".repeat(43)}?code=SECRET#x`;
    const legacy = { "csp-report": { "document-uri": secretPage, "effective-directive": "script-src-elem", "blocked-uri": "inline", "script-sample": "SECRET" } };
    const modern = [{ type: "csp-violation", body: { documentURL: "https://k.example/brands?x=SECRET", effectiveDirective: "img-src", blockedURL: "https://evil.example/a?t=SECRET", disposition: "enforce" } }, { type: "deprecation", body: {} }];
    const lines = [...summariseCspReports(legacy), ...summariseCspReports(modern)].map(formatViolation);
    expect(lines).toEqual(["[csp] blocked inline (script-src-elem) on /connect/:token", "[csp] blocked https://evil.example (img-src) on /brands"]);
    expect(summariseCspReports("nonsense")).toEqual([]);
    expect(summariseCspReports({ "csp-report": { "effective-directive": "x\ny" } })[0]).toMatchObject({ directive: "unknown", page: "unknown" });
  });
});
