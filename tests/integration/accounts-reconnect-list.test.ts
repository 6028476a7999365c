// The accounts-needing-reconnect list behind /admin/connections: scoped by workspace, oldest
// problem first, filterable by reason, with the words and fix for each reason.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { countReconnectReasons, listAccountsNeedingReconnect } from "@/lib/data/accounts";
import { db } from "@/lib/db";
import { makeWorkspace } from "./helpers";

async function account(workspaceId: string, brandId: string, username: string, status: string, reason: string | null, since: Date | null) {
  return db.connectedAccount.create({
    data: {
      id: randomUUID(),
      workspaceId,
      brandId,
      xUserId: randomUUID(),
      name: username,
      username,
      grantedScopes: "tweet.read users.read",
      credentialId: "c",
      credentialVersion: 1,
      status,
      statusReason: reason,
      statusSince: since ?? new Date(),
    },
  });
}

describe("accounts needing reconnect", () => {
  it("lists only this workspace's flagged accounts, oldest first, and filters by reason", async () => {
    const a = await makeWorkspace("List A", [{ email: "list-a@test.dev", role: "OWNER" }]);
    const b = await makeWorkspace("List B", [{ email: "list-b@test.dev", role: "OWNER" }]);
    const brandA = await db.brand.create({ data: { workspaceId: a.workspace.id, name: "Alpha", nameKey: "alpha" } });
    const brandB = await db.brand.create({ data: { workspaceId: b.workspace.id, name: "Beta", nameKey: "beta" } });
    const day = 86_400_000;
    await account(a.workspace.id, brandA.id, "newer", "NEEDS_RECONNECT", "token-revoked", new Date(Date.now() - day));
    await account(a.workspace.id, brandA.id, "older", "NEEDS_RECONNECT", "missing-scopes", new Date(Date.now() - 3 * day));
    await account(a.workspace.id, brandA.id, "fine", "ACTIVE", null, null);
    await account(a.workspace.id, brandA.id, "gone", "DISCONNECTED", null, null);
    await account(b.workspace.id, brandB.id, "elsewhere", "NEEDS_RECONNECT", "token-revoked", new Date());

    const { items: all, total } = await listAccountsNeedingReconnect(a.workspace.id);
    expect(total).toBe(2);
    expect(all.map((x) => x.username)).toEqual(["older", "newer"]);
    expect(all[0]).toMatchObject({ brandName: "Alpha", reason: { code: "missing-scopes", label: "Permissions missing", fix: expect.stringContaining("developer portal") } });
    expect((await listAccountsNeedingReconnect(a.workspace.id, "token-revoked")).items.map((x) => x.username)).toEqual(["newer"]);
    expect(await listAccountsNeedingReconnect(a.workspace.id, "no-such-reason")).toMatchObject({ items: [], total: 0 });
    expect(await countReconnectReasons(a.workspace.id)).toEqual([
      { code: "token-revoked", label: "Access revoked at X", count: 1 },
      { code: "missing-scopes", label: "Permissions missing", count: 1 },
    ].sort((x, y) => x.label.localeCompare(y.label)));
  });
});

// The page itself (server-side pages, filters, bulk actions) is covered in admin-connections.test.ts.
