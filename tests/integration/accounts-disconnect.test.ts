// Disconnect: revoke at X (refresh token, then access token, each with its hint), then forget the
// tokens locally whatever X said; the record stays for history.
import { beforeEach, describe, expect, it } from "vitest";
import { disconnectAccountAction } from "@/lib/actions/accounts";
import { withLock } from "@/lib/connections/lock";
import { refreshLockName } from "@/lib/connections/tokens";
import { listBrandAccounts } from "@/lib/data/accounts";
import { db } from "@/lib/db";
import { actAs } from "./helpers";
import { agency, connectOnce, newApp, emulatorForThisFile, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  app ??= await newApp(ctx.emu);
});

async function connected(userId = X_USERS.ada) {
  const a = await agency(app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
  await ctx.emu.control.clearRequests();
  return { ...a, account };
}

describe("disconnect", () => {
  it("revokes the refresh token then the access token at X, deletes them locally, keeps the record, audits", async () => {
    const a = await connected();
    actAs(a.owner, a.workspaceId);
    const result = await disconnectAccountAction({ accountId: a.account.id });
    expect(result).toEqual({ ok: true, data: { username: "ada_sandbox", revokedAtX: true, message: "Disconnected @ada_sandbox. X has revoked Keyport's access." } });

    const revokes = await ctx.emu.control.requests({ path: "/2/oauth2/revoke" });
    expect(revokes.map((r) => [r.params?.token_type_hint, r.status, r.authorization, r.clientId])).toEqual([
      ["refresh_token", 200, "Basic [redacted]", app.clientId],
      ["access_token", 200, "Basic [redacted]", app.clientId],
    ]);
    expect((await ctx.emu.control.grants({ clientId: app.clientId, userId: X_USERS.ada })).every((g) => g.revoked)).toBe(true);

    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    expect(row).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null, refreshTokenSealed: null, accessTokenExpiresAt: null });
    const [summary] = await listBrandAccounts(a.workspaceId, a.brandId);
    expect(summary).toMatchObject({ status: "DISCONNECTED", username: "ada_sandbox" });
    expect(await db.auditEvent.findFirst({ where: { workspaceId: a.workspaceId, action: "account.disconnected" } })).toMatchObject({ outcome: "revoked" });

    // Twice is harmless and calls X no more.
    expect(await disconnectAccountAction({ accountId: a.account.id })).toMatchObject({ ok: true, data: { message: "@ada_sandbox was already disconnected." } });
    expect(await ctx.emu.control.requests({ path: "/2/oauth2/revoke" })).toHaveLength(2);
  });

  it("X down during disconnect: tokens are still deleted, and the person is told revocation at X did not happen", async () => {
    const a = await connected(X_USERS.blue);
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/revoke", status: 503 });
    actAs(a.owner, a.workspaceId);
    const result = await disconnectAccountAction({ accountId: a.account.id });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.revokedAtX).toBe(false);
    expect(result.data.message).toMatch(/^Disconnected @bluelanterncafe in Keyport, but revocation at X did not happen: X answered with a server error\. /);
    expect(result.data.message).toMatch(/Connected apps/);
    // Both tokens were tried, each with its hint.
    expect((await ctx.emu.control.requests({ path: "/2/oauth2/revoke" })).map((r) => r.params?.token_type_hint)).toEqual(["refresh_token", "access_token"]);
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null, refreshTokenSealed: null });
    expect(await db.auditEvent.findFirst({ where: { workspaceId: a.workspaceId, action: "account.disconnected" } })).toMatchObject({ outcome: "local-only" });
    expect((await ctx.emu.control.grants({ clientId: app.clientId, userId: X_USERS.blue })).some((g) => !g.revoked)).toBe(true);
  });

  it("X unreachable altogether (connection refused)", async () => {
    const a = await connected(X_USERS.north);
    const { env } = await import("@/lib/env");
    const saved = env.X_API_BASE_URL;
    env.X_API_BASE_URL = "http://127.0.0.1:1";
    try {
      actAs(a.owner, a.workspaceId);
      const result = await disconnectAccountAction({ accountId: a.account.id });
      expect(result).toMatchObject({ ok: true, data: { revokedAtX: false, message: expect.stringContaining("X could not be reached") } });
    } finally {
      env.X_API_BASE_URL = saved;
    }
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null });
  });

  it("while a token refresh holds the account's lock, disconnect changes nothing and says to try again", async () => {
    const a = await connected(X_USERS.north);
    const { env } = await import("@/lib/env");
    const saved = env.X_TIMEOUT_MS;
    env.X_TIMEOUT_MS = 500; // the wait for the lock follows X's timeout
    try {
      // Held the way a refresh holds it (PostgreSQL: an advisory lock; SQLite: the lease row).
      const result = await withLock(refreshLockName(a.account.id), { ttlMs: 60_000, waitMs: 0 }, async (held) => {
        expect(held).toBe(true);
        actAs(a.owner, a.workspaceId);
        return disconnectAccountAction({ accountId: a.account.id });
      });
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/renewing this account's token.*try again/) });
    } finally {
      env.X_TIMEOUT_MS = saved;
    }
    // Revoking the pair a refresh is replacing would leave the new pair alive at X.
    expect(await ctx.emu.control.requests({ path: "/2/oauth2/revoke" })).toHaveLength(0);
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "ACTIVE", refreshTokenSealed: a.account.refreshTokenSealed });
  });

  it("members can't disconnect; other workspaces' accounts aren't found", async () => {
    const a = await connected();
    const b = await agency(app);
    actAs(a.member, a.workspaceId);
    expect(await disconnectAccountAction({ accountId: a.account.id })).toEqual({ ok: false, error: "Only owners and admins can do that." });
    actAs(b.owner, b.workspaceId);
    expect(await disconnectAccountAction({ accountId: a.account.id })).toEqual({ ok: false, error: "Account not found." });
    expect(await disconnectAccountAction({ accountId: "" })).toMatchObject({ ok: false });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "ACTIVE" });
    expect(await ctx.emu.control.requests({ path: "/2/oauth2/revoke" })).toHaveLength(0);
  });
});
