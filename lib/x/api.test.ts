// GET /2/users/me against the emulator: the profile, and the users/me rate-limit window X sends
// with every answer (contract §6), on a 200 and on a 429 alike, with the reset as retryAt.
import { describe, expect, it } from "vitest";
import { connect, sharedEmulator, SANDBOX } from "@/e2e/x-emulator/test-helpers";
import { getMe } from "./api";

const emulator = sharedEmulator();
const endpoints = () => ({ authorizeUrl: `${emulator().url}/i/oauth2/authorize`, apiBaseUrl: emulator().apiBaseUrl, timeoutMs: 5_000 });

describe("getMe", () => {
  it("reads the profile and the users/me window (per user, 15 minutes) from the answer", async () => {
    const { access_token } = await connect(emulator());
    const me = await getMe(endpoints(), access_token);
    expect(me).toMatchObject({ ok: true, value: { username: "ada_sandbox" } });
    expect(me.windows).toEqual([{ window: "users-me", limit: 75, remaining: 74, resetAt: expect.any(Date) }]);
    const resetIn = me.windows[0]!.resetAt.getTime() - Date.now();
    expect(resetIn).toBeGreaterThan(890_000);
    expect(resetIn).toBeLessThanOrEqual(901_000);
  });

  it("a 429: rate-limited with X's reset as retryAt, and the spent window", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { rateLimits: { usersMe: { limit: 1, windowSeconds: 900 } } });
    const { access_token } = await connect(emulator());
    const first = await getMe(endpoints(), access_token);
    expect(first.ok).toBe(true);
    const limited = await getMe(endpoints(), access_token);
    expect(limited.ok).toBe(false);
    const failure = !limited.ok ? limited.failure : null;
    expect(failure).toMatchObject({ kind: "transient", reason: "rate-limited", status: 429 });
    expect(limited.windows).toEqual([{ window: "users-me", limit: 1, remaining: 0, resetAt: first.windows[0]!.resetAt }]);
    expect((failure as { retryAt?: Date }).retryAt).toEqual(first.windows[0]!.resetAt);
  });

  it("no answer, no window: a refused connection is transient with nothing to record", async () => {
    const me = await getMe({ authorizeUrl: "http://127.0.0.1:9/x", apiBaseUrl: "http://127.0.0.1:9", timeoutMs: 2_000 }, "token");
    expect(me).toMatchObject({ ok: false, failure: { kind: "transient", reason: "unreachable" }, windows: [] });
  });
});
