// "Check now": what X's side of a grant looks like, and what Keyport does about it.
import { beforeEach, describe, expect, it } from "vitest";
import { checkAccountAction, checkBrandAccountsAction } from "@/lib/actions/account-checks";
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
  actAs(a.member, a.workspaceId);
  return { ...a, account };
}

const reload = (id: string) => db.connectedAccount.findUniqueOrThrow({ where: { id } });

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
