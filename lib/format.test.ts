import { describe, expect, it } from "vitest";
import { formatDay, formatWhen } from "./format";

describe("formatWhen", () => {
  it("prints one fixed UTC format whatever the process's time zone", () => {
    expect(formatWhen(new Date("2026-11-29T09:05:00Z"))).toBe("29 Nov 2026, 09:05 UTC");
    expect(formatWhen("2027-01-03T23:59:59.999Z")).toBe("3 Jan 2027, 23:59 UTC");
    expect(formatDay(new Date("2026-02-01T00:00:00Z"))).toBe("1 Feb 2026");
  });
});

describe("audit outcomes in plain words", async () => {
  const { auditOutcomeLabel } = await import("./validations/audit");
  it("turns the stored codes into words, and never shows a raw code for a known one", () => {
    expect(auditOutcomeLabel("token-revoked")).toBe("Access revoked at X");
    expect(auditOutcomeLabel("missing-scopes")).toBe("Permissions missing");
    expect(auditOutcomeLabel("inconclusive")).toBe("Not confirmed");
    expect(auditOutcomeLabel("credentials-rejected")).toBe("X rejects the credentials");
    expect(auditOutcomeLabel("some_new-code")).toBe("Some new code");
  });
});
