// API keys: made by owners and admins, shown once, stored as a hash; revoked and expired keys are
// refused and the attempts audited; "last used" is written at most once a minute.
import { describe, expect, it } from "vitest";
import { GET as brandsRoute } from "@/app/api/v1/brands/route";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/actions/api-keys";
import { sha256Hex } from "@/lib/crypto/bearer";
import { listApiKeys } from "@/lib/data/api-keys";
import { listAudit } from "@/lib/data/audit";
import { db } from "@/lib/db";
import { call, expectProblem, makeKey } from "./api-helpers";
import { actAs, makeWorkspace } from "./helpers";

let n = 0;
async function agency() {
  n++;
  const { workspace, users } = await makeWorkspace(`Keys agency ${n}`, [
    { email: `owner${n}@keys.test`, role: "OWNER" },
    { email: `admin${n}@keys.test`, role: "ADMIN" },
    { email: `member${n}@keys.test`, role: "MEMBER" },
  ]);
  return { workspaceId: workspace.id, owner: users[`owner${n}@keys.test`]!, admin: users[`admin${n}@keys.test`]!, member: users[`member${n}@keys.test`]! };
}

describe("API keys", () => {
  it("are shown once, in a scanner-recognisable form, and only a SHA-256 hash plus prefix and last four are stored", async () => {
    const a = await agency();
    actAs(a.admin, a.workspaceId);
    const result = await createApiKeyAction({ name: "CRM sync", scopes: ["accounts:read", "links:write"], expiresInDays: "30" });
    if (!result.ok) throw new Error(result.error);
    const { key } = result.data;
    expect(key).toMatch(/^kp_live_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(8), "base64url")).toHaveLength(32);

    const row = await db.apiKey.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    expect(row).toMatchObject({ name: "CRM sync", keyHash: sha256Hex(key), prefix: "kp_live_", lastFour: key.slice(-4), scopes: "accounts:read links:write", revokedAt: null, lastUsedAt: null });
    expect(JSON.stringify(row)).not.toContain(key.slice(8));
    const days = (row.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    // Never again: not in the list, not in the audit log.
    const listed = await listApiKeys(a.workspaceId);
    expect(listed).toEqual([expect.objectContaining({ name: "CRM sync", display: `kp_live_…${key.slice(-4)}`, scopes: ["accounts:read", "links:write"], status: "active", createdByName: "admin" + n })]);
    expect(JSON.stringify(listed)).not.toContain(key.slice(8, 20));
    const audit = await listAudit(a.workspaceId, { page: 1 });
    expect(audit.items.map((e) => e.action)).toContain("api_key.created");
    expect(JSON.stringify(audit)).not.toContain(key.slice(8, 20));
    // Two keys never share a value.
    const second = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    expect(second.key).not.toBe(key);
  });

  it("only owners and admins make and revoke keys; bad input and other workspaces' keys are refused", async () => {
    const a = await agency();
    const b = await agency();
    actAs(a.member, a.workspaceId);
    expect(await createApiKeyAction({ name: "x", scopes: ["accounts:read"] })).toEqual({ ok: false, error: "Only owners and admins can do that." });
    actAs(null);
    expect(await createApiKeyAction({ name: "x", scopes: ["accounts:read"] })).toEqual({ ok: false, error: "You are signed out. Sign in again." });
    actAs(a.owner, a.workspaceId);
    expect(await createApiKeyAction({ name: " ", scopes: [] })).toMatchObject({ ok: false, fieldErrors: { name: expect.any(String), scopes: "Choose at least one permission." } });
    expect(await createApiKeyAction({ name: "x", scopes: ["admin:everything" as never] })).toMatchObject({ ok: false, fieldErrors: { "scopes.0": expect.any(String) } });
    expect(await createApiKeyAction({ name: "x", scopes: ["accounts:read"], expiresInDays: "1000" as never })).toMatchObject({ ok: false, fieldErrors: { expiresInDays: expect.any(String) } });
    expect(await db.apiKey.count({ where: { workspaceId: a.workspaceId } })).toBe(0);

    const bKey = await makeKey(b.owner, b.workspaceId, ["accounts:read"]);
    actAs(a.owner, a.workspaceId);
    expect(await revokeApiKeyAction({ keyId: bKey.id })).toMatchObject({ ok: false });
    actAs(a.member, a.workspaceId);
    const aKey = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    actAs(a.member, a.workspaceId);
    expect(await revokeApiKeyAction({ keyId: aKey.id })).toMatchObject({ ok: false, error: "Only owners and admins can do that." });
    expect(await db.apiKey.count({ where: { revokedAt: { not: null } } })).toBe(0);
  });

  it("a revoked key is refused with 401 and every attempt is audited; revoking twice fails", async () => {
    const a = await agency();
    const { key, id } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    expect((await call(brandsRoute, "/brands", { key })).status).toBe(200);
    actAs(a.admin, a.workspaceId);
    expect(await revokeApiKeyAction({ keyId: id })).toEqual({ ok: true, data: undefined });
    expect(await revokeApiKeyAction({ keyId: id })).toMatchObject({ ok: false, error: expect.stringMatching(/already revoked/) });
    actAs(null);
    for (let i = 0; i < 2; i++) {
      const refused = await call(brandsRoute, "/brands?q=secret", { key });
      expectProblem(refused, 401, "api_key_revoked");
      expect(refused.response.headers.get("www-authenticate")).toMatch(/^Bearer realm="keyport-api", error="invalid_token"/);
    }
    const events = await db.auditEvent.findMany({ where: { workspaceId: a.workspaceId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["api_key.created", "api_key.revoked", "api_key.used_after_revoke", "api_key.used_after_revoke"]);
    expect(events[2]).toMatchObject({ actorName: expect.stringContaining("API key"), outcome: "refused", summary: expect.stringContaining("GET /api/v1/brands") });
    expect(JSON.stringify(events)).not.toContain(key.slice(8, 20));
    expect((await listApiKeys(a.workspaceId))[0]).toMatchObject({ status: "revoked", revokedAt: expect.any(Date) });
  });

  it("an expired key is refused with 401 and audited", async () => {
    const a = await agency();
    const { key, id } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    await db.apiKey.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expectProblem(await call(brandsRoute, "/brands", { key }), 401, "api_key_expired");
    expect(await db.auditEvent.count({ where: { workspaceId: a.workspaceId, action: "api_key.used_after_expiry" } })).toBe(1);
    expect((await listApiKeys(a.workspaceId))[0]!.status).toBe("expired");
  });

  it("a key that never expires keeps working", async () => {
    const a = await agency();
    actAs(a.owner, a.workspaceId);
    const result = await createApiKeyAction({ name: "forever", scopes: ["accounts:read"], expiresInDays: "never" });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.expiresAt).toBeNull();
    expect((await call(brandsRoute, "/brands", { key: result.data.key })).status).toBe(200);
  });

  it("missing, malformed and unknown keys, and sessions without a key, get 401 problems", async () => {
    const a = await agency();
    await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    // A signed-in session is not an API credential.
    actAs(a.owner, a.workspaceId);
    const noKey = await call(brandsRoute, "/brands");
    expectProblem(noKey, 401, "unauthenticated");
    expect(noKey.response.headers.get("www-authenticate")).toBe('Bearer realm="keyport-api"');
    actAs(null);
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer kp_live_short", `Bearer kp_live_${"A".repeat(43)}`, `Bearer kp_test_${"A".repeat(43)}`, `Bearer ${"A".repeat(51)}`]) {
      expectProblem(await call(brandsRoute, "/brands", { headers: { authorization: header } }), 401, "invalid_api_key");
    }
    expect(await db.auditEvent.count({ where: { workspaceId: a.workspaceId, action: { startsWith: "api_key.used" } } })).toBe(0);
  });

  it("'last used' is written on first use and then at most once a minute", async () => {
    const a = await agency();
    const { key, id } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    await call(brandsRoute, "/brands", { key });
    const first = (await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 20));
    await call(brandsRoute, "/brands", { key });
    await call(brandsRoute, "/brands", { key });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first);
    const old = new Date(Date.now() - 61_000);
    await db.apiKey.update({ where: { id }, data: { lastUsedAt: old } });
    await call(brandsRoute, "/brands", { key });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });
});
