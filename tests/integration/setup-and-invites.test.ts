import { describe, expect, it } from "vitest";
import { acceptInviteAction, joinInviteAction, setupAction, signInAction, type AuthFormState } from "@/lib/actions/auth";
import { createInviteAction } from "@/lib/actions/members";
import { acceptInvite, lookupInvite } from "@/lib/data/members";
import { isSetupComplete } from "@/lib/data/setup";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/password";
import { actAs, makeWorkspace } from "./helpers";

type Outcome = AuthFormState | { redirectedTo: string };

/** Submits a form to an auth action as the browser would: FormData; success is a redirect. */
async function submit(action: (state: AuthFormState, form: FormData) => Promise<AuthFormState>, fields: Record<string, string>): Promise<Outcome> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  try {
    return await action(null, form);
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT;")) return { redirectedTo: digest.split(";")[2]! };
    throw error;
  }
}
const SIGNED_IN = { redirectedTo: "/brands" };

const owner = { name: "Olivia", email: "Olivia@Agency.test", password: "a long enough password", workspaceName: "Acme" };

describe("first-run setup", () => {
  it("creates the owner and workspace once; every later attempt is refused", async () => {
    expect(await isSetupComplete()).toBe(false);
    // Two browsers racing: exactly one wins.
    const attempts = [owner, { ...owner, email: "other@agency.test" }];
    const results = await Promise.all(attempts.map((a) => submit(setupAction, a)));
    expect(results.filter((r) => r && "redirectedTo" in r)).toEqual([SIGNED_IN]);
    const winner = attempts[results.findIndex((r) => r && "redirectedTo" in r)]!;
    expect(results.find((r) => !(r && "redirectedTo" in r))).toMatchObject({ error: "Keyport is already set up. Sign in instead." });
    expect(await db.user.count()).toBe(1);
    const user = await db.user.findFirstOrThrow({ include: { memberships: { include: { workspace: true } } } });
    expect(user.email).toBe(winner.email.toLowerCase());
    expect(user.memberships).toMatchObject([{ role: "OWNER", workspace: { name: "Acme" } }]);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, winner.password)).toBe(true);
    expect(await submit(setupAction, { ...owner, email: "late@agency.test" })).toMatchObject({ error: expect.any(String) });
  });

  it("rejects bad input with field errors", async () => {
    const result = await submit(setupAction, { name: "", email: "not-an-email", password: "short", workspaceName: "x".repeat(10_000) });
    expect(result).toMatchObject({ fieldErrors: { name: expect.any(String), email: expect.any(String), password: expect.any(String), workspaceName: expect.any(String) } });
    // What was typed comes back to refill the form, except the password.
    expect(result).toMatchObject({ values: { name: "", email: "not-an-email" } });
    expect(JSON.stringify(result)).not.toContain("short");
  });

  it("refuses anything that is not a submitted form, before reading a field", async () => {
    const call = setupAction as unknown as (state: unknown, form: unknown) => Promise<AuthFormState>;
    expect(await call(null, { ...owner })).toEqual({ error: "The form could not be read. Reload the page and try again." });
    expect(await call(null, "name=x")).toMatchObject({ error: expect.any(String) });
    const form = new FormData();
    for (const [k, v] of Object.entries(owner)) form.set(k, v);
    form.set("password", new Blob(["a long enough password"]));
    expect(await call(null, form)).toMatchObject({ fieldErrors: { password: expect.any(String) } });
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
    const accepted = await submit(acceptInviteAction, { token, name: "Newbie", password: "newbie password" });
    expect(accepted).toEqual(SIGNED_IN);
    const user = await db.user.findUniqueOrThrow({ where: { email: "newbie@test.dev" }, include: { memberships: true } });
    expect(user.memberships).toMatchObject([{ workspaceId: ws.workspace.id, role: "ADMIN" }]);

    expect(await submit(acceptInviteAction, { token, name: "Again", password: "another password" })).toEqual({
      error: "This invite link is no longer valid. Ask for a new one.",
      values: { name: "Again" },
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
    expect(await submit(acceptInviteAction, { token, name: "Late", password: "late password!" })).toMatchObject({ error: expect.any(String) });
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
    expect(await submit(acceptInviteAction, { token, name: "Hijack", password: "attacker password" })).toMatchObject({
      error: expect.stringContaining("already exists"),
    });
    // Joining needs that very account signed in: nobody, or someone else, is refused.
    expect(await submit(joinInviteAction, { token })).toEqual({ error: "Sign in as roamer@test.dev first, then open the invite link again." });
    actAs(ws.users["home-owner@test.dev"]!);
    expect(await submit(joinInviteAction, { token })).toEqual({ error: "Sign in as roamer@test.dev first, then open the invite link again." });
    actAs(other.users["roamer@test.dev"]!);
    expect(await submit(joinInviteAction, { token })).toEqual(SIGNED_IN);
    expect(await submit(joinInviteAction, { token })).toMatchObject({ error: expect.stringContaining("no longer valid") });
    expect(await db.membership.count({ where: { userId: other.users["roamer@test.dev"]! } })).toBe(2);
  });
});

describe("sign-in form action", () => {
  it("signs in and redirects; bad fields come back with errors and the email, never the password", async () => {
    expect(await submit(signInAction, { email: "Someone@Agency.test", password: "whatever it is" })).toEqual(SIGNED_IN);
    const bad = await submit(signInAction, { email: "nope", password: "" });
    expect(bad).toMatchObject({ fieldErrors: { email: expect.any(String), password: "Enter your password." }, values: { email: "nope" } });
    expect(bad && "values" in bad && bad.values).not.toHaveProperty("password");
  });
});
