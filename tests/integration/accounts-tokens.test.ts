// getValidAccessToken: refresh only near expiry, one refresh per grant across concurrent callers,
// and what each kind of failure does to the account (contract §7).
import { beforeEach, describe, expect, it, vi } from "vitest";
import { openColumn, SEALED, sealColumn } from "@/lib/crypto/app-ring";
import { tryLock, unlock, withLock } from "@/lib/connections/lock";
import { getValidAccessToken, refreshLockName } from "@/lib/connections/tokens";
import { db } from "@/lib/db";
import { agency, connectOnce, newApp, emulatorForThisFile, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  app ??= await newApp(ctx.emu);
});

async function connected(options: { dropScopes?: string[]; app?: App } = {}) {
  const a = await agency(options.app ?? app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { dropScopes: options.dropScopes });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
  await ctx.emu.control.clearRequests();
  return { ...a, account };
}

const nearExpiry = (accountId: string) => db.connectedAccount.update({ where: { id: accountId }, data: { accessTokenExpiresAt: new Date(Date.now() + 60_000) } });
const refreshCalls = async () => (await ctx.emu.control.requests({ path: "/2/oauth2/token" })).filter((r) => r.grantType === "refresh_token");

describe("getValidAccessToken", () => {
  it("a token far from expiry is returned as stored, without calling X", async () => {
    const a = await connected();
    const result = await getValidAccessToken(a.workspaceId, a.account.id);
    expect(result).toMatchObject({ ok: true, accessToken: openColumn(SEALED.accessToken, a.account.id, a.account.accessTokenSealed!) });
    expect(await ctx.emu.control.requests()).toHaveLength(0);
    expect(await getValidAccessToken("another-workspace", a.account.id)).toEqual({ ok: false, reason: "not-found" });
  });

  it("near expiry it refreshes once, stores the rotated pair sealed, and the new token works", async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    const result = await getValidAccessToken(a.workspaceId, a.account.id);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await refreshCalls()).toHaveLength(1);
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    expect(row.refreshTokenSealed).not.toBe(a.account.refreshTokenSealed);
    expect(openColumn(SEALED.accessToken, row.id, row.accessTokenSealed!)).toBe(result.accessToken);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 7000_000);
    const me = await fetch(`${ctx.emu.apiBaseUrl}/2/users/me`, { headers: { authorization: `Bearer ${result.accessToken}` } });
    expect(me.status).toBe(200);
  });

  it("ten concurrent callers near expiry: exactly one refresh reaches X, all get the same new token", async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", delayMs: 300, times: 1 });
    const results = await Promise.all(Array.from({ length: 10 }, () => getValidAccessToken(a.workspaceId, a.account.id)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.accessToken : null))).size).toBe(1);
    expect(await refreshCalls()).toHaveLength(1);
    expect((await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).status).toBe("ACTIVE");
  });

  it("forceRefresh refreshes a token that is not due (a health check), once for concurrent callers", async () => {
    const a = await connected();
    const before = openColumn(SEALED.accessToken, a.account.id, a.account.accessTokenSealed!);
    const results = await Promise.all(Array.from({ length: 5 }, () => getValidAccessToken(a.workspaceId, a.account.id, { forceRefresh: true })));
    expect(results.every((r) => r.ok)).toBe(true);
    const tokens = new Set(results.map((r) => (r.ok ? r.accessToken : null)));
    expect(tokens.size).toBe(1);
    expect(tokens.has(before)).toBe(false);
    expect(await refreshCalls()).toHaveLength(1);
    // Without it, the fresh token is simply returned.
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: true, accessToken: [...tokens][0] });
    expect(await refreshCalls()).toHaveLength(1);
  });

  it("the grant was revoked at X (400 on refresh): marked for reconnection, with an audit entry", async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "needs-reconnect", reconnectReason: "refresh-failing" });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "refresh-failing" });
    expect(await db.auditEvent.findFirst({ where: { workspaceId: a.workspaceId, action: "account.needs_reconnect" } })).toMatchObject({ outcome: "refresh-failing" });
  });

  it("a reconnect that lands just after the re-read that follows a 400 is not marked for reconnection", async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
    // The person reconnects at the worst moment: after the re-read, before the account is marked.
    const id = a.account.id;
    const reconnected = {
      accessTokenSealed: sealColumn(SEALED.accessToken, id, "reconnected-access"),
      refreshTokenSealed: sealColumn(SEALED.refreshToken, id, "reconnected-refresh"),
      accessTokenExpiresAt: new Date(Date.now() + 7_200_000),
    };
    // Marking happens in a transaction of its own (lib/connections/status.ts): the reconnect
    // (which stores a new token pair, hence a new token version) commits just before it.
    const original = db.$transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    const spy = vi.spyOn(db, "$transaction").mockImplementation((async (...args: unknown[]) => {
      await db.connectedAccount.update({ where: { id: a.account.id }, data: { ...reconnected, tokenVersion: { increment: 1 } } });
      return original(...args);
    }) as unknown as typeof db.$transaction);
    try {
      // The caller gets the reconnected token instead of being told to reconnect.
      expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: true, accessToken: "reconnected-access" });
    } finally {
      spy.mockRestore();
    }
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "ACTIVE", statusReason: null, ...reconnected });
    expect(await db.auditEvent.count({ where: { workspaceId: a.workspaceId, action: "account.needs_reconnect" } })).toBe(0);
  });

  it("X rejects the app's credentials (401 on refresh): an app problem, marked as such", async () => {
    const own = await newApp(ctx.emu, "Soon rotated");
    const a = await connected({ app: own });
    await nearExpiry(a.account.id);
    await ctx.emu.control.regenerateSecret(own.clientId);
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "needs-reconnect", reconnectReason: "app-credentials" });
    expect(await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "app-credentials" });
  });

  it("X answers 500 or times out: transient, the tokens are kept and the account stays active", async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", status: 500, times: 1 });
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: false, reason: "transient", transient: "server-error", xError: expect.stringMatching(/^500\b/) });
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    expect(row).toMatchObject({ status: "ACTIVE", refreshTokenSealed: a.account.refreshTokenSealed });
    // Next time X answers, the same refresh token still works.
    expect((await getValidAccessToken(a.workspaceId, a.account.id)).ok).toBe(true);
  });

  it("no refresh token (offline.access not granted): a reconnect is needed once the token runs out", async () => {
    const a = await connected({ dropScopes: ["offline.access"] });
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { status: "ACTIVE", statusReason: null } });
    await nearExpiry(a.account.id);
    expect(await getValidAccessToken(a.workspaceId, a.account.id)).toEqual({ ok: false, reason: "needs-reconnect", reconnectReason: "missing-scopes" });
    expect(await refreshCalls()).toHaveLength(0);
  });
});

describe("a busy database", () => {
  it("'database busy' (P1008) while reading, locking or saving the rotated pair is waited out, never thrown", async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    const busy = () => Object.assign(new Error("Operations timed out after `5000ms`"), { code: "P1008" });
    const delegates = [db.connectedAccount, db.rateLimit] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>[];
    const spies = [
      [delegates[0]!, "findFirst"],
      [delegates[0]!, "updateMany"],
      [delegates[1]!, "findUnique"],
    ].map(([delegate, method]) => {
      const original = (delegate as Record<string, (...args: unknown[]) => Promise<unknown>>)[method as string]!.bind(delegate);
      let left = 2;
      return vi.spyOn(delegate as Record<string, (...args: unknown[]) => Promise<unknown>>, method as string).mockImplementation(async (...args: unknown[]) => {
        if (left-- > 0) throw busy();
        return original(...args);
      });
    });
    try {
      const result = await getValidAccessToken(a.workspaceId, a.account.id);
      expect(result.ok).toBe(true);
      // The save after X rotated the refresh token went through: the stored pair is the new one.
      const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
      expect(row.tokenVersion).toBe(a.account.tokenVersion + 1);
      if (result.ok) expect(openColumn(SEALED.accessToken, row.id, row.accessTokenSealed!)).toBe(result.accessToken);
      expect(spies[1]!.mock.calls.length).toBeGreaterThanOrEqual(3);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(await refreshCalls()).toHaveLength(1);
  });

  it("anything else going wrong in the database is a transient result, not an exception", async () => {
    const a = await connected();
    const spy = vi.spyOn(db.connectedAccount, "findFirst").mockRejectedValue(new Error("connection reset"));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await getValidAccessToken(a.workspaceId, a.account.id)).toMatchObject({ ok: false, reason: "transient" });
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
  });
});

describe("the refresh lock", () => {
  it("is held for the whole call to X, however long X_TIMEOUT_MS lets it take", { timeout: 60_000 }, async () => {
    const a = await connected();
    await nearExpiry(a.account.id);
    const { env } = await import("@/lib/env");
    const { DB_KIND } = await import("@/lib/db");
    const saved = env.X_TIMEOUT_MS;
    env.X_TIMEOUT_MS = 45_000;
    // On PostgreSQL the lock lives in a transaction: X answering later than Prisma's default
    // 5-second transaction timeout must not end it early.
    const delayMs = DB_KIND === "postgres" ? 5_500 : 800;
    try {
      await ctx.emu.control.injectFault({ method: "POST", path: "/2/oauth2/token", delayMs, times: 1 });
      const running = getValidAccessToken(a.workspaceId, a.account.id);
      const name = refreshLockName(a.account.id);
      if (DB_KIND === "sqlite") {
        let lease = null;
        for (let i = 0; i < 100 && !lease; i++) {
          lease = await db.rateLimit.findUnique({ where: { key: `keyport-lock:${name}` } });
          if (!lease) await new Promise((r) => setTimeout(r, 10));
        }
        // A lease shorter than the call would let another process refresh with the same token.
        expect(lease!.expire!.getTime() - Date.now()).toBeGreaterThan(45_000);
      } else {
        await new Promise((r) => setTimeout(r, 300));
        const rows = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`);
        expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
      }
      // Anyone else asking for the lock meanwhile (a disconnect, another refresh) does not get it.
      await new Promise((r) => setTimeout(r, delayMs / 2));
      expect(await withLock(name, { ttlMs: 1_000, waitMs: 0 }, async (held) => held)).toBe(false);
      expect((await running).ok).toBe(true);
      expect(await withLock(name, { ttlMs: 1_000, waitMs: 0 }, async (held) => held)).toBe(true);
      expect(await refreshCalls()).toHaveLength(1);
    } finally {
      env.X_TIMEOUT_MS = saved;
    }
  });
});

describe("the lease lock", () => {
  it("is exclusive, released only by its owner, and taken over once its lease runs out", async () => {
    const first = await tryLock("test:exclusive", 60_000);
    expect(first).not.toBeNull();
    expect(await tryLock("test:exclusive", 60_000)).toBeNull();
    await unlock({ key: first!.key, owner: first!.owner + 1 });
    expect(await tryLock("test:exclusive", 60_000)).toBeNull();
    await unlock(first!);
    const stale = await tryLock("test:exclusive", 1);
    await new Promise((r) => setTimeout(r, 20));
    const thief = await tryLock("test:exclusive", 60_000);
    expect(thief).not.toBeNull();
    await unlock(stale!); // the old owner's release must not free the new owner's lock
    expect(await tryLock("test:exclusive", 60_000)).toBeNull();
    await unlock(thief!);
  });
});
