import { describe, expect, it } from "vitest";
import { acceptInviteAction, setupAction } from "@/lib/actions/auth";
import { createInviteAction } from "@/lib/actions/members";
import { acceptInvite, lookupInvite } from "@/lib/data/members";
import { isSetupComplete } from "@/lib/data/setup";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/password";
import { actAs, makeWorkspace } from "./helpers";

const owner = { name: "Olivia", email: "Olivia@Agency.test", password: "a long enough password", workspaceName: "Acme" };

describe("first-run setup", () => {
  it("creates the owner and workspace once; every later attempt is refused", async () => {
    expect(await isSetupComplete()).toBe(false);
    // Two browsers racing: exactly one wins.
    const attempts = [owner, { ...owner, email: "other@agency.test" }];
    const results = await Promise.all(attempts.map((a) => setupAction(a)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = attempts[results.findIndex((r) => r.ok)]!;
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: "Keyport is already set up. Sign in instead." });
    expect(await db.user.count()).toBe(1);
    const user = await db.user.findFirstOrThrow({ include: { memberships: { include: { workspace: true } } } });
    expect(user.email).toBe(winner.email.toLowerCase());
    expect(user.memberships).toMatchObject([{ role: "OWNER", workspace: { name: "Acme" } }]);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, winner.password)).toBe(true);
    expect(await setupAction({ ...owner, email: "late@agency.test" })).toMatchObject({ ok: false });
  });

  it("rejects bad input with field errors", async () => {
    const result = await setupAction({ name: "", email: "not-an-email", password: "short", workspaceName: "x".repeat(10_000) });
    expect(result).toMatchObject({ ok: false, fieldErrors: { name: expect.any(String), email: expect.any(String), password: expect.any(String), workspaceName: expect.any(String) } });
  });
});

describe("invite links", () => {
  it("are single-use and create a member with the invited role", async () => {
    const ws = await makeWorkspace("Inviters", [{ email: "inv-owner@test.dev", role: "OWNER" }]);
    actAs(ws.users["inv-owner@test.dev"]!);
    const created = await createInviteAction({ email: "Newbie@Test.dev", role: "ADMIN" });
    if (!created.ok) throw new Error(created.error);
    const token = created.data.url.split("/invite/")[1]!;
    expect(created.data.url.startsWith("http://127.0.0.1:3999/invite/")).toBe(true);
    // Only the hash is stored.
    expect(await db.invite.count({ where: { tokenHash: token } })).toBe(0);
    expect(await lookupInvite(token)).toMatchObject({ status: "valid", email: "newbie@test.dev", role: "ADMIN" });

    actAs(null);
    const accepted = await acceptInviteAction({ token, name: "Newbie", password: "newbie password" });
    expect(accepted).toEqual({ ok: true, data: undefined });
    const user = await db.user.findUniqueOrThrow({ where: { email: "newbie@test.dev" }, include: { memberships: true } });
    expect(user.memberships).toMatchObject([{ workspaceId: ws.workspace.id, role: "ADMIN" }]);

    expect(await acceptInviteAction({ token, name: "Again", password: "another password" })).toEqual({
      ok: false,
      error: "This invite link is no longer valid. Ask for a new one.",
    });
    expect(await lookupInvite(token)).toEqual({ status: "used" });
  });

  it("two simultaneous accepts: one account, one membership", async () => {
    const ws = await makeWorkspace("Racers", [{ email: "race-owner@test.dev", role: "OWNER" }]);
    actAs(ws.users["race-owner@test.dev"]!);
    const created = await createInviteAction({ email: "racer@test.dev", role: "MEMBER" });
    if (!created.ok) throw new Error(created.error);
    const token = created.data.url.split("/invite/")[1]!;
    const results = await Promise.all([1, 2, 3].map(() => acceptInvite(token, { name: "Racer", password: "racer password" })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.membership.count({ where: { workspaceId: ws.workspace.id } })).toBe(2);
  });

  it("expire after 7 days and can be withdrawn", async () => {
    const ws = await makeWorkspace("Expirers", [{ email: "exp-owner@test.dev", role: "OWNER" }]);
    actAs(ws.users["exp-owner@test.dev"]!);
    const created = await createInviteAction({ email: "late@test.dev", role: "MEMBER" });
    if (!created.ok) throw new Error(created.error);
    const days = (new Date(created.data.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const token = created.data.url.split("/invite/")[1]!;
    expect(await lookupInvite(token, new Date(Date.now() + 8 * 86_400_000))).toEqual({ status: "expired" });
    await db.invite.updateMany({ where: { workspaceId: ws.workspace.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    actAs(null);
    expect(await acceptInviteAction({ token, name: "Late", password: "late password!" })).toMatchObject({ ok: false });
    expect(await db.user.count({ where: { email: "late@test.dev" } })).toBe(0);
  });

  it("an invite for an existing account asks that account to sign in first", async () => {
    const ws = await makeWorkspace("Second home", [{ email: "home-owner@test.dev", role: "OWNER" }]);
    const other = await makeWorkspace("First home", [{ email: "roamer@test.dev", role: "MEMBER" }]);
    actAs(ws.users["home-owner@test.dev"]!);
    const created = await createInviteAction({ email: "roamer@test.dev", role: "MEMBER" });
    if (!created.ok) throw new Error(created.error);
    const token = created.data.url.split("/invite/")[1]!;
    actAs(null);
    expect(await acceptInviteAction({ token, name: "Hijack", password: "attacker password" })).toMatchObject({
      ok: false,
      error: expect.stringContaining("already exists"),
    });
    actAs(other.users["roamer@test.dev"]!);
    expect(await acceptInviteAction({ token, name: "existing", password: "x".repeat(10) })).toEqual({ ok: true, data: undefined });
    expect(await db.membership.count({ where: { userId: other.users["roamer@test.dev"]! } })).toBe(2);
  });
});
