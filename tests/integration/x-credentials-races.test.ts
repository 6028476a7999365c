// Replace and remove racing other writers: the number of accounts marked is the number the person
// confirmed, checked in the same transaction; a concurrent replace or create is refused, not
// silently overwritten or turned into an unexpected error.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { removeXCredentialsAction, saveXCredentialsAction } from "@/lib/actions/x-credentials";
import { db } from "@/lib/db";
import { getCredentialSummary, openCredential } from "@/lib/data/x-credentials";
import { actAs, makeWorkspace } from "./helpers";
import { emulatorWithTwoApps } from "./x-credentials-helpers";

const ctx = emulatorWithTwoApps();
beforeEach(async () => {
  await db.rateLimit.deleteMany({});
});
afterEach(() => {
  vi.restoreAllMocks();
});

let n = 0;
async function workspaceWithAccounts() {
  n++;
  const { workspace, users } = await makeWorkspace(`Race WS ${n}`, [{ email: `race-owner${n}@example.com`, role: "OWNER" }]);
  actAs(users[`race-owner${n}@example.com`]!, workspace.id);
  const workspaceId = workspace.id;
  const brand = await db.brand.create({ data: { workspaceId, name: "Alpha", nameKey: "alpha" } });
  expect((await saveXCredentialsAction(ctx.app)).ok).toBe(true);
  const def = (await getCredentialSummary({ workspaceId }))!;
  for (const x of ["1", "2"]) await addAccount(workspaceId, brand.id, def.id, x);
  return { workspaceId, brand, def };
}

async function addAccount(workspaceId: string, brandId: string, credentialId: string, xUserId: string) {
  return db.connectedAccount.create({
    data: { id: randomUUID(), workspaceId, brandId, xUserId, name: `U${xUserId}`, username: `u${xUserId}`, grantedScopes: "tweet.read", credentialId, credentialVersion: 1 },
  });
}

/** Runs `meanwhile` just before the next transaction starts, as another request would. */
function beforeNextTransaction(meanwhile: () => Promise<unknown>) {
  const original = db.$transaction.bind(db);
  vi.spyOn(db, "$transaction").mockImplementationOnce((async (...args: Parameters<typeof db.$transaction>) => {
    await meanwhile();
    return (original as (...a: unknown[]) => Promise<unknown>)(...args);
  }) as typeof db.$transaction);
}

const marked = (workspaceId: string) => db.connectedAccount.count({ where: { workspaceId, status: "NEEDS_RECONNECT" } });

describe("replace and remove under concurrency", () => {
  it("replacing asks again when an account connected between the check and the transaction", async () => {
    const w = await workspaceWithAccounts();
    beforeNextTransaction(() => addAccount(w.workspaceId, w.brand.id, w.def.id, "3"));
    const result = await saveXCredentialsAction({ ...ctx.otherApp, confirmAccountsMarked: 2 });
    expect(result).toMatchObject({ ok: true, data: { status: "confirm", dependents: { total: 3 } } });
    expect(await marked(w.workspaceId)).toBe(0);
    const summary = (await getCredentialSummary({ workspaceId: w.workspaceId }))!;
    expect(summary.version).toBe(1);
    expect((await openCredential(w.workspaceId, summary.id))!.clientId).toBe(ctx.app.clientId);
    expect(await db.auditEvent.count({ where: { workspaceId: w.workspaceId, action: "credentials.replaced" } })).toBe(0);
  });

  it("removing asks again when an account connected between the check and the transaction", async () => {
    const w = await workspaceWithAccounts();
    beforeNextTransaction(() => addAccount(w.workspaceId, w.brand.id, w.def.id, "3"));
    const result = await removeXCredentialsAction({ confirmAccountsMarked: 2 });
    expect(result).toEqual({ ok: true, data: { status: "confirm", dependents: expect.objectContaining({ total: 3 }) } });
    expect(await marked(w.workspaceId)).toBe(0);
    expect(await getCredentialSummary({ workspaceId: w.workspaceId })).not.toBeNull();
  });

  it("removing refuses credentials replaced since it read them", async () => {
    const w = await workspaceWithAccounts();
    beforeNextTransaction(() => db.xCredential.updateMany({ where: { id: w.def.id }, data: { version: { increment: 1 } } }));
    const result = await removeXCredentialsAction({ confirmAccountsMarked: 2 });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/changed these credentials at the same time/) });
    expect(await marked(w.workspaceId)).toBe(0);
    expect((await getCredentialSummary({ workspaceId: w.workspaceId }))!.version).toBe(2);
  });

  it("two first saves at once: the loser hears so instead of an unexpected error", async () => {
    n++;
    const { workspace, users } = await makeWorkspace(`Race WS ${n}`, [{ email: `race-owner${n}@example.com`, role: "OWNER" }]);
    actAs(users[`race-owner${n}@example.com`]!, workspace.id);
    const winner = await import("@/lib/data/x-credentials");
    beforeNextTransaction(() =>
      winner.saveCredentials({ workspaceId: workspace.id, actor: { id: users[`race-owner${n}@example.com`]!, name: "Other admin" }, ...ctx.otherApp, test: null }),
    );
    const result = await saveXCredentialsAction(ctx.app);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/changed these credentials at the same time/) });
    const summary = (await getCredentialSummary({ workspaceId: workspace.id }))!;
    expect((await openCredential(workspace.id, summary.id))!.clientId).toBe(ctx.otherApp.clientId);
  });
});
