// The instance app (KEYPORT_X_CLIENT_ID / KEYPORT_X_CLIENT_SECRET): the lowest tier, brand
// override → workspace default → instance app, connecting and refreshing through it against the
// emulator, and never editable or readable from the dashboard.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeXCredentialsAction, testXCredentialsAction, xCredentialDependentsAction } from "@/lib/actions/x-credentials";
import { createConnectLinkFor } from "@/lib/data/connect-links";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { checkAccount } from "@/lib/connections/verify";
import { listBrandAccounts } from "@/lib/data/accounts";
import { effectiveCredential, getCredentialSummary, instanceVersion, nameApps, openCredential } from "@/lib/data/x-credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { actAs } from "./helpers";
import { addBrand, agency, connectOnce, emulatorForThisFile, newApp, ORIGIN, saveDefault, startConnect, tokenCalls, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let instance: App;
let agencyApp: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await ctx.emu.control.clearRequests();
  instance = await newApp(ctx.emu, "Operator's app");
  agencyApp ??= await newApp(ctx.emu, "Agency app");
  Object.assign(env, { KEYPORT_X_CLIENT_ID: instance.clientId, KEYPORT_X_CLIENT_SECRET: instance.clientSecret });
});

afterEach(() => {
  Object.assign(env, { KEYPORT_X_CLIENT_ID: undefined, KEYPORT_X_CLIENT_SECRET: undefined });
});

const effective = async (workspaceId: string, brandId: string) => {
  const e = await effectiveCredential(workspaceId, brandId);
  return { source: e.source, preview: e.credential?.clientIdPreview ?? null, scope: e.credential?.scope ?? null };
};

describe("precedence", () => {
  it("brand override → workspace default → instance app, and back down as each is removed", async () => {
    const a = await agency(null);
    const other = await addBrand(a.workspaceId);
    expect(await effective(a.workspaceId, a.brandId)).toEqual({ source: "instance", preview: instance.clientId.slice(0, 6), scope: "instance" });

    await saveDefault(a.workspaceId, a.owner, agencyApp);
    expect(await effective(a.workspaceId, a.brandId)).toMatchObject({ source: "workspace", preview: agencyApp.clientId.slice(0, 6) });

    const brandApp = await newApp(ctx.emu, "Brand app");
    await saveDefault(a.workspaceId, a.owner, brandApp, a.brandId);
    expect(await effective(a.workspaceId, a.brandId)).toMatchObject({ source: "brand", preview: brandApp.clientId.slice(0, 6) });
    expect(await effective(a.workspaceId, other.id)).toMatchObject({ source: "workspace" });

    actAs(a.owner, a.workspaceId);
    expect(await removeXCredentialsAction({ confirmAccountsMarked: 0 })).toMatchObject({ ok: true, data: { status: "removed" } });
    expect(await effective(a.workspaceId, other.id)).toMatchObject({ source: "instance", preview: instance.clientId.slice(0, 6) });
    expect(await effective(a.workspaceId, a.brandId)).toMatchObject({ source: "brand" });

    Object.assign(env, { KEYPORT_X_CLIENT_ID: undefined, KEYPORT_X_CLIENT_SECRET: undefined });
    expect(await effective(a.workspaceId, other.id)).toEqual({ source: null, preview: null, scope: null });
  });

  it("is not the workspace's: not its saved credentials, not testable, replaceable or removable from the dashboard, and its secret is in no summary", async () => {
    const a = await agency(null);
    const summary = (await effectiveCredential(a.workspaceId, a.brandId)).credential!;
    expect(JSON.stringify(summary)).not.toContain(instance.clientSecret);
    expect(JSON.stringify(summary)).not.toContain(instance.clientId);
    expect(summary.updatedByName).toMatch(/operator/);
    expect(await getCredentialSummary({ workspaceId: a.workspaceId })).toBeNull();
    actAs(a.owner, a.workspaceId);
    expect(await testXCredentialsAction({})).toMatchObject({ ok: false });
    expect(await removeXCredentialsAction({ confirmAccountsMarked: 0 })).toMatchObject({ ok: false });
    expect(await xCredentialDependentsAction({})).toMatchObject({ ok: true, data: { total: 0 } });
    // A connect link may be created: an app applies.
    expect(await createConnectLinkFor({ workspaceId: a.workspaceId, brandId: a.brandId, createdById: a.owner, expiresInHours: 24, requireApp: true })).toMatchObject({ status: "created" });
  });
});

describe("connecting and refreshing through the instance app", () => {
  it("connects with the instance Client ID, names the app as the instance app, and refreshes with its secret", async () => {
    const a = await agency(null);
    const { authorize, location } = await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId });
    expect(authorize.searchParams.get("client_id")).toBe(instance.clientId);
    expect(location).toMatch(/\?connect=/);
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    expect(account).toMatchObject({ status: "ACTIVE", credentialVersion: instanceVersion(instance.clientId) });
    const row = await db.xCredential.findFirstOrThrow({ where: { id: account.credentialId } });
    expect(row).toMatchObject({ workspaceId: a.workspaceId, scopeKey: "instance", brandId: null });
    expect(row.clientSecretSealed).not.toContain(instance.clientSecret);

    const [card] = await listBrandAccounts(a.workspaceId, a.brandId);
    expect(card!.app).toMatchObject({ source: "instance", clientIdPreview: instance.clientId.slice(0, 6), current: true });
    const name = await nameApps(a.workspaceId, [account]);
    expect(name(account)).toMatchObject({ scope: "instance", label: "Instance app (set by the operator)", clientIdPreview: instance.clientId.slice(0, 6), current: true, rejected: null });

    await db.connectedAccount.update({ where: { id: account.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    await ctx.emu.control.clearRequests();
    const token = await getValidAccessToken(a.workspaceId, account.id);
    expect(token).toMatchObject({ ok: true });
    const calls = await tokenCalls(ctx.emu);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.clientId).toBe(instance.clientId);
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ status: "ACTIVE", tokenVersion: account.tokenVersion + 1 });
  });

  it("the same row in every workspace's own space; a workspace default saved later does not take the instance app's accounts", async () => {
    const a = await agency(null);
    const b = await agency(null);
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId });
    await connectOnce(ctx.emu, { userId: b.owner, workspaceId: b.workspaceId, brandId: b.brandId }, { userId: X_USERS.blue });
    const ra = await db.xCredential.findMany({ where: { workspaceId: a.workspaceId } });
    const rb = await db.xCredential.findMany({ where: { workspaceId: b.workspaceId } });
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(1);
    expect(ra[0]!.id).not.toBe(rb[0]!.id);
    expect(await openCredential(a.workspaceId, rb[0]!.id)).toBeNull();

    await saveDefault(a.workspaceId, a.owner, agencyApp);
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    expect(account.status).toBe("ACTIVE");
    expect((await checkAccount(a.workspaceId, account.id)).status).toBe("working");
  });

  it("a new secret in the environment keeps the grants (X decides); a new Client ID asks for reconnects; unset, the app is gone", async () => {
    const a = await agency(null);
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId });
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    const expire = () => db.connectedAccount.update({ where: { id: account.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });

    const secret = await ctx.emu.control.regenerateSecret(instance.clientId);
    Object.assign(env, { KEYPORT_X_CLIENT_SECRET: secret });
    await expire();
    expect(await getValidAccessToken(a.workspaceId, account.id)).toMatchObject({ ok: true });
    expect((await tokenCalls(ctx.emu)).at(-1)).toMatchObject({ clientId: instance.clientId, status: 200 });

    const replacement = await newApp(ctx.emu, "Operator's new app");
    Object.assign(env, { KEYPORT_X_CLIENT_ID: replacement.clientId, KEYPORT_X_CLIENT_SECRET: replacement.clientSecret });
    await expire();
    expect(await getValidAccessToken(a.workspaceId, account.id)).toMatchObject({ ok: false, reason: "needs-reconnect" });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ status: "NEEDS_RECONNECT" });
    const started = await startConnect(a.owner, a.workspaceId, a.brandId);
    expect(new URL(started.headers.get("location")!).searchParams.get("client_id")).toBe(replacement.clientId);

    Object.assign(env, { KEYPORT_X_CLIENT_ID: undefined, KEYPORT_X_CLIENT_SECRET: undefined });
    expect(await openCredential(a.workspaceId, account.credentialId)).toBeNull();
    expect((await startConnect(a.owner, a.workspaceId, a.brandId)).headers.get("location")).toBe(`${ORIGIN}/brands/${a.brandId}?connect_error=no-credentials`);
  });

  it("X rejecting the instance app marks it for this workspace and refuses starts with the operator's fix; a new secret in the environment clears it", async () => {
    const a = await agency(null);
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId });
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    const secret = await ctx.emu.control.regenerateSecret(instance.clientId);
    await db.connectedAccount.update({ where: { id: account.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    expect(await checkAccount(a.workspaceId, account.id)).toMatchObject({ status: "needs-reconnect", reason: "app-credentials" });
    expect((await effectiveCredential(a.workspaceId, a.brandId)).credential!.rejected).toMatchObject({ reason: "credentials-rejected" });
    expect((await startConnect(a.owner, a.workspaceId, a.brandId)).headers.get("location")).toBe(`${ORIGIN}/brands/${a.brandId}?connect_error=instance-app-rejected`);

    Object.assign(env, { KEYPORT_X_CLIENT_SECRET: secret });
    expect((await effectiveCredential(a.workspaceId, a.brandId)).credential!.rejected).toBeNull();
    const [card] = await listBrandAccounts(a.workspaceId, a.brandId);
    expect(card!.reason).toMatchObject({ code: "app-credentials", fix: expect.stringMatching(/^The app's credentials have been replaced/) });
    expect((await startConnect(a.owner, a.workspaceId, a.brandId)).status).toBe(303);
  });
});
