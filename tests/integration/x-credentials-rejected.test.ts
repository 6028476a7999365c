// One clear state when X rejects an app (issue 10 §3): the credential row is marked, dependents
// include the accounts it broke, no connection starts through it, replacing it clears the mark
// and the broken accounts then read "reconnect". And the probe: invalid_grant means valid.
import { beforeEach, describe, expect, it } from "vitest";
import { xCredentialDependentsAction, saveXCredentialsAction, testXCredentialsAction } from "@/lib/actions/x-credentials";
import { checkAccount } from "@/lib/connections/verify";
import { listAccountsNeedingReconnect, listBrandAccounts } from "@/lib/data/accounts";
import { brandAttention } from "@/lib/data/attention";
import { dependentAccounts, getCredentialSummary, nameApps } from "@/lib/data/x-credentials";
import { db } from "@/lib/db";
import { APP_CREDENTIALS_FIXED, RECONNECT_REASONS } from "@/lib/reconnect-reasons";
import { actAs } from "./helpers";
import { agency, connectOnce, emulatorForThisFile, newApp, ORIGIN, startConnect, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await ctx.emu.control.setSwitches({ secretRegenRevokesGrants: false });
  app = await newApp(ctx.emu);
});

/** A brand with two accounts connected through the workspace default, then the secret regenerated at X. */
async function brokenApp() {
  const a = await agency(app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: X_USERS.ada });
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: X_USERS.blue });
  const accounts = await db.connectedAccount.findMany({ where: { brandId: a.brandId }, orderBy: { username: "asc" } });
  expect(accounts.map((x) => x.username)).toEqual(["ada_sandbox", "bluelanterncafe"]);
  const newSecret = await ctx.emu.control.regenerateSecret(app.clientId);
  // Ada's token is due for renewal: the refresh meets the old secret.
  await db.connectedAccount.update({ where: { id: accounts[0]!.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
  return { ...a, ada: accounts[0]!, blue: accounts[1]!, newSecret };
}

describe("X rejects the app's credentials", () => {
  it("a refused refresh, confirmed by a re-test, marks the credential and every account it issued", async () => {
    const a = await brokenApp();
    expect(await checkAccount(a.workspaceId, a.ada.id)).toMatchObject({ status: "needs-reconnect", reason: "app-credentials" });

    const summary = (await getCredentialSummary({ workspaceId: a.workspaceId }))!;
    expect(summary.rejected).toMatchObject({ reason: "credentials-rejected" });
    expect(summary.rejected!.xError).toMatch(/unauthorized_client/);
    expect(Date.now() - summary.rejected!.at.getTime()).toBeLessThan(60_000);
    const accounts = await db.connectedAccount.findMany({ where: { brandId: a.brandId } });
    expect(accounts.map((x) => [x.status, x.statusReason])).toEqual([
      ["NEEDS_RECONNECT", "app-credentials"],
      ["NEEDS_RECONNECT", "app-credentials"],
    ]);
    // Checking again announces nothing new: the app is marked once.
    expect(await db.notification.count({ where: { workspaceId: a.workspaceId, event: "credentials.rejected" } })).toBe(1);

    // Dependents: the two broken accounts, not "no connected accounts".
    expect(await dependentAccounts(a.workspaceId, summary.id)).toMatchObject({ total: 2, needReconnect: 2, brands: [{ brandId: a.brandId, count: 2 }] });
    actAs(a.owner, a.workspaceId);
    expect(await xCredentialDependentsAction({})).toMatchObject({ ok: true, data: { total: 2, needReconnect: 2 } });

    // The name every page gives the app says it is rejected (the admin view's helper).
    const name = await nameApps(a.workspaceId, [{ credentialId: summary.id, credentialVersion: a.ada.credentialVersion }]);
    expect(name({ credentialId: summary.id, credentialVersion: a.ada.credentialVersion })).toMatchObject({ scope: "workspace", label: "Workspace default", current: true, rejected: { reason: "credentials-rejected" } });
  });

  it("while rejected no connection starts through the app; the accounts say to replace the credentials", async () => {
    const a = await brokenApp();
    await checkAccount(a.workspaceId, a.ada.id);
    const response = await startConnect(a.member, a.workspaceId, a.brandId);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/brands/${a.brandId}?connect_error=credentials-rejected`);
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(2); // the two connects above only

    const cards = await listBrandAccounts(a.workspaceId, a.brandId);
    expect(cards.map((c) => c.reason?.fix)).toEqual([RECONNECT_REASONS["app-credentials"].fix, RECONNECT_REASONS["app-credentials"].fix]);
    expect(cards[0]!.app).toMatchObject({ source: "workspace", current: true, rejected: true });
    expect((await brandAttention(a.workspaceId, a.brandId)).reasons).toEqual([expect.objectContaining({ code: "app-credentials", count: 2 })]);
  });

  it("replacing the credentials counts the broken accounts, clears the mark, lets connects start, and the accounts then say reconnect", async () => {
    const a = await brokenApp();
    await checkAccount(a.workspaceId, a.ada.id);
    actAs(a.owner, a.workspaceId);
    const replace = { clientId: app.clientId, clientSecret: a.newSecret };
    // The replace dialog is shown the two accounts; confirming a stale 0 is refused.
    expect(await saveXCredentialsAction({ ...replace, confirmAccountsMarked: 0 })).toMatchObject({ ok: true, data: { status: "confirm", dependents: { total: 2, needReconnect: 2 } } });
    expect(await saveXCredentialsAction({ ...replace, confirmAccountsMarked: 2 })).toMatchObject({ ok: true, data: { status: "saved", created: false, accountsMarked: 0 } });

    const summary = (await getCredentialSummary({ workspaceId: a.workspaceId }))!;
    expect(summary).toMatchObject({ rejected: null, version: 2, lastTest: { status: "valid" } });
    expect(await dependentAccounts(a.workspaceId, summary.id)).toMatchObject({ total: 0, needReconnect: 0 });

    const cards = await listBrandAccounts(a.workspaceId, a.brandId);
    expect(cards.map((c) => [c.reason?.code, c.reason?.fix])).toEqual([
      ["app-credentials", APP_CREDENTIALS_FIXED],
      ["app-credentials", APP_CREDENTIALS_FIXED],
    ]);
    expect(APP_CREDENTIALS_FIXED).not.toMatch(/replace (the|them) /i);
    expect((await listAccountsNeedingReconnect(a.workspaceId)).items.map((i) => i.reason.fix)).toEqual([APP_CREDENTIALS_FIXED, APP_CREDENTIALS_FIXED]);
    expect((await brandAttention(a.workspaceId, a.brandId)).reasons).toEqual([expect.objectContaining({ code: "app-credentials:replaced", count: 2, fix: APP_CREDENTIALS_FIXED })]);

    const started = await startConnect(a.member, a.workspaceId, a.brandId);
    expect(started.status).toBe(303);
    expect(new URL(started.headers.get("location")!).searchParams.get("client_id")).toBe(app.clientId);
  });

  it("testing the saved credentials keeps the mark while X still refuses them, and lifts it when X accepts them", async () => {
    const a = await brokenApp();
    await checkAccount(a.workspaceId, a.ada.id);
    actAs(a.owner, a.workspaceId);
    expect(await testXCredentialsAction({})).toMatchObject({ ok: true, data: { status: "invalid" } });
    expect((await getCredentialSummary({ workspaceId: a.workspaceId }))!.rejected).not.toBeNull();
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status: 400, body: { error: "invalid_grant" }, times: 1 });
    expect(await testXCredentialsAction({})).toMatchObject({ ok: true, data: { status: "valid" } });
    expect((await getCredentialSummary({ workspaceId: a.workspaceId }))!.rejected).toBeNull();
    expect((await listBrandAccounts(a.workspaceId, a.brandId)).map((c) => c.reason?.fix)).toEqual([APP_CREDENTIALS_FIXED, APP_CREDENTIALS_FIXED]);
  });

  it("an account broken by an earlier version is not a dependent of the credentials saved now", async () => {
    const a = await brokenApp();
    await checkAccount(a.workspaceId, a.ada.id);
    actAs(a.owner, a.workspaceId);
    await saveXCredentialsAction({ clientId: app.clientId, clientSecret: a.newSecret, confirmAccountsMarked: 2 });
    // A second replacement: nothing depends on version 2 yet, so no confirmation is needed for 0.
    expect(await saveXCredentialsAction({ clientId: app.clientId, clientSecret: a.newSecret, confirmAccountsMarked: 0 })).toMatchObject({ ok: true, data: { status: "saved", accountsMarked: 0 } });
  });
});

describe("Test credentials", () => {
  it("an RFC 6749 answer of invalid_grant proves the client authenticated: valid", async () => {
    const a = await agency(null);
    actAs(a.owner, a.workspaceId);
    await ctx.emu.control.injectFault({
      method: "POST",
      path: "/2/oauth2/token",
      status: 400,
      body: { error: "invalid_grant", error_description: "The provided authorization grant is invalid, expired or revoked." },
      times: 1,
    });
    expect(await testXCredentialsAction(app)).toMatchObject({ ok: true, data: { status: "valid", message: "X accepted this Client ID and Client Secret." } });
  });

  it("invalid_client, even as a 400, is invalid; X's own answers keep their meaning", async () => {
    const a = await agency(null);
    actAs(a.owner, a.workspaceId);
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status: 400, body: { error: "invalid_client" }, times: 1 });
    expect(await testXCredentialsAction(app)).toMatchObject({ ok: true, data: { status: "invalid" } });
    expect(await testXCredentialsAction(app)).toMatchObject({ ok: true, data: { status: "valid" } });
    expect(await testXCredentialsAction({ clientId: app.clientId, clientSecret: `${app.clientSecret.slice(0, -4)}XXXX` })).toMatchObject({ ok: true, data: { status: "invalid" } });
  });

  it("when X answers but not clearly, no message says X could not be reached", async () => {
    const a = await agency(null);
    actAs(a.owner, a.workspaceId);
    for (const status of [503, 429]) {
      await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status, body: { title: "nope" }, times: 1 });
      const saved = await saveXCredentialsAction({ ...app, ...(status === 429 ? { confirmAccountsMarked: 0 } : {}) });
      expect(saved).toMatchObject({ ok: true, data: { status: "saved", test: { status: "inconclusive" } } });
      const message = saved.ok && saved.data.status === "saved" ? saved.data.test.message : "";
      expect(message).toContain(`HTTP ${status}`);
      expect(message).not.toMatch(/could not be reached/i);
    }
  });
});
