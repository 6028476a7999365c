// "Check now": what X's side of a grant looks like, and what Keyport does about it.
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { QuotaPanel } from "@/components/usage/quota-panel";
import { checkAccountAction, checkBrandAccountsAction } from "@/lib/actions/account-checks";
import { priceTable } from "@/lib/connections/usage";
import { appUsageFigures } from "@/lib/data/app-usage";
import { db } from "@/lib/db";
import { actAs } from "./helpers";
import { agency, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await ctx.emu.control.setSwitches({ secretRegenRevokesGrants: false });
  app = await newApp(ctx.emu);
});

async function connected(options: { userId?: string; dropScopes?: string[] } = {}) {
  const a = await agency(app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, options);
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId }, orderBy: { createdAt: "desc" } });
  // What the checks below cost, from zero: the connect's own calls are connect-flow's to test.
  await db.xUsage.deleteMany({ where: { workspaceId: a.workspaceId } });
  actAs(a.member, a.workspaceId);
  return { ...a, account };
}

const reload = (id: string) => db.connectedAccount.findUniqueOrThrow({ where: { id } });
/** Keyport's own count of its calls to X for the workspace, by kind (what the cost figures add up). */
async function usage(workspaceId: string) {
  const rows = await db.xUsage.findMany({ where: { workspaceId } });
  return Object.fromEntries(rows.map((r) => [r.kind, { calls: r.calls, billed: r.billed }]));
}
const DAY = 86_400_000;

describe("checking one account", () => {
  it("a working account stays active, and any member may check", async () => {
    const a = await connected();
    expect(await checkAccountAction({ accountId: a.account.id })).toEqual({ ok: true, data: { tone: "success", message: "@ada_sandbox works: X accepted its token." } });
    expect(await reload(a.account.id)).toMatchObject({ status: "ACTIVE", accessTokenSealed: a.account.accessTokenSealed });
  });

  it("the owner removed the app at X: marked 'access revoked at X', with an audit entry", async () => {
    const a = await connected();
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    const result = await checkAccountAction({ accountId: a.account.id });
    expect(result).toMatchObject({ ok: true, data: { tone: "error", message: "@ada_sandbox needs reconnecting: Access revoked at X." } });
    expect(await reload(a.account.id)).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "token-revoked" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { workspaceId: a.workspaceId, action: "account.needs_reconnect" } });
    expect(audit).toMatchObject({ actorName: "Keyport", summary: expect.stringMatching(/^@ada_sandbox needs reconnecting/) });
  });

  it("the secret was regenerated in the portal (and X killed the grants): X rejects the app, not the user", async () => {
    const a = await connected();
    await ctx.emu.control.setSwitches({ secretRegenRevokesGrants: true });
    await ctx.emu.control.regenerateSecret(app.clientId);
    const result = await checkAccountAction({ accountId: a.account.id });
    expect(result).toMatchObject({ ok: true, data: { message: "@ada_sandbox needs reconnecting: X rejects the app's credentials." } });
    expect(await reload(a.account.id)).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "app-credentials" });
  });

  it("the secret was regenerated but grants live on: the account still works", async () => {
    const a = await connected();
    await ctx.emu.control.regenerateSecret(app.clientId);
    expect(await checkAccountAction({ accountId: a.account.id })).toMatchObject({ ok: true, data: { tone: "success" } });
    expect((await reload(a.account.id)).status).toBe("ACTIVE");
  });

  it("an access token X killed early is refreshed once, and the account keeps working", async () => {
    const a = await connected();
    // Revoking only the access token (revokeEndsGrant off) leaves the refresh token usable.
    await ctx.emu.control.setSwitches({ revokeEndsGrant: false });
    try {
      const { openColumn, SEALED } = await import("@/lib/crypto/app-ring");
      const access = openColumn(SEALED.accessToken, a.account.id, a.account.accessTokenSealed!);
      const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64");
      const revoked = await fetch(`${ctx.emu.apiBaseUrl}/2/oauth2/revoke`, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: access, token_type_hint: "access_token" }),
      });
      expect(revoked.status).toBe(200);
      expect(await checkAccountAction({ accountId: a.account.id })).toMatchObject({ ok: true, data: { tone: "success" } });
      const after = await reload(a.account.id);
      expect(after.status).toBe("ACTIVE");
      expect(after.refreshTokenSealed).not.toBe(a.account.refreshTokenSealed);
      // Counted as made: two profile reads (only the answered one could be billed, and the
      // connect read this user minutes ago) and one refresh.
      expect(await usage(a.workspaceId)).toEqual({ "user-read": { calls: 2, billed: 0 }, token: { calls: 1, billed: 0 } });
    } finally {
      await ctx.emu.control.setSwitches({ revokeEndsGrant: true });
    }
  });

  it("X down: nothing changes and the person is told so", async () => {
    const a = await connected();
    await ctx.emu.control.injectFault({ method: "GET", path: "/2/users/me", status: 503 });
    const result = await checkAccountAction({ accountId: a.account.id });
    expect(result).toMatchObject({ ok: true, data: { tone: "warning", message: expect.stringMatching(/^Could not check @ada_sandbox: X answered with a server error\. Nothing was changed\.$/) } });
    expect(await reload(a.account.id)).toMatchObject({ status: "ACTIVE", accessTokenSealed: a.account.accessTokenSealed, refreshTokenSealed: a.account.refreshTokenSealed });
  });

  it("without offline.access a revoked grant cannot be refreshed: marked revoked", async () => {
    const a = await connected({ dropScopes: ["offline.access"] });
    // Connected but flagged for the missing scope; make it active to see the check's own verdict.
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { status: "ACTIVE", statusReason: null } });
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    expect(await checkAccountAction({ accountId: a.account.id })).toMatchObject({ ok: true, data: { tone: "error" } });
    expect(await reload(a.account.id)).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "token-revoked" });
  });

  it("another workspace's account is not found, and X is not called", async () => {
    const a = await connected();
    const b = await agency(app);
    actAs(b.owner, b.workspaceId);
    await ctx.emu.control.clearRequests();
    expect(await checkAccountAction({ accountId: a.account.id })).toEqual({ ok: false, error: "Account not found." });
    expect(await checkBrandAccountsAction({ brandId: a.brandId })).toEqual({ ok: false, error: "Brand not found." });
    expect(await ctx.emu.control.requests()).toHaveLength(0);
  });
});

describe("what a Check now costs, and what it leaves of X's window", () => {
  it("one billed user read in the app's cost figures, and the users/me window per account (no account listed for posting)", async () => {
    const a = await connected();
    // Its profile was last read over a day ago, so X bills this read (contract §8).
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { profileCheckedAt: new Date(Date.now() - 2 * DAY) } });
    const figures = async () => (await appUsageFigures(a.workspaceId, [a.account.credentialId])).get(a.account.credentialId)!;
    expect((await figures()).cost.thisMonth).toMatchObject({ ownCalls: 0, ownMicroUsd: 0 });
    expect(await checkAccountAction({ accountId: a.account.id })).toMatchObject({ ok: true, data: { tone: "success" } });
    const after = await figures();
    expect(after.cost.thisMonth).toMatchObject({ ownCalls: 1, ownMicroUsd: priceTable()["user-read"], totalMicroUsd: priceTable()["user-read"] });
    expect(after.cost.last30Days).toMatchObject({ ownCalls: 1, ownMicroUsd: priceTable()["user-read"] });
    expect(await usage(a.workspaceId)).toEqual({ "user-read": { calls: 1, billed: 1 } });
    // The connect's read and the check's: 73 of 75 left in this user's window at this app.
    expect(after.endpoints).toEqual([
      { endpoint: "GET /2/users/me", windowLabel: "profile reads, 15 minutes, per account", account: { id: a.account.id, username: "ada_sandbox" }, window: expect.objectContaining({ limit: 75, remaining: 73, limited: false, warning: false }) },
    ]);
    expect(after.accounts).toEqual([]);
    expect(after.warning).toBe(false);
    const html = renderToStaticMarkup(await QuotaPanel({ workspaceId: a.workspaceId }));
    expect(html).toContain("GET /2/users/me");
    expect(html).toContain("73 of 75 requests left");
    // A second check within the day: counted, not billed again.
    await checkAccountAction({ accountId: a.account.id });
    expect(await usage(a.workspaceId)).toEqual({ "user-read": { calls: 2, billed: 1 } });
  });

  it("X answers 429 to the profile read: the person hears when Keyport tries again, the spent window shows, nothing is marked", async () => {
    app = await newApp(ctx.emu, "One read per window");
    await ctx.emu.control.updateApp(app.clientId, { rateLimits: { usersMe: { limit: 1, windowSeconds: 900 } } });
    const a = await connected(); // the connect's own profile read spends the window
    const result = await checkAccountAction({ accountId: a.account.id });
    expect(result).toMatchObject({ ok: true, data: { tone: "warning", message: expect.stringMatching(/profile reads are rate-limited right now; nothing is wrong with the account\. Keyport tries again after \d{4}-\d\d-\d\d \d\d:\d\d UTC\./) } });
    expect(await reload(a.account.id)).toMatchObject({ status: "ACTIVE", failureCount: 0, accessTokenSealed: a.account.accessTokenSealed });
    const figures = (await appUsageFigures(a.workspaceId, [a.account.credentialId])).get(a.account.credentialId)!;
    expect(figures.endpoints).toMatchObject([{ endpoint: "GET /2/users/me", window: { limit: 1, remaining: 0, limited: true, warning: true } }]);
    expect(await usage(a.workspaceId)).toEqual({ "user-read": { calls: 1, billed: 0 } });
    const html = renderToStaticMarkup(await QuotaPanel({ workspaceId: a.workspaceId }));
    expect(html).toContain("X is limiting profile reads (GET /2/users/me) for an account of this app");
    expect(html).not.toContain("Posts through this app wait");
  });
});

describe("checking a brand", () => {
  it("checks every active account and sums up", async () => {
    const a = await connected();
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: X_USERS.blue });
    actAs(a.member, a.workspaceId);
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.blue);
    const result = await checkBrandAccountsAction({ brandId: a.brandId });
    expect(result).toEqual({ ok: true, data: { tone: "error", message: "Checked 2 accounts: 1 working, 1 needs reconnecting." } });
    expect(await db.connectedAccount.count({ where: { brandId: a.brandId, status: "ACTIVE" } })).toBe(1);
  });
});
