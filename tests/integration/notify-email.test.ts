// Email through a real SMTP server in this process: one message per incident to the workspace's
// owners and admins (a bulk change is one message), a daily digest once per day while something
// needs attention, retries when the relay is down, and nothing at all without SMTP_URL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { markCredentialRejected, saveCredentials } from "@/lib/data/x-credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { runNotificationPass } from "@/lib/notify/pass";
import { agency, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";
import { startSmtpSink, type Mail, type SmtpSink } from "./smtp-sink";

const ctx = emulatorForThisFile();
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => smtp?.close());
beforeEach(async () => {
  Object.assign(env, { SMTP_URL: smtp.url, KEYPORT_EMAIL_FROM: "Keyport <keyport@agency.test>", KEYPORT_DIGEST_HOUR: 8 });
  await ctx.emu.control.clearFaults();
});

/** An agency with an owner, an admin and a member, and accounts connected through its own X app. */
async function agencyWith(users: string[]) {
  const app = await newApp(ctx.emu);
  const a = await agency(app);
  const admin = await db.user.create({ data: { email: `admin-${a.workspaceId}@connect.test`, name: "Ada Admin", passwordHash: "x" } });
  await db.membership.create({ data: { workspaceId: a.workspaceId, userId: admin.id, role: "ADMIN" } });
  for (const userId of users) await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId });
  const emails = await db.membership.findMany({ where: { workspaceId: a.workspaceId }, select: { role: true, user: { select: { email: true } } } });
  const staff = emails.filter((m) => m.role !== "MEMBER").map((m) => m.user.email).sort();
  const members = emails.filter((m) => m.role === "MEMBER").map((m) => m.user.email);
  return { ...a, app, staff, members };
}

/** What this agency's people received, digests apart. */
const incidentsFor = (staff: string[]) => smtp.mails.filter((m) => m.to.some((t) => staff.includes(t)) && !m.subject.includes("Daily summary"));
const digestsFor = (staff: string[]) => smtp.mails.filter((m) => m.to.some((t) => staff.includes(t)) && m.subject.includes("Daily summary"));

async function revokeAndUse(app: App, workspaceId: string, accountId: string, calls = 6) {
  await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
  await db.connectedAccount.update({ where: { id: accountId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
  for (let i = 0; i < calls; i++) await getValidAccessToken(workspaceId, accountId);
}

describe("incident emails", () => {
  it("one message per incident, to owners and admins only, with the reason and links that fix it — however many calls failed", async () => {
    const a = await agencyWith([X_USERS.ada]);
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    await revokeAndUse(a.app, a.workspaceId, account.id, 8);
    await runNotificationPass();
    await runNotificationPass();

    const mails = incidentsFor(a.staff);
    expect(mails).toHaveLength(1);
    const [mail] = mails as [Mail];
    expect(mail.to.sort()).toEqual(a.staff);
    for (const member of a.members) expect(mail.to).not.toContain(member);
    expect(mail.from).toBe("keyport@agency.test");
    const brand = await db.brand.findUniqueOrThrow({ where: { id: a.brandId } });
    expect(mail.subject).toBe(`[Keyport] @ada_sandbox (${brand.name}) needs reconnecting — Token refresh failing`);
    expect(mail.text).toContain("Token refresh failing");
    expect(mail.text).toContain(`Reconnect it: http://127.0.0.1:3999/brands/${a.brandId}`);
    expect(mail.html).toContain(`href="http://127.0.0.1:3999/brands/${a.brandId}"`);
    const stored = await db.connectedAccount.findUniqueOrThrow({ where: { id: account.id } });
    for (const secret of [a.app.clientSecret, stored.refreshTokenSealed!]) expect(mail.raw).not.toContain(secret);
    expect(await db.emailMessage.findMany({ where: { workspaceId: a.workspaceId }, select: { kind: true, status: true, recipients: true } })).toEqual(
      expect.arrayContaining([{ kind: "incident", status: "SENT", recipients: a.staff.length }]),
    );
  });

  it("a credential replacement that breaks three accounts is one message listing them", async () => {
    const a = await agencyWith([X_USERS.ada, X_USERS.blue, X_USERS.north]);
    const secret = await ctx.emu.control.regenerateSecret(a.app.clientId);
    const saved = await saveCredentials({ workspaceId: a.workspaceId, actor: { id: a.owner, name: "Olivia" }, clientId: a.app.clientId, clientSecret: secret, confirmAccountsMarked: 3, test: null });
    expect(saved).toMatchObject({ status: "saved", accountsMarked: 3 });
    expect(await db.notification.count({ where: { workspaceId: a.workspaceId } })).toBe(3);
    await runNotificationPass();

    const mails = incidentsFor(a.staff);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("[Keyport] 3 X accounts need reconnecting — Client Secret replaced");
    for (const who of ["@ada_sandbox", "@bluelanterncafe", "@northwindstudio"]) expect(mails[0]!.text).toContain(who);
    expect(mails[0]!.text).toContain("http://127.0.0.1:3999/admin/connections?reason=secret-rotated");
    expect(await db.notification.count({ where: { workspaceId: a.workspaceId, emailedAt: null } })).toBe(0);
  });

  it("X rejecting an app folds its accounts' notifications into the one credentials.rejected message", async () => {
    const a = await agencyWith([X_USERS.ada, X_USERS.blue]);
    const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    const marked = await markCredentialRejected({ workspaceId: a.workspaceId, credentialId: credential.id, version: credential.version, reason: "credentials-rejected", xError: "401 unauthorized_client" });
    expect(marked).toEqual({ marked: true, accounts: 2 });
    expect((await db.notification.findMany({ where: { workspaceId: a.workspaceId } })).map((n) => n.event).sort()).toEqual(["account.needs_reconnect", "account.needs_reconnect", "credentials.rejected"]);
    // A small batch limit must not split the incident.
    await runNotificationPass({ limit: 1 });
    await runNotificationPass({ limit: 1 });

    const mails = incidentsFor(a.staff);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^\[Keyport\] X rejected the app .+ \(the workspace's default app\) — 2 accounts need reconnecting$/);
    expect(mails[0]!.text).toContain("X said: 401 unauthorized_client");
    expect(mails[0]!.text).toContain("@ada_sandbox");
    expect(mails[0]!.text).toContain("http://127.0.0.1:3999/settings/x");
    expect(mails[0]!.raw).not.toContain(a.app.clientSecret);
  });

  it("sends nothing without SMTP_URL (and leaves the outbox for when it is set)", async () => {
    Object.assign(env, { SMTP_URL: undefined });
    const a = await agencyWith([X_USERS.ada]);
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    await revokeAndUse(a.app, a.workspaceId, account.id);
    const before = smtp.mails.length;
    const summary = await runNotificationPass();
    expect(summary.email).toBeNull();
    expect(smtp.mails.length).toBe(before);
    expect(await db.emailMessage.count({ where: { workspaceId: a.workspaceId } })).toBe(0);
    expect(await db.workerState.count({ where: { key: `digest:${a.workspaceId}` } })).toBe(0);

    Object.assign(env, { SMTP_URL: smtp.url });
    await runNotificationPass();
    expect(incidentsFor(a.staff)).toHaveLength(1);
  });

  it("retries when the mail relay is down, without ever logging the SMTP password", async () => {
    const a = await agencyWith([X_USERS.ada]);
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    await revokeAndUse(a.app, a.workspaceId, account.id);
    const closed = await startSmtpSink();
    await closed.close();
    Object.assign(env, { SMTP_URL: `smtp://keyport:hunter2-smtp-password@127.0.0.1:${closed.port}` });
    const now = new Date();
    await runNotificationPass({ now });
    const [pending] = await db.emailMessage.findMany({ where: { workspaceId: a.workspaceId, kind: "incident" } });
    expect(pending).toMatchObject({ status: "PENDING", attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|ESOCKET|ECONNECTION/) });
    expect(pending!.lastError).not.toContain("hunter2");
    expect(pending!.nextAttemptAt!.getTime()).toBeGreaterThan(now.getTime());

    Object.assign(env, { SMTP_URL: smtp.url });
    await runNotificationPass({ now: pending!.nextAttemptAt! });
    expect(incidentsFor(a.staff)).toHaveLength(1);
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: pending!.id } })).toMatchObject({ status: "SENT", attempts: 2 });
  });
});

describe("the daily digest", () => {
  it("goes out once per workspace per day, only while something needs attention", async () => {
    const a = await agencyWith([X_USERS.ada, X_USERS.blue]);
    const accounts = await db.connectedAccount.findMany({ where: { brandId: a.brandId }, orderBy: { username: "asc" } });
    await db.connectedAccount.update({ where: { id: accounts[0]!.id }, data: { status: "NEEDS_RECONNECT", statusReason: "token-revoked" } });
    await db.connectedAccount.update({ where: { id: accounts[1]!.id }, data: { status: "DEGRADED", statusReason: "x-unavailable" } });
    const day = (d: number, h: number) => new Date(Date.UTC(2031, 0, d, h, 0, 0));

    await runNotificationPass({ now: day(10, 7) });
    expect(digestsFor(a.staff)).toHaveLength(0);
    await runNotificationPass({ now: day(10, 9) });
    await runNotificationPass({ now: day(10, 9) });
    await runNotificationPass({ now: day(10, 18) });
    expect(digestsFor(a.staff)).toHaveLength(1);
    const [digest] = digestsFor(a.staff);
    expect(digest!.subject).toBe("[Keyport] Daily summary: 2 X accounts need attention (1 to reconnect, 1 degraded)");
    expect(digest!.to.sort()).toEqual(a.staff);
    expect(digest!.text).toContain("Access revoked at X: 1");
    expect(digest!.text).toContain("X keeps failing: 1");
    expect(digest!.text).toContain("@ada_sandbox");
    expect(digest!.text).toContain("http://127.0.0.1:3999/admin/connections");
    expect(await db.workerState.findUnique({ where: { key: `digest:${a.workspaceId}` } })).toMatchObject({ value: "2031-01-10" });

    await runNotificationPass({ now: day(11, 9) });
    expect(digestsFor(a.staff)).toHaveLength(2);
    await db.connectedAccount.updateMany({ where: { brandId: a.brandId }, data: { status: "ACTIVE", statusReason: null } });
    await runNotificationPass({ now: day(12, 9) });
    expect(digestsFor(a.staff)).toHaveLength(2);
  });
});
