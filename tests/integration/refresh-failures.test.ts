// What each way a refresh can fail does to the account (issue 8 §1 "Failure classes"; contract §4,
// §6, §7), against the X emulator: each class recorded with its reason, X's raw error and the time;
// only the grant's or the app's own refusal (confirmed) ever asks for a reconnect.
import { beforeEach, describe, expect, it } from "vitest";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { checkAccount } from "@/lib/connections/verify";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { agency, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
const TOKEN = "/2/oauth2/token";
const INVALID_TOKEN = "400 invalid_request: Value passed for the token was invalid.";
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await ctx.emu.control.setSwitches({ secretRegenRevokesGrants: false, reuseRevokesFamily: true });
  app ??= await newApp(ctx.emu);
});

async function connected(options: { app?: App; a?: Awaited<ReturnType<typeof agency>>; user?: string } = {}) {
  const a = options.a ?? (await agency(options.app ?? app));
  if (options.a) {
    const brand = await db.brand.create({ data: { workspaceId: a.workspaceId, name: `More ${Date.now()}`, nameKey: `more ${Date.now()}` } });
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: brand.id }, { userId: options.user ?? X_USERS.blue });
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: brand.id } });
    return { ...a, account };
  }
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: options.user ?? X_USERS.ada });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
  await ctx.emu.control.clearRequests();
  return { ...a, account };
}

const due = (accountId: string) => db.connectedAccount.update({ where: { id: accountId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1_000) } });
const row = (accountId: string) => db.connectedAccount.findUniqueOrThrow({ where: { id: accountId } });
const refreshCalls = async () => (await ctx.emu.control.requests({ path: TOKEN })).filter((r) => r.grantType === "refresh_token");
/** Status changes after the connect (which is the first event). */
const events = (accountId: string) => db.connectionEvent.findMany({ where: { accountId, fromStatus: { not: null } }, orderBy: { createdAt: "asc" } });
const notifications = (workspaceId: string, event: string) => db.notification.count({ where: { workspaceId, event } });

describe("the grant refused (400)", () => {
  it("user revoked the app at X: needs reconnect, with X's answer and the time on the account and in its history", async () => {
    const a = await connected();
    await due(a.account.id);
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    const before = Date.now();
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "needs-reconnect", reconnectReason: "refresh-failing" });
    const after = await row(a.account.id);
    expect(after).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "refresh-failing", lastXError: INVALID_TOKEN });
    expect(after.lastXErrorAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(await events(a.account.id)).toMatchObject([{ fromStatus: "ACTIVE", toStatus: "NEEDS_RECONNECT", reason: "refresh-failing", xError: INVALID_TOKEN, actorName: "Keyport" }]);
    expect(await notifications(a.workspaceId, "account.needs_reconnect")).toBe(1);
  });
});

describe("the app's credentials refused (401)", () => {
  for (const secretRegenRevokesGrants of [false, true]) {
    it(`secret regenerated at X (secretRegenRevokesGrants=${secretRegenRevokesGrants}): re-tested, then the credential and all its accounts marked once`, async () => {
      await ctx.emu.control.setSwitches({ secretRegenRevokesGrants });
      const own = await newApp(ctx.emu, "Regenerated");
      const a = await connected({ app: own });
      const b = await connected({ a, user: X_USERS.north });
      await due(a.account.id);
      await ctx.emu.control.clearRequests();
      await ctx.emu.control.regenerateSecret(own.clientId);
      expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "needs-reconnect", reconnectReason: "app-credentials" });
      // The probe ("Test credentials") confirmed it before anything was marked.
      const calls = await ctx.emu.control.requests({ path: TOKEN });
      expect(calls.map((c) => [c.grantType, c.status])).toEqual([
        ["refresh_token", 401],
        ["authorization_code", 401],
      ]);
      const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
      expect(credential).toMatchObject({ rejectedReason: "credentials-rejected", rejectedXError: expect.stringMatching(/^401 unauthorized_client/) });
      expect(credential.rejectedAt).not.toBeNull();
      for (const id of [a.account.id, b.account.id]) expect(await row(id)).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "app-credentials" });
      // Once: the other account's next refresh (its token due too) announces nothing new.
      await due(b.account.id);
      expect(await getValidAccessToken(a.workspaceId, b.account.id)).toMatchObject({ ok: false, reason: "not-active" });
      expect(await notifications(a.workspaceId, "credentials.rejected")).toBe(1);
      expect(await notifications(a.workspaceId, "account.needs_reconnect")).toBe(2);
    });
  }

  it("one spurious 401 while the credentials are fine: transient, nothing marked, and the next refresh works", async () => {
    const a = await connected();
    await due(a.account.id);
    await ctx.emu.control.injectFault({ path: TOKEN, method: "POST", status: 401, body: { error: "unauthorized_client", error_description: "Missing valid authorization header" }, times: 1 });
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: false, reason: "transient", xError: "401 unauthorized_client: Missing valid authorization header" });
    // The faulted refresh, then the probe: X checked the credentials and only disliked the made-up code.
    const calls = await ctx.emu.control.requests({ path: TOKEN });
    expect(calls.map((c) => c.status)).toEqual([401, 400]);
    expect(calls[1]!.grantType).toBe("authorization_code");
    expect(await row(a.account.id)).toMatchObject({ status: "ACTIVE", statusReason: null, failureCount: 1 });
    expect(await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } })).toMatchObject({ rejectedAt: null });
    expect(await db.notification.count({ where: { workspaceId: a.workspaceId } })).toBe(0);
    expect((await getValidAccessToken(a.workspaceId, a.account.id)).ok).toBe(true);
    expect(await row(a.account.id)).toMatchObject({ status: "ACTIVE", failureCount: 0, failingSince: null });
  });
});

describe("rate-limited (429)", () => {
  it("remembers X's reset on the account and the app, returns when to retry, and never asks for a reconnect", async () => {
    const a = await connected();
    await due(a.account.id);
    const reset = Math.floor(Date.now() / 1000) + 600;
    await ctx.emu.control.injectFault({
      path: TOKEN,
      method: "POST",
      status: 429,
      body: { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 },
      headers: { "x-rate-limit-reset": String(reset), "x-rate-limit-remaining": "0", "x-rate-limit-limit": "75" },
      times: 1,
    });
    const result = await getValidAccessToken(a.workspaceId, a.account.id);
    expect(result).toMatchObject({ ok: false, reason: "transient", transient: "rate-limited", retryAt: new Date(reset * 1000) });
    expect(await row(a.account.id)).toMatchObject({ status: "ACTIVE", rateLimitedUntil: new Date(reset * 1000), failureCount: 0, lastXError: "429 Too Many Requests: Too Many Requests" });
    expect(await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } })).toMatchObject({ rateLimitedUntil: new Date(reset * 1000), rejectedAt: null });
    expect(await events(a.account.id)).toEqual([]);
    // "Check now" says X answered, and when Keyport tries again — not that X could not be reached.
    await ctx.emu.control.injectFault({ path: TOKEN, method: "POST", status: 429, headers: { "x-rate-limit-reset": String(reset) }, times: 1 });
    const check = await checkAccount(a.workspaceId, a.account.id);
    // …and carries X's reset, so the sweep waits until then (lib/connections/sweep.ts).
    expect(check).toMatchObject({ status: "unknown", rateLimited: "app", retryAt: new Date(reset * 1000) });
    const why = (check as { why: string }).why;
    expect(why).toMatch(/X answered that this app is rate-limited/);
    expect(why).toContain(new Date(reset * 1000).toISOString().slice(11, 16));
    expect(why).not.toMatch(/could not be reached/);
  });
});

describe("X failing (5xx, timeouts)", () => {
  const unavailable = { status: 503, body: { title: "Service Unavailable", detail: "Service Unavailable", status: 503 } };

  it("a run of failures: tokens kept; DEGRADED only after KEYPORT_DEGRADED_AFTER_FAILURES failures spanning KEYPORT_DEGRADED_AFTER_HOURS; the first success brings it back", async () => {
    const a = await connected();
    await due(a.account.id);
    const original = await row(a.account.id);
    await ctx.emu.control.injectFault({ path: TOKEN, method: "POST", ...unavailable });
    // Three failures within minutes: counted, not yet a long run.
    for (let i = 1; i <= env.KEYPORT_DEGRADED_AFTER_FAILURES; i++) {
      expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: false, reason: "transient", transient: "server-error", xError: "503 Service Unavailable: Service Unavailable" });
    }
    let now = await row(a.account.id);
    expect(now).toMatchObject({ status: "ACTIVE", failureCount: 3, refreshTokenSealed: original.refreshTokenSealed });
    expect(now.failingSince).not.toBeNull();
    // "Check now" while X answers 503: X answered, busy — not "could not be reached".
    const check = await checkAccount(a.workspaceId, a.account.id);
    expect((check as { why: string }).why).toMatch(/X answered with a server error .*503/);
    expect((check as { why: string }).why).not.toMatch(/could not be reached/);
    // The run started more than the configured hours ago: the next failure makes it DEGRADED.
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { failingSince: new Date(Date.now() - (env.KEYPORT_DEGRADED_AFTER_HOURS + 1) * 3_600_000) } });
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: false, reason: "transient" });
    now = await row(a.account.id);
    expect(now).toMatchObject({ status: "DEGRADED", statusReason: "x-unavailable", failureCount: 5, refreshTokenSealed: original.refreshTokenSealed });
    expect(await notifications(a.workspaceId, "account.degraded")).toBe(1);
    // Still failing: no second incident.
    expect((await getValidAccessToken(a.workspaceId, a.account.id)).ok).toBe(false);
    expect(await notifications(a.workspaceId, "account.degraded")).toBe(1);
    // X is back: the same refresh token works, the account is ACTIVE, the counters start over.
    await ctx.emu.control.clearFaults();
    expect((await getValidAccessToken(a.workspaceId, a.account.id)).ok).toBe(true);
    expect(await row(a.account.id)).toMatchObject({ status: "ACTIVE", statusReason: null, failureCount: 0, failingSince: null });
    expect(await notifications(a.workspaceId, "account.recovered")).toBe(1);
    expect((await events(a.account.id)).map((e) => `${e.fromStatus}->${e.toStatus}`)).toEqual(["ACTIVE->DEGRADED", "DEGRADED->ACTIVE"]);
    expect(await notifications(a.workspaceId, "account.needs_reconnect")).toBe(0);
  });

  it("a long span with fewer failures than the threshold stays ACTIVE", async () => {
    const a = await connected();
    await due(a.account.id);
    await ctx.emu.control.injectFault({ path: TOKEN, method: "POST", ...unavailable });
    await getValidAccessToken(a.workspaceId, a.account.id);
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { failingSince: new Date(Date.now() - 48 * 3_600_000) } });
    for (let i = 2; i < env.KEYPORT_DEGRADED_AFTER_FAILURES; i++) await getValidAccessToken(a.workspaceId, a.account.id);
    expect(await row(a.account.id)).toMatchObject({ status: "ACTIVE", failureCount: env.KEYPORT_DEGRADED_AFTER_FAILURES - 1 });
  });
});

describe("a lost reply on a refresh", () => {
  for (const reuseRevokesFamily of [true, false]) {
    it(`X rotated the token but the answer never came (reuseRevokesFamily=${reuseRevokesFamily}): transient first, then needs reconnect as "refresh-lost"`, async () => {
      // What happens, honestly: X took the refresh and rotated the refresh token; the new pair was
      // lost with the reply. Keyport keeps the old pair (it cannot know) and says "transient". The
      // next refresh presents the old token, X refuses it — the chain is broken at X and only a
      // reconnect helps. The reason names the lost reply, so nobody blames the account owner.
      await ctx.emu.control.setSwitches({ reuseRevokesFamily });
      const own = await newApp(ctx.emu, "Lost reply");
      const a = await connected({ app: own });
      await due(a.account.id);
      await ctx.emu.control.injectFault({ path: TOKEN, method: "POST", loseReply: true, times: 1 });
      expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: false, reason: "transient", transient: "unreachable" });
      expect(await row(a.account.id)).toMatchObject({ status: "ACTIVE", failureCount: 1, lastXError: expect.stringMatching(/^no reply from X/) });
      expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "needs-reconnect", reconnectReason: "refresh-lost" });
      expect(await row(a.account.id)).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "refresh-lost", lastXError: INVALID_TOKEN });
      const calls = await refreshCalls();
      expect(calls.map((c) => c.status)).toEqual([null, 400]);
      const [grant] = await ctx.emu.control.grants({ clientId: own.clientId, userId: X_USERS.ada });
      expect(grant!.revoked).toBe(reuseRevokesFamily);
    });
  }
});
