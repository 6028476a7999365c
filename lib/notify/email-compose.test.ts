import { describe, expect, it } from "vitest";
import { digestEmail, incidentEmail } from "./email-compose";

const account = (username: string, brand = "Lantern") => ({
  account: { username, name: username.toUpperCase() },
  brand: { id: "b1", name: brand },
  reason: "token-revoked",
  reasonText: "Access revoked at X",
  since: "2026-11-29T08:00:00.000Z",
  links: { brand: "https://keyport.example/brands/b1", connections: "https://keyport.example/admin/connections" },
});

describe("incident emails", () => {
  it("escape what people typed (a brand name) in HTML and keep the subject on one line", () => {
    const email = incidentEmail({ workspaceName: "Acme", publicUrl: "https://keyport.example", event: "account.needs_reconnect", accounts: [account("ada", '<img src=x onerror=alert(1)>\r\nBcc: x@evil')], accountCount: 1, rejected: null });
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain("Reconnect it: https://keyport.example/brands/b1");
  });

  it("list at most twenty accounts of a bulk incident and count the rest", () => {
    const accounts = Array.from({ length: 20 }, (_, i) => account(`user${i}`));
    const email = incidentEmail({ workspaceName: "Acme", publicUrl: "https://keyport.example", event: "account.needs_reconnect", accounts, accountCount: 1234, rejected: null });
    expect(email.subject).toBe("[Keyport] 1,234 X accounts need reconnecting — Access revoked at X");
    expect(email.text).toContain("- @user19 (Lantern)");
    expect(email.text).toContain("- and 1,214 more");
    expect(email.text).toContain("https://keyport.example/admin/connections?reason=token-revoked");
  });
});

describe("the digest", () => {
  it("says how many need what, oldest first, with the way to the list", () => {
    const email = digestEmail({
      workspaceName: "Acme",
      publicUrl: "https://keyport.example",
      needsReconnect: 1,
      degraded: 0,
      reasons: [{ label: "Access revoked at X", count: 1 }],
      oldest: [{ username: "ada", brandName: "Lantern", reason: "Access revoked at X", since: new Date("2026-11-28T10:00:00Z") }],
      day: "2026-11-29",
    });
    expect(email.subject).toBe("[Keyport] Daily summary: 1 X account needs attention (1 to reconnect)");
    expect(email.text).toContain("- @ada (Lantern) — Access revoked at X, since 2026-11-28 10:00 UTC");
    expect(email.html).toContain('href="https://keyport.example/admin/connections"');
  });
});
