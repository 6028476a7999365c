// Status changes of connected accounts: each one leaves an event in the account's history, and the
// ones people should hear about leave exactly one notification, however many calls failed. A
// refresh's save compares the token pair's version, not its ciphertext, so a key rotation that
// re-seals the same tokens mid-refresh loses nothing.
import { beforeEach, describe, expect, it } from "vitest";
import { openColumn, SEALED, sealColumn } from "@/lib/crypto/app-ring";
import { disconnectAccount } from "@/lib/connections/disconnect";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { markCredentialRejected, saveCredentials } from "@/lib/data/x-credentials";
import { db } from "@/lib/db";
import { agency, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  app ??= await newApp(ctx.emu);
});

async function connected(userId = X_USERS.ada) {
  const a = await agency(app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId, xUserId: userId } });
  return { ...a, account };
}

const expire = (accountId: string) => db.connectedAccount.update({ where: { id: accountId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
const events = (accountId: string) => db.connectionEvent.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });
const notifications = (workspaceId: string) => db.notification.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } });

describe("status changes", () => {
  it("connecting records the account's first event and tells nobody", async () => {
    const a = await connected();
    expect(await events(a.account.id)).toMatchObject([{ fromStatus: null, toStatus: "ACTIVE", actorId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }]);
    expect(await notifications(a.workspaceId)).toHaveLength(0);
    expect(a.account.tokenVersion).toBe(0);
    expect(a.account.lastProvenAt).toBeInstanceOf(Date);
  });

  it("a grant revoked at X: one transition, one event, one notification, however many callers fail", async () => {
    const a = await connected();
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    await expire(a.account.id);
    const first = await getValidAccessToken(a.workspaceId, a.account.id);
    expect(first).toMatchObject({ ok: false, reason: "needs-reconnect", reconnectReason: "refresh-failing" });
    for (let i = 0; i < 3; i++) expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "not-active" });

    const history = await events(a.account.id);
    expect(history.map((e) => [e.fromStatus, e.toStatus, e.reason, e.actorName])).toEqual([
      [null, "ACTIVE", null, expect.any(String)],
      ["ACTIVE", "NEEDS_RECONNECT", "refresh-failing", "Keyport"],
    ]);
    const sent = await notifications(a.workspaceId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ event: "account.needs_reconnect", accountId: a.account.id, brandId: a.brandId, dispatchedAt: null });
    const payload = JSON.parse(sent[0]!.payload);
    expect(payload).toMatchObject({
      type: "account.needs_reconnect",
      data: { account: { id: a.account.id, username: "ada_sandbox", xUserId: X_USERS.ada }, brand: { id: a.brandId }, status: "NEEDS_RECONNECT", previousStatus: "ACTIVE", reason: "refresh-failing" },
    });
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    for (const sealed of [row.accessTokenSealed!, row.refreshTokenSealed!]) expect(sent[0]!.payload).not.toContain(sealed);
    expect(sent[0]!.payload).not.toContain(openColumn(SEALED.refreshToken, row.id, row.refreshTokenSealed!));
    expect(sent[0]!.payload).not.toContain(app.clientSecret);
  });

  it("reconnecting and disconnecting are announced; the history lists every step with who did it", async () => {
    const a = await connected();
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { status: "NEEDS_RECONNECT", statusReason: "token-revoked" } });
    await connectOnce(ctx.emu, { userId: a.member, workspaceId: a.workspaceId, brandId: a.brandId });
    const reconnected = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    expect(reconnected).toMatchObject({ status: "ACTIVE", statusReason: null, tokenVersion: 1 });

    const result = await disconnectAccount({ workspaceId: a.workspaceId, accountId: a.account.id, actor: { id: a.owner, name: "Olivia" } });
    expect(result).toMatchObject({ status: "disconnected", revokedAtX: true });
    const gone = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    expect(gone).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null, refreshTokenSealed: null, tokenVersion: 2 });

    const history = await events(a.account.id);
    expect(history.slice(1).map((e) => [e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ["NEEDS_RECONNECT", "ACTIVE", a.member],
      ["ACTIVE", "DISCONNECTED", a.owner],
    ]);
    expect((await notifications(a.workspaceId)).map((n) => n.event)).toEqual(["account.reconnected", "account.disconnected"]);
  });

  it("replacing the app's secret marks each dependent account with an event and a notification, in one go", async () => {
    const a = await connected(X_USERS.ada);
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: X_USERS.blue });
    const secret = await ctx.emu.control.regenerateSecret(app.clientId);
    app = { ...app, clientSecret: secret };
    const saved = await saveCredentials({
      workspaceId: a.workspaceId,
      actor: { id: a.owner, name: "Olivia" },
      clientId: app.clientId,
      clientSecret: secret,
      confirmAccountsMarked: 2,
      test: { status: "valid", message: "ok" },
    });
    expect(saved).toMatchObject({ status: "saved", accountsMarked: 2 });
    const accounts = await db.connectedAccount.findMany({ where: { brandId: a.brandId } });
    expect(accounts.map((x) => [x.status, x.statusReason])).toEqual([
      ["NEEDS_RECONNECT", "secret-rotated"],
      ["NEEDS_RECONNECT", "secret-rotated"],
    ]);
    for (const account of accounts) {
      expect((await events(account.id)).at(-1)).toMatchObject({ fromStatus: "ACTIVE", toStatus: "NEEDS_RECONNECT", reason: "secret-rotated", actorId: a.owner });
    }
    const sent = await notifications(a.workspaceId);
    expect(sent.map((n) => [n.event, n.accountId]).sort()).toEqual(accounts.map((x) => ["account.needs_reconnect", x.id]).sort());
  });
});

describe("a refresh overlapping a key rotation", () => {
  it("keeps the rotated pair when the stored tokens were re-sealed (same tokens, new ciphertext) while X was answering", async () => {
    const a = await connected();
    await expire(a.account.id);
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", delayMs: 400, times: 1 });
    const refreshing = getValidAccessToken(a.workspaceId, a.account.id);
    await new Promise((r) => setTimeout(r, 150));
    // What `npm run keys:rotate` does to a row: the same plaintext, sealed again.
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    const resealed = {
      accessTokenSealed: sealColumn(SEALED.accessToken, row.id, openColumn(SEALED.accessToken, row.id, row.accessTokenSealed!)),
      refreshTokenSealed: sealColumn(SEALED.refreshToken, row.id, openColumn(SEALED.refreshToken, row.id, row.refreshTokenSealed!)),
    };
    await db.connectedAccount.update({ where: { id: row.id }, data: resealed });

    const result = await refreshing;
    expect(result.ok).toBe(true);
    const after = await db.connectedAccount.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "ACTIVE", tokenVersion: row.tokenVersion + 1 });
    // The grant survives: the stored refresh token is the one X issued last, so the next refresh works.
    await expire(row.id);
    expect((await getValidAccessToken(a.workspaceId, row.id)).ok).toBe(true);
    expect((await db.connectedAccount.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("ACTIVE");
  });
});

describe("X rejecting an app", () => {
  it("marks the credential and its accounts once, with one credentials.rejected notification; new credentials clear it", async () => {
    const a = await connected();
    const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    const input = { workspaceId: a.workspaceId, credentialId: credential.id, version: credential.version, reason: "credentials-rejected" as const, xError: "401 unauthorized_client: Missing valid authorization header" };
    expect(await markCredentialRejected(input)).toEqual({ marked: true, accounts: 1 });
    expect(await markCredentialRejected(input)).toEqual({ marked: false, accounts: 0 });
    expect(await db.xCredential.findUniqueOrThrow({ where: { id: credential.id } })).toMatchObject({ rejectedReason: "credentials-rejected", rejectedXError: input.xError });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "app-credentials", lastXError: input.xError });
    const sent = await notifications(a.workspaceId);
    expect(sent.map((n) => n.event).sort()).toEqual(["account.needs_reconnect", "credentials.rejected"]);
    expect(sent.find((n) => n.event === "credentials.rejected")!.payload).not.toContain(app.clientSecret);
    expect(await db.auditEvent.count({ where: { workspaceId: a.workspaceId, action: "credentials.rejected" } })).toBe(1);

    // Replacing counts the account X broke as a dependent (issue 10 §3); a stale verdict about an older version changes nothing.
    const replace = { workspaceId: a.workspaceId, actor: { id: a.owner, name: "Olivia" }, clientId: app.clientId, clientSecret: app.clientSecret, test: { status: "valid" as const, message: "ok" } };
    expect(await saveCredentials({ ...replace, confirmAccountsMarked: 0 })).toMatchObject({ status: "confirm", dependents: { total: 1, needReconnect: 1 } });
    const saved = await saveCredentials({ ...replace, confirmAccountsMarked: 1 });
    expect(saved).toMatchObject({ status: "saved" });
    expect(await db.xCredential.findUniqueOrThrow({ where: { id: credential.id } })).toMatchObject({ rejectedAt: null, version: credential.version + 1 });
    expect(await markCredentialRejected(input)).toEqual({ marked: false, accounts: 0 });
  });

  it("an app outside a Project is marked, but its accounts keep working (no reconnect would help)", async () => {
    const a = await connected();
    const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    expect(await markCredentialRejected({ workspaceId: a.workspaceId, credentialId: credential.id, version: credential.version, reason: "not-enrolled", xError: "403 client-not-enrolled" })).toEqual({ marked: true, accounts: 0 });
    expect((await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).status).toBe("ACTIVE");
    expect((await notifications(a.workspaceId)).map((n) => n.event)).toEqual(["credentials.rejected"]);
  });
});
