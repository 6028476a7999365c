// The health sweep against the emulator (both databases): healthy accounts cost nothing, a due
// account is proven by one unbilled refresh and not again until the next interval, a grant revoked
// at X ends NEEDS_RECONNECT with its reason, a queued "check now" and the weekly profile read are
// the only billed calls, a 429 postpones the account and its app, and the per-app pacing holds.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { rateWindowsForApps } from "@/lib/connections/quota";
import { runSweepPass } from "@/lib/connections/sweep";
import { extendClaims } from "@/lib/connections/sweep-claim";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { agency, CALLBACK, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";
import { seedAccounts } from "./support/sweep-seed";

const ctx = emulatorForThisFile();
let app: App;
const HOUR = 3_600_000;
const TOO_MANY = { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 };

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  app ??= await newApp(ctx.emu);
  Object.assign(env, { KEYPORT_SWEEP_APP_CONCURRENCY: 4, KEYPORT_SWEEP_PROFILE_DAYS: 7, KEYPORT_SWEEP_PROOF_HOURS: 24 });
});

/** A workspace with `users.length` accounts connected through Keyport's own connect flow. */
async function connected(users: string[] = [X_USERS.ada]) {
  const a = await agency(app);
  for (const userId of users) await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId });
  const accounts = await db.connectedAccount.findMany({ where: { brandId: a.brandId }, orderBy: { id: "asc" } });
  await quiet();
  return { ...a, accounts };
}

/** Nothing else in the database is due; the emulator's log and both sides' cost counters start empty (the connect's own calls are connect-flow's to test). */
async function quiet() {
  await db.connectedAccount.updateMany({ data: { nextCheckAt: new Date(Date.now() + 48 * HOUR) } });
  await db.xUsage.deleteMany({});
  await ctx.emu.control.clearRequests();
  await ctx.emu.control.resetCosts();
}

const refreshes = async () => (await ctx.emu.control.requests({ path: "/2/oauth2/token" })).filter((r) => r.grantType === "refresh_token");
const meCalls = () => ctx.emu.control.requests({ path: "/2/users/me" });
const billed = async () => (await ctx.emu.control.appCosts(app.clientId)).billedUnits;
const makeDue = (id: string, data: Record<string, unknown> = {}) =>
  db.connectedAccount.update({
    where: { id },
    data: { nextCheckAt: null, lastProvenAt: new Date(Date.now() - 25 * HOUR), accessTokenExpiresAt: new Date(Date.now() - 60_000), ...data },
  });

describe("health sweep", () => {
  it("over freshly connected, healthy accounts: no call to X at all, $0 billed, next visit spread within the day", async () => {
    const a = await connected([X_USERS.ada, X_USERS.blue, X_USERS.north]);
    await db.connectedAccount.updateMany({ where: { brandId: a.brandId }, data: { nextCheckAt: null } });
    const s = await runSweepPass();
    expect(s).toMatchObject({ due: 3, done: 3, failed: 0 });
    expect(s.outcomes["not-due"]).toBe(3);
    expect(await ctx.emu.control.requests()).toHaveLength(0);
    expect(await billed()).toBe(0);
    const rows = await db.connectedAccount.findMany({ where: { brandId: a.brandId } });
    for (const r of rows) {
      const ahead = r.nextCheckAt!.getTime() - r.lastProvenAt!.getTime();
      expect(ahead).toBeGreaterThanOrEqual(0.9 * 24 * HOUR - 1000);
      expect(ahead).toBeLessThanOrEqual(24 * HOUR);
      expect(r).toMatchObject({ status: "ACTIVE", claimedBy: null, claimedUntil: null });
    }
  });

  it("an account not proven for a day is refreshed once (unbilled), and not again on the next pass", async () => {
    const a = await connected();
    const id = a.accounts[0]!.id;
    await makeDue(id);
    const s = await runSweepPass();
    expect(s.outcomes.proven).toBe(1);
    expect(await refreshes()).toHaveLength(1);
    expect((await refreshes()).every((r) => r.status === 200)).toBe(true);
    expect(await meCalls()).toHaveLength(0);
    expect(await billed()).toBe(0);
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id } });
    expect(row.tokenVersion).toBe(a.accounts[0]!.tokenVersion + 1);
    expect(row.lastProvenAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Even if asked again at once: never rotated more often than the interval.
    await db.connectedAccount.update({ where: { id }, data: { nextCheckAt: null } });
    await runSweepPass();
    expect(await refreshes()).toHaveLength(1);
    // Its own calls are counted per app: one token call, nothing billed.
    const usage = await db.xUsage.findMany({ where: { workspaceId: a.workspaceId } });
    expect(usage).toEqual([expect.objectContaining({ kind: "token", calls: 1, billed: 0 })]);
  });

  it("a grant the user revoked at X ends NEEDS_RECONNECT with the reason and an event by Keyport, found by the sweep alone", async () => {
    const a = await connected();
    const id = a.accounts[0]!.id;
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    await makeDue(id);
    const s = await runSweepPass();
    expect(s.outcomes["needs-reconnect"]).toBe(1);
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(["refresh-failing", "token-revoked"]).toContain(row.statusReason);
    expect(await db.connectionEvent.findFirst({ where: { accountId: id, toStatus: "NEEDS_RECONNECT" } })).toMatchObject({ fromStatus: "ACTIVE", actorName: "Keyport", reason: row.statusReason });
    expect(await billed()).toBe(0);
    // Not visited again: it waits for a person to reconnect it.
    await db.connectedAccount.update({ where: { id }, data: { nextCheckAt: null } });
    expect((await runSweepPass()).done).toBe(0);
  });

  it("a queued 'check now' runs the billed check once and is cleared; the weekly profile read is the only other billed call", async () => {
    const a = await connected([X_USERS.ada, X_USERS.blue]);
    const asked = a.accounts.find((x) => x.xUserId === X_USERS.ada);
    const weekly = a.accounts.find((x) => x.xUserId === X_USERS.blue);
    // Both last read over a day ago, so X bills both reads.
    await db.connectedAccount.update({ where: { id: asked!.id }, data: { checkRequestedAt: new Date(), profileCheckedAt: new Date(Date.now() - 2 * 24 * HOUR) } });
    await db.connectedAccount.update({ where: { id: weekly!.id }, data: { nextCheckAt: null, profileCheckedAt: new Date(Date.now() - 8 * 24 * HOUR), name: "Old name" } });
    const s = await runSweepPass();
    expect(s.outcomes.profile).toBe(2);
    expect(await meCalls()).toHaveLength(2);
    expect(await billed()).toBe(2);
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: asked!.id } })).toMatchObject({ checkRequestedAt: null });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: weekly!.id } })).toMatchObject({ name: "Blue Lantern Café" });
    // Each visit's read counted exactly once (by the check itself, not again by the sweep), as X billed it.
    expect(await db.xUsage.findMany({ where: { workspaceId: a.workspaceId } })).toEqual([expect.objectContaining({ kind: "user-read", calls: 2, billed: 2 })]);
    await db.connectedAccount.updateMany({ where: { brandId: a.brandId }, data: { nextCheckAt: null } });
    await runSweepPass();
    expect(await meCalls()).toHaveLength(2);
  });

  it("KEYPORT_SWEEP_PROFILE_DAYS=0 turns the billed profile read off", async () => {
    Object.assign(env, { KEYPORT_SWEEP_PROFILE_DAYS: 0 });
    const a = await connected();
    await db.connectedAccount.update({ where: { id: a.accounts[0]!.id }, data: { nextCheckAt: null, profileCheckedAt: new Date(Date.now() - 30 * 24 * HOUR) } });
    await runSweepPass();
    expect(await meCalls()).toHaveLength(0);
  });

  it("X answers 429 to a refresh with a reset: the account and its app wait until then, never DEGRADED however many passes", async () => {
    // Two failures in a row would make it DEGRADED at once, if a 429 counted as one.
    Object.assign(env, { KEYPORT_DEGRADED_AFTER_FAILURES: 2, KEYPORT_DEGRADED_AFTER_HOURS: 0 });
    const a = await connected();
    const id = a.accounts[0]!.id;
    const failingSince = new Date(Date.now() - 2 * HOUR);
    await db.connectedAccount.update({ where: { id }, data: { failureCount: 1, failingSince } });
    for (let pass = 1; pass <= 4; pass++) {
      // X's window resets in about ten minutes; the previous pause has run out meanwhile.
      const reset = Math.floor(Date.now() / 1000) + 600 + pass * 30;
      await db.xCredential.updateMany({ where: { workspaceId: a.workspaceId }, data: { rateLimitedUntil: null } });
      await makeDue(id, { rateLimitedUntil: null });
      await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status: 429, body: TOO_MANY, headers: { "x-rate-limit-limit": "75", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(reset) }, times: 1 });
      const s = await runSweepPass();
      expect(s.outcomes["rate-limited"], `pass ${pass}`).toBe(1);
      const row = await db.connectedAccount.findUniqueOrThrow({ where: { id } });
      expect(row, `pass ${pass}`).toMatchObject({ status: "ACTIVE", failureCount: 1, failingSince, rateLimitedUntil: new Date(reset * 1000), refreshTokenSealed: a.accounts[0]!.refreshTokenSealed });
      expect(row.nextCheckAt!.getTime()).toBeGreaterThanOrEqual(reset * 1000);
      expect(row.nextCheckAt!.getTime()).toBeLessThanOrEqual(reset * 1000 + 60_000);
      expect(await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } })).toMatchObject({ rateLimitedUntil: new Date(reset * 1000) });
    }
    expect(await db.connectionEvent.count({ where: { accountId: id, toStatus: "DEGRADED" } })).toBe(0);
    // Before the reset nothing is due: no pass calls X again.
    await ctx.emu.control.clearRequests();
    expect((await runSweepPass()).done).toBe(0);
    expect(await ctx.emu.control.requests()).toHaveLength(0);
  });

  it("X answers 429 without a reset: one 15-minute window for the account and its app, nothing counted as a failure", async () => {
    const a = await connected([X_USERS.ada, X_USERS.blue]);
    for (const acc of a.accounts) await makeDue(acc.id);
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status: 429, body: TOO_MANY, times: 1 });
    Object.assign(env, { KEYPORT_SWEEP_APP_CONCURRENCY: 1 });
    const started = Date.now();
    const s = await runSweepPass();
    expect(s.outcomes["rate-limited"]).toBe(1);
    // The other account waited for the app's slot, then found the app paused: no call to X.
    expect(s.outcomes.postponed).toBe(1);
    expect(await ctx.emu.control.requests({ path: "/2/oauth2/token" })).toHaveLength(1);
    const rows = await db.connectedAccount.findMany({ where: { brandId: a.brandId } });
    expect(rows.every((r) => r.status === "ACTIVE" && r.failureCount === 0 && r.failingSince === null)).toBe(true);
    for (const r of rows) {
      expect(r.nextCheckAt!.getTime()).toBeGreaterThanOrEqual(started + 15 * 60_000);
      expect(r.nextCheckAt!.getTime()).toBeLessThanOrEqual(Date.now() + 16 * 60_000);
    }
  });

  it("X answers 429 to a queued check's profile read: the account alone waits for X's reset and the spent users/me window is recorded", async () => {
    const own = await newApp(ctx.emu, "One read per window");
    await ctx.emu.control.updateApp(own.clientId, { rateLimits: { usersMe: { limit: 1, windowSeconds: 900 } } });
    const a = await agency(own);
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: X_USERS.ada }); // spends the window
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    await quiet();
    await db.connectedAccount.update({ where: { id: account.id }, data: { checkRequestedAt: new Date(), nextCheckAt: null } });
    const s = await runSweepPass();
    expect(s.outcomes["rate-limited"]).toBe(1);
    const [windowRow] = await rateWindowsForApps(a.workspaceId, [account.credentialId]);
    expect(windowRow).toMatchObject({ window: "users-me", accountId: account.id, limit: 1, remaining: 0, limitedAt: expect.any(Date) });
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(row).toMatchObject({ status: "ACTIVE", failureCount: 0, failingSince: null, rateLimitedUntil: windowRow!.resetAt, checkRequestedAt: null });
    expect(row.nextCheckAt!.getTime()).toBeGreaterThanOrEqual(windowRow!.resetAt.getTime());
    // users/me is limited per user: the app's other accounts are not held back.
    expect(await db.xCredential.findUniqueOrThrow({ where: { id: account.credentialId } })).toMatchObject({ rateLimitedUntil: null });
    // The refused read is counted as a call, not billed (X bills only an answered read).
    expect(await db.xUsage.findMany({ where: { workspaceId: a.workspaceId } })).toEqual([expect.objectContaining({ kind: "user-read", calls: 1, billed: 0 })]);
  });

  it("X failing for a day: DEGRADED after the configured run (tokens kept), ACTIVE again on the first success", async () => {
    Object.assign(env, { KEYPORT_DEGRADED_AFTER_FAILURES: 3, KEYPORT_DEGRADED_AFTER_HOURS: 24 });
    const a = await connected();
    const id = a.accounts[0]!.id;
    const refreshToken = a.accounts[0]!.refreshTokenSealed;
    await makeDue(id, { failureCount: 2, failingSince: new Date(Date.now() - 25 * HOUR) });
    const fault = await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status: 503 });
    await runSweepPass();
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "DEGRADED", statusReason: "x-unavailable", failureCount: 3, refreshTokenSealed: refreshToken });
    await ctx.emu.control.removeFault(fault.id);
    await db.connectedAccount.update({ where: { id }, data: { nextCheckAt: null } });
    const s = await runSweepPass();
    expect(s.recovered).toBe(1);
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ACTIVE", statusReason: null, failureCount: 0, failingSince: null });
    expect(await db.notification.count({ where: { accountId: id, event: { in: ["account.degraded", "account.recovered"] } } })).toBe(2);
  });

  it("per-app pacing: never more than KEYPORT_SWEEP_APP_CONCURRENCY visits with X calls at once for one app", async () => {
    Object.assign(env, { KEYPORT_SWEEP_APP_CONCURRENCY: 2 });
    const a = await agency(app);
    const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    await seedAccounts(ctx.emu.control, ctx.emu.apiBaseUrl, { ...app, callbackUrl: CALLBACK }, { workspaceId: a.workspaceId, brandId: a.brandId, credentialId: credential.id, credentialVersion: credential.version }, 10, { due: true });
    await ctx.emu.control.clearRequests();
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", delayMs: 50 });
    const s = await runSweepPass();
    expect(s.outcomes.proven).toBe(10);
    expect(s.maxPerApp).toBe(2);
    expect(await refreshes()).toHaveLength(10);
  });

  it("the heartbeat keeps a large batch's claims alive (more ids than SQLite binds in one statement)", async () => {
    const a = await agency(app);
    const credentialId = (await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } })).id;
    const soon = new Date(Date.now() + 60_000);
    const ids = Array.from({ length: 1200 }, () => randomUUID());
    await db.connectedAccount.createMany({
      data: ids.map((id, i) => ({ id, workspaceId: a.workspaceId, brandId: a.brandId, xUserId: `hb${i}`, name: "H", username: `hb${i}`, grantedScopes: "tweet.read", credentialId, credentialVersion: 1, claimedBy: "worker-hb", claimedUntil: soon })),
    });
    await extendClaims(ids.map((id) => ({ id, workspaceId: a.workspaceId })), "worker-hb", new Date(), 10 * 60_000);
    expect(await db.connectedAccount.count({ where: { claimedBy: "worker-hb", claimedUntil: { gt: new Date(Date.now() + 5 * 60_000) } } })).toBe(1200);
    await db.connectedAccount.deleteMany({ where: { claimedBy: "worker-hb" } });
  });

  it("npm run sweep: one pass with progress and a summary, recorded apart from the worker's, exit 0", async () => {
    const a = await connected([X_USERS.ada, X_USERS.blue]);
    await makeDue(a.accounts[0]!.id);
    await db.connectedAccount.update({ where: { id: a.accounts[1]!.id }, data: { nextCheckAt: null } });
    // The script as npm runs it (tsx with the react-server condition), on this test's database;
    // asynchronously, since the emulator answering it lives in this process.
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/sweep.ts", "--progress-ms=200"], {
      env: { ...process.env, NODE_ENV: "test", X_API_BASE_URL: ctx.emu.apiBaseUrl, X_AUTHORIZE_URL: ctx.emu.authorizeUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run = { stdout: "", stderr: "", status: null as number | null };
    child.stdout.on("data", (c: Buffer) => (run.stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (run.stderr += c.toString()));
    run.status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^sweep: 2\/2 done, 0 failed$/m);
    expect(run.stdout).toMatch(/^summary: 2 accounts visited of 2 due in [\d.]+ s — 1 proven by a token refresh, 0 profile reads \(billed\), 1 had nothing due/m);
    expect(await refreshes()).toHaveLength(1);
    expect(await db.workerState.findUnique({ where: { key: "sweep:last-pass" } })).not.toBeNull();
    expect(await db.workerState.findUnique({ where: { key: "worker:last-pass" } })).toBeNull();
  }, 120_000);
});
