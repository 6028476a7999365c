// The X app credentials actions against the X emulator: Test credentials verdicts, saving,
// replacing and removing with their effect on connected accounts, roles and tenancy.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { removeXCredentialsAction, saveXCredentialsAction, setGuideStepAction, testXCredentialsAction, xCredentialDependentsAction } from "@/lib/actions/x-credentials";
import { db } from "@/lib/db";
import { effectiveCredential, getCredentialSummary, getGuideProgress, openCredential } from "@/lib/data/x-credentials";
import { env } from "@/lib/env";
import { actAs, makeWorkspace } from "./helpers";
import { CALLBACK, emulatorWithTwoApps } from "./x-credentials-helpers";

const ctx = emulatorWithTwoApps();
beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await db.rateLimit.deleteMany({});
});

let n = 0;
async function adminWorkspace() {
  n++;
  const { workspace, users } = await makeWorkspace(`WS ${n}`, [
    { email: `owner${n}@example.com`, role: "OWNER" },
    { email: `member${n}@example.com`, role: "MEMBER" },
  ]);
  const owner = users[`owner${n}@example.com`]!;
  actAs(owner, workspace.id);
  return { workspaceId: workspace.id, owner, member: users[`member${n}@example.com`]! };
}

async function addAccount(workspaceId: string, brandId: string, credentialId: string, xUserId: string, version = 1) {
  return db.connectedAccount.create({
    data: { id: randomUUID(), workspaceId, brandId, xUserId, name: `U${xUserId}`, username: `u${xUserId}`, grantedScopes: "tweet.read", credentialId, credentialVersion: version },
  });
}

describe("Test credentials against X", () => {
  it("valid credentials", async () => {
    await adminWorkspace();
    const result = await testXCredentialsAction(ctx.app);
    expect(result).toMatchObject({ ok: true, data: { status: "valid" } });
  });

  it("a wrong secret is invalid, with the fix", async () => {
    await adminWorkspace();
    const result = await testXCredentialsAction({ clientId: ctx.app.clientId, clientSecret: `${ctx.app.clientSecret.slice(0, -4)}XXXX` });
    expect(result).toMatchObject({ ok: true, data: { status: "invalid" } });
    if (result.ok) expect(result.data.message).toMatch(/unauthorized_client.*OAuth 2.0 Client ID and Client Secret/);
  });

  it.each(["unauthorized_client", "invalid_client"] as const)("an unknown client is invalid (X answering %s)", async (form) => {
    await adminWorkspace();
    await ctx.emu.control.setSwitches({ unknownClientError: form });
    try {
      const unknown = Buffer.from("nosuchclient00000000:1:ci").toString("base64url");
      const result = await testXCredentialsAction({ clientId: unknown, clientSecret: "s".repeat(50) });
      expect(result).toMatchObject({ ok: true, data: { status: "invalid" } });
      if (result.ok) expect(result.data.message).toContain(form);
    } finally {
      await ctx.emu.control.setSwitches({ unknownClientError: "unauthorized_client" });
    }
  });

  it("a public client (Native App / Single page App) is invalid and says why", async () => {
    await adminWorkspace();
    const spa = await ctx.emu.control.createApp({ name: "SPA", type: "public", callbackUrls: [CALLBACK] });
    const result = await testXCredentialsAction({ clientId: spa.clientId, clientSecret: "made-up-secret-for-a-public-client-0123456789" });
    expect(result).toMatchObject({ ok: true, data: { status: "invalid" } });
    if (result.ok) expect(result.data.message).toMatch(/Native App or Single page App/);
  });

  it.each([
    ["a 500", { status: 500, body: { title: "Internal Server Error" } }],
    ["a 503 HTML page", { status: 503, body: "<html>Over capacity</html>" }],
    ["a 429", { status: 429, body: { title: "Too Many Requests", status: 429 } }],
    ["a lost reply", { loseReply: true }],
  ])("X answering %s is inconclusive, never invalid", async (_, fault) => {
    await adminWorkspace();
    await ctx.emu.control.injectFault({ path: "/2/oauth2/token", ...fault });
    const result = await testXCredentialsAction(ctx.app);
    expect(result).toMatchObject({ ok: true, data: { status: "inconclusive" } });
    if (result.ok) expect(result.data.message).toMatch(/says nothing about whether the credentials are right/);
  });

  it("a timeout is inconclusive", async () => {
    await adminWorkspace();
    const before = env.X_TIMEOUT_MS;
    Object.assign(env, { X_TIMEOUT_MS: 200 });
    try {
      await ctx.emu.control.injectFault({ path: "/2/oauth2/token", delayMs: 1500 });
      const result = await testXCredentialsAction(ctx.app);
      expect(result).toMatchObject({ ok: true, data: { status: "inconclusive" } });
      if (result.ok) expect(result.data.message).toMatch(/did not answer in time/);
    } finally {
      Object.assign(env, { X_TIMEOUT_MS: before });
    }
  });

  it("is limited to a few tests per minute per workspace", async () => {
    const { workspaceId } = await adminWorkspace();
    for (let i = 0; i < 5; i++) expect((await testXCredentialsAction(ctx.app)).ok).toBe(true);
    const refused = await testXCredentialsAction(ctx.app);
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/Too many tests/) });
    // Another workspace has its own budget.
    await adminWorkspace();
    expect((await testXCredentialsAction(ctx.app)).ok).toBe(true);
    expect(workspaceId).toBeTruthy();
  });

  it("refuses malformed input with field errors before calling X", async () => {
    await adminWorkspace();
    await ctx.emu.control.clearRequests();
    const result = await testXCredentialsAction({ clientId: "has spaces in it but long enough", clientSecret: "short" });
    expect(result).toMatchObject({ ok: false, fieldErrors: { clientId: expect.stringMatching(/letters, digits/), clientSecret: expect.stringMatching(/too short/) } });
    expect(await ctx.emu.control.requests({ path: "/2/oauth2/token" })).toHaveLength(0);
  });
});

describe("saving", () => {
  it("tests first and does not save credentials X rejects", async () => {
    const { workspaceId } = await adminWorkspace();
    const result = await saveXCredentialsAction({ clientId: ctx.app.clientId, clientSecret: "w".repeat(50) });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^Not saved/) });
    expect(await getCredentialSummary({ workspaceId })).toBeNull();
  });

  it("seals both values; only six characters of the Client ID stay readable; audit has no secret", async () => {
    const { workspaceId } = await adminWorkspace();
    const result = await saveXCredentialsAction(ctx.app);
    expect(result).toMatchObject({ ok: true, data: { status: "saved", created: true, test: { status: "valid" } } });
    expect(JSON.stringify(result)).not.toContain(ctx.app.clientSecret);
    expect(JSON.stringify(result)).not.toContain(ctx.app.clientId.slice(0, 7));

    const row = await db.xCredential.findFirstOrThrow({ where: { workspaceId } });
    const dump = JSON.stringify(row);
    expect(dump).not.toContain(ctx.app.clientSecret);
    expect(dump).not.toContain(ctx.app.clientId.slice(0, 7));
    expect(row.clientIdPreview).toBe(ctx.app.clientId.slice(0, 6));
    expect(await openCredential(workspaceId, row.id)).toMatchObject(ctx.app);

    const summary = await getCredentialSummary({ workspaceId });
    expect(summary).toMatchObject({ clientIdPreview: ctx.app.clientId.slice(0, 6), clientKind: "confidential", lastTest: { status: "valid" } });
    expect(Object.keys(summary!)).not.toEqual(expect.arrayContaining(["clientIdSealed"]));
    expect(JSON.stringify(summary)).not.toContain("v1.");

    const audit = await db.auditEvent.findMany({ where: { workspaceId } });
    expect(audit.map((a) => a.action)).toEqual(["credentials.created"]);
    expect(JSON.stringify(audit)).not.toContain(ctx.app.clientSecret);
    expect(JSON.stringify(audit)).not.toContain(ctx.app.clientId.slice(0, 7));
  });

  it("saves when X cannot be reached, and says the test was inconclusive", async () => {
    const { workspaceId } = await adminWorkspace();
    await ctx.emu.control.injectFault({ path: "/2/oauth2/token", status: 502 });
    const result = await saveXCredentialsAction(ctx.app);
    expect(result).toMatchObject({ ok: true, data: { status: "saved", test: { status: "inconclusive" } } });
    expect((await getCredentialSummary({ workspaceId }))?.lastTest?.status).toBe("inconclusive");
  });
});

describe("replacing and removing", () => {
  async function workspaceWithAccounts() {
    const owner = await adminWorkspace();
    const brandA = await db.brand.create({ data: { workspaceId: owner.workspaceId, name: "Alpha", nameKey: "alpha" } });
    const brandB = await db.brand.create({ data: { workspaceId: owner.workspaceId, name: "Bravo", nameKey: "bravo" } });
    expect((await saveXCredentialsAction(ctx.app)).ok).toBe(true);
    expect((await saveXCredentialsAction({ ...ctx.otherApp, brandId: brandB.id })).ok).toBe(true);
    const def = (await getCredentialSummary({ workspaceId: owner.workspaceId }))!;
    const override = (await getCredentialSummary({ workspaceId: owner.workspaceId, brandId: brandB.id }))!;
    const onDefault = [await addAccount(owner.workspaceId, brandA.id, def.id, "1"), await addAccount(owner.workspaceId, brandA.id, def.id, "2"), await addAccount(owner.workspaceId, brandB.id, def.id, "3")];
    const onOverride = [await addAccount(owner.workspaceId, brandB.id, override.id, "4")];
    return { ...owner, brandA, brandB, def, override, onDefault, onOverride };
  }

  it("shows how many accounts in which brands depend, then marks exactly those", async () => {
    const w = await workspaceWithAccounts();
    const first = await saveXCredentialsAction({ ...ctx.app });
    expect(first).toEqual({
      ok: true,
      data: {
        status: "confirm",
        dependents: { total: 3, needReconnect: 0, brands: [{ brandId: w.brandA.id, brandName: "Alpha", count: 2 }, { brandId: w.brandB.id, brandName: "Bravo", count: 1 }], otherBrands: 0 },
      },
    });
    // Nothing changed yet.
    expect(await db.connectedAccount.count({ where: { workspaceId: w.workspaceId, status: "NEEDS_RECONNECT" } })).toBe(0);

    const secret = await ctx.emu.control.regenerateSecret(ctx.app.clientId);
    ctx.app = { ...ctx.app, clientSecret: secret };
    const saved = await saveXCredentialsAction({ clientId: ctx.app.clientId, clientSecret: secret, confirmAccountsMarked: 3 });
    expect(saved).toMatchObject({ ok: true, data: { status: "saved", created: false, accountsMarked: 3 } });
    for (const a of w.onDefault) {
      expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "secret-rotated" });
    }
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: w.onOverride[0]!.id } })).toMatchObject({ status: "ACTIVE", statusReason: null });
    expect((await getCredentialSummary({ workspaceId: w.workspaceId }))!.version).toBe(2);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { workspaceId: w.workspaceId, action: "credentials.replaced" } });
    expect(audit.summary).toMatch(/Replaced the Client Secret; 3 connected accounts marked/);
  });

  it("names the 20 busiest brands and counts the rest", async () => {
    const { workspaceId } = await adminWorkspace();
    expect((await saveXCredentialsAction(ctx.app)).ok).toBe(true);
    const def = (await getCredentialSummary({ workspaceId }))!;
    for (let i = 0; i < 25; i++) {
      const brand = await db.brand.create({ data: { workspaceId, name: `Brand ${i}`, nameKey: `brand ${i}` } });
      for (let k = 0; k <= (i === 7 ? 3 : 0); k++) await addAccount(workspaceId, brand.id, def.id, `${i}-${k}`);
    }
    const result = await xCredentialDependentsAction({});
    expect(result).toMatchObject({ ok: true, data: { total: 28, otherBrands: 5 } });
    if (result.ok) {
      expect(result.data.brands).toHaveLength(20);
      expect(result.data.brands[0]).toMatchObject({ brandName: "Brand 7", count: 4 });
    }
  });

  it("asks again when the count changed since it was shown", async () => {
    const w = await workspaceWithAccounts();
    await addAccount(w.workspaceId, w.brandA.id, w.def.id, "5");
    const stale = await saveXCredentialsAction({ ...ctx.app, confirmAccountsMarked: 3 });
    expect(stale).toMatchObject({ ok: true, data: { status: "confirm", dependents: { total: 4 } } });
    expect(await db.connectedAccount.count({ where: { workspaceId: w.workspaceId, status: "NEEDS_RECONNECT" } })).toBe(0);
  });

  it("a different Client ID is 'ctx.app replaced'", async () => {
    const w = await workspaceWithAccounts();
    const saved = await saveXCredentialsAction({ ...ctx.otherApp, brandId: w.brandB.id, confirmAccountsMarked: 1 });
    expect(saved).toMatchObject({ ok: true, data: { status: "saved", accountsMarked: 1 } });
    // Same ctx.app again for the override (same Client ID) — but the override's accounts were already marked.
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: w.onOverride[0]!.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "secret-rotated" });
    const replacedApp = await saveXCredentialsAction({ ...ctx.otherApp, confirmAccountsMarked: 3 });
    expect(replacedApp).toMatchObject({ ok: true, data: { accountsMarked: 3 } });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: w.onDefault[0]!.id } })).toMatchObject({ statusReason: "app-replaced" });
  });

  it("removing a brand's override falls back to the default and marks only its accounts", async () => {
    const w = await workspaceWithAccounts();
    expect((await effectiveCredential(w.workspaceId, w.brandB.id)).source).toBe("brand");
    expect(await xCredentialDependentsAction({ brandId: w.brandB.id })).toMatchObject({ ok: true, data: { total: 1 } });
    const removed = await removeXCredentialsAction({ brandId: w.brandB.id, confirmAccountsMarked: 1 });
    expect(removed).toEqual({ ok: true, data: { status: "removed", accountsMarked: 1 } });
    const effective = await effectiveCredential(w.workspaceId, w.brandB.id);
    expect(effective).toMatchObject({ source: "workspace", credential: { id: w.def.id } });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: w.onOverride[0]!.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "credentials-removed" });
    expect(await db.connectedAccount.count({ where: { workspaceId: w.workspaceId, status: "ACTIVE" } })).toBe(3);
    expect(await removeXCredentialsAction({ brandId: w.brandB.id, confirmAccountsMarked: 0 })).toMatchObject({ ok: false });
  });
});

describe("roles and tenancy", () => {
  it("a MEMBER cannot test, save, remove or tick guide steps", async () => {
    const { workspaceId, member } = await adminWorkspace();
    expect((await saveXCredentialsAction(ctx.app)).ok).toBe(true);
    actAs(member, workspaceId);
    await ctx.emu.control.clearRequests();
    expect(await testXCredentialsAction(ctx.app)).toMatchObject({ ok: false, error: expect.stringMatching(/owners and admins/) });
    expect(await testXCredentialsAction({})).toMatchObject({ ok: false });
    expect(await saveXCredentialsAction({ ...ctx.otherApp, confirmAccountsMarked: 0 })).toMatchObject({ ok: false });
    expect(await removeXCredentialsAction({ confirmAccountsMarked: 0 })).toMatchObject({ ok: false });
    expect(await setGuideStepAction({ step: "project", done: true })).toMatchObject({ ok: false });
    expect(await ctx.emu.control.requests({ path: "/2/oauth2/token" })).toHaveLength(0);
    expect((await getCredentialSummary({ workspaceId }))!.clientIdPreview).toBe(ctx.app.clientId.slice(0, 6));
  });

  it("workspace B cannot touch workspace A's credentials or brands", async () => {
    const a = await adminWorkspace();
    const brandA = await db.brand.create({ data: { workspaceId: a.workspaceId, name: "A brand", nameKey: "a brand" } });
    expect((await saveXCredentialsAction({ ...ctx.app, brandId: brandA.id })).ok).toBe(true);
    const b = await adminWorkspace();
    expect(await saveXCredentialsAction({ ...ctx.otherApp, brandId: brandA.id })).toEqual({ ok: false, error: "Brand not found." });
    expect(await removeXCredentialsAction({ brandId: brandA.id, confirmAccountsMarked: 0 })).toMatchObject({ ok: false });
    expect(await testXCredentialsAction({ brandId: brandA.id })).toEqual({ ok: false, error: "Brand not found." });
    expect(await xCredentialDependentsAction({ brandId: brandA.id })).toEqual({ ok: false, error: "Brand not found." });
    // B's own default does not replace A's anything.
    expect((await saveXCredentialsAction(ctx.otherApp)).ok).toBe(true);
    expect((await getCredentialSummary({ workspaceId: a.workspaceId, brandId: brandA.id }))!.clientIdPreview).toBe(ctx.app.clientId.slice(0, 6));
    expect(await getCredentialSummary({ workspaceId: a.workspaceId })).toBeNull();
    expect(b.workspaceId).not.toBe(a.workspaceId);
  });

  it("guide progress is kept per workspace", async () => {
    const a = await adminWorkspace();
    expect(await setGuideStepAction({ step: "callback", done: true })).toMatchObject({ ok: true });
    expect(await setGuideStepAction({ step: "nonsense", done: true })).toMatchObject({ ok: false });
    expect(await getGuideProgress(a.workspaceId)).toEqual(["callback"]);
    // Several ticked at once are all kept.
    await Promise.all(["project", "user-auth", "permissions", "keys"].map((step) => setGuideStepAction({ step, done: true })));
    expect((await getGuideProgress(a.workspaceId)).sort()).toEqual(["callback", "keys", "permissions", "project", "user-auth"]);
    const b = await adminWorkspace();
    expect(await getGuideProgress(b.workspaceId)).toEqual([]);
  });
});
