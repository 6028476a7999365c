// The sign-in throttle under load: the counters are taken before any password is checked, so a
// burst of simultaneous guesses gets no more checks than the limit allows, on either database.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { authorizeCredentials } from "@/lib/auth-credentials";
import { EMAIL_LIMIT, IP_LIMIT, signInSucceeded, takeSignInAttempt } from "@/lib/auth-throttle";
import { db } from "@/lib/db";
import { makeUser } from "./helpers";

// The real verifier, counted: how many passwords were actually checked is what an attacker gets.
const verifier = vi.hoisted(() => ({ calls: 0 }));
vi.mock("@/lib/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/password")>();
  return {
    ...real,
    verifyPassword: async (...args: Parameters<typeof real.verifyPassword>) => {
      verifier.calls++;
      return real.verifyPassword(...args);
    },
  };
});

const RIGHT = "test password 123"; // what makeUser sets

let warn: ReturnType<typeof spyWarn>;
const spyWarn = () => vi.spyOn(console, "warn").mockImplementation(() => {});
beforeEach(() => {
  verifier.calls = 0;
  warn = spyWarn();
  return () => warn.mockRestore();
});

describe("sign-in throttle under a burst", () => {
  it("100 simultaneous guesses for one email from one address: at most the limit are checked, then even the right password is refused", async () => {
    await makeUser("burst@test.dev");
    const attempts = Array.from({ length: 100 }, (_, i) =>
      authorizeCredentials({ email: "burst@test.dev", password: i === 79 ? RIGHT : `wrong guess ${i}` }, "198.51.100.1"),
    );
    const outcomes = await Promise.all(attempts);

    expect(verifier.calls).toBeLessThanOrEqual(EMAIL_LIMIT);
    const checked = outcomes.filter((o) => o.ok || o.reason === "rejected");
    expect(checked.length).toBe(verifier.calls);
    expect(outcomes.filter((o) => !o.ok && o.reason === "locked").length).toBe(100 - verifier.calls);
    // The right password only wins if it happened to be among the few that were checked.
    const winner = outcomes[79]!;
    if (winner.ok) expect(verifier.calls).toBeGreaterThan(0);

    // Whatever happened in the burst, wrong guesses alone have now used up the limit.
    if (!winner.ok) {
      verifier.calls = 0;
      const after = await authorizeCredentials({ email: "burst@test.dev", password: RIGHT }, "198.51.100.2");
      expect(after).toMatchObject({ ok: false, reason: "locked" });
      expect(after.ok === false && after.reason === "locked" && after.retryAfterSeconds).toBeGreaterThan(800);
      expect(verifier.calls).toBe(0);
    }
  });

  it("a burst of wrong guesses only: exactly the limit are checked, and the right password afterwards is refused unchecked", async () => {
    await makeUser("burst2@test.dev");
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => authorizeCredentials({ email: "burst2@test.dev", password: `guess ${i}` }, "198.51.100.3")),
    );
    expect(verifier.calls).toBe(EMAIL_LIMIT);
    expect(outcomes.filter((o) => !o.ok && o.reason === "rejected")).toHaveLength(EMAIL_LIMIT);
    expect(outcomes.filter((o) => !o.ok && o.reason === "locked")).toHaveLength(100 - EMAIL_LIMIT);

    verifier.calls = 0;
    expect(await authorizeCredentials({ email: "burst2@test.dev", password: RIGHT }, "198.51.100.4")).toMatchObject({ ok: false, reason: "locked" });
    expect(verifier.calls).toBe(0);
  });

  it("one address spraying many emails at once gets at most its limit of checks", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => authorizeCredentials({ email: `spray${i}@test.dev`, password: "guess" }, "203.0.113.50")),
    );
    expect(verifier.calls).toBe(IP_LIMIT);
    expect(outcomes.filter((o) => !o.ok && o.reason === "locked")).toHaveLength(100 - IP_LIMIT);
    // Another address is unaffected.
    expect(await authorizeCredentials({ email: "spray0@test.dev", password: "guess" }, "203.0.113.51")).toMatchObject({ ok: false, reason: "rejected" });
  });

  it("a success gives its attempt back: signing in again and again never locks anyone out", async () => {
    await makeUser("regular@test.dev");
    for (let i = 0; i < EMAIL_LIMIT + 3; i++) {
      expect(await authorizeCredentials({ email: "regular@test.dev", password: RIGHT }, "192.0.2.10")).toMatchObject({ ok: true });
    }
    // Failures before a success are forgiven too, as before.
    for (let i = 0; i < EMAIL_LIMIT - 1; i++) {
      expect(await authorizeCredentials({ email: "regular@test.dev", password: "typo" }, "192.0.2.10")).toMatchObject({ reason: "rejected" });
    }
    expect(await authorizeCredentials({ email: "regular@test.dev", password: RIGHT }, "192.0.2.10")).toMatchObject({ ok: true });
    expect(await authorizeCredentials({ email: "regular@test.dev", password: "typo" }, "192.0.2.10")).toMatchObject({ reason: "rejected" });
    const rows = await db.rateLimit.findMany({ where: { key: { contains: "192.0.2.10" } } });
    // Nine successes and five failures from this address: only the failures count against it.
    expect(rows.map((r) => r.points)).toEqual([EMAIL_LIMIT]);
  });

  it("bad input is refused before any counter or check", async () => {
    expect(await authorizeCredentials({ email: "not an email", password: "x" }, "192.0.2.99")).toEqual({ ok: false, reason: "invalid" });
    expect(await authorizeCredentials("nonsense", "192.0.2.99")).toEqual({ ok: false, reason: "invalid" });
    expect(verifier.calls).toBe(0);
    expect(await db.rateLimit.count({ where: { key: { contains: "192.0.2.99" } } })).toBe(0);
  });
});

describe("sign-in throttle counters", () => {
  it("slow down after a few attempts, lock at the limit (for any spelling of the email), and a success clears the email's count", async () => {
    const email = "target@test.dev";
    for (let i = 0; i < 3; i++) expect(await takeSignInAttempt(email, "10.0.0.1")).toEqual({ allowed: true, delayMs: 0 });
    expect(await takeSignInAttempt(email, "10.0.0.1")).toEqual({ allowed: true, delayMs: 1000 });
    expect(await takeSignInAttempt(email, "10.0.0.2")).toEqual({ allowed: true, delayMs: 2000 });
    const locked = await takeSignInAttempt(email, "10.9.9.9");
    expect(locked.allowed).toBe(false);
    if (!locked.allowed) expect(locked.retryAfterSeconds).toBeGreaterThan(800);
    expect((await takeSignInAttempt(" TARGET@test.dev ", "10.9.9.9")).allowed).toBe(false);
    await signInSucceeded(email, "10.0.0.1");
    expect(await takeSignInAttempt(email, "10.9.9.9")).toEqual({ allowed: true, delayMs: 0 });
  });

  it("lock an address that sprays many emails, and count an IPv6 client per /64", async () => {
    for (let i = 0; i < IP_LIMIT; i++) expect((await takeSignInAttempt(`spray${i}@test.dev`, "203.0.113.7")).allowed).toBe(true);
    expect((await takeSignInAttempt("fresh@test.dev", "203.0.113.7")).allowed).toBe(false);
    expect((await takeSignInAttempt("fresh@test.dev", "203.0.113.8")).allowed).toBe(true);

    for (let i = 0; i < IP_LIMIT; i++) await takeSignInAttempt(`v6-${i}@test.dev`, `2001:db8:7:7::${(i + 1).toString(16)}`);
    expect((await takeSignInAttempt("v6-fresh@test.dev", "2001:db8:7:7:ffff::1")).allowed).toBe(false);
    expect((await takeSignInAttempt("v6-fresh@test.dev", "2001:db8:7:8::1")).allowed).toBe(true);
  });

  it("each failure leaves one structured line: outcome, a keyed hash of the email, the address; never the email or password", async () => {
    await makeUser("logged@test.dev");
    await authorizeCredentials({ email: "Logged@Test.dev", password: "hunter2 wrong" }, "192.0.2.77");
    await authorizeCredentials({ email: "nobody@test.dev", password: "hunter2 wrong" }, "192.0.2.77");
    await authorizeCredentials({ email: "logged@test.dev", password: RIGHT }, "192.0.2.77");
    const lines = warn.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(2);
    const [wrong, unknown] = lines.map((l) => JSON.parse(/^\[auth\] sign-in failed (\{.*\})$/.exec(l)![1]!));
    expect(wrong).toEqual({ outcome: "wrong-password", email: expect.stringMatching(/^[0-9a-f]{16}$/), ip: "192.0.2.77" });
    expect(unknown).toMatchObject({ outcome: "unknown-email", ip: "192.0.2.77" });
    expect(unknown.email).not.toBe(wrong.email);
    for (const line of lines) expect(line).not.toMatch(/logged@|nobody@|hunter2/i);
  });
});
