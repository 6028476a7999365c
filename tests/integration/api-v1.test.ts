// /api/v1 end to end through the route handlers: each scope enforced, pagination, account health
// without tokens, connect and reconnect links, problem+json for every kind of error, and one
// workspace's key never seeing another's data.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import * as accountsRoute from "@/app/api/v1/accounts/route";
import * as accountRoute from "@/app/api/v1/accounts/[accountId]/route";
import * as usageRoute from "@/app/api/v1/apps/usage/route";
import * as linksRoute from "@/app/api/v1/brands/[brandId]/connect-links/route";
import * as brandsRoute from "@/app/api/v1/brands/route";
import * as postsRoute from "@/app/api/v1/posts/route";
import * as unknownRoute from "@/app/api/v1/[[...path]]/route";
import { checkAccountAction } from "@/lib/actions/account-checks";
import { apiHandler } from "@/lib/api/handler";
import { defineOperation } from "@/lib/api/operation";
import { listConnectLinks, lookupConnectLink } from "@/lib/data/connect-links";
import { db } from "@/lib/db";
import { z } from "zod";
import { call, expectProblem, makeKey } from "./api-helpers";
import { actAs } from "./helpers";
import { addBrand, agency, connectOnce, emulatorForThisFile, newApp, saveDefault, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;
beforeEach(async () => {
  app ??= await newApp(ctx.emu);
});

const ALL = ["accounts:read", "posts:write", "links:write"] as const;
const ZERO_COST = { posts: 0, urlPosts: 0, postsCost: { microUsd: 0, usd: 0 }, ownCalls: 0, ownCost: { microUsd: 0, usd: 0 }, totalCost: { microUsd: 0, usd: 0 } };
const NO_USAGE = { posts24h: null, endpoints: [], accounts: [], cost: { thisMonth: ZERO_COST, last30Days: ZERO_COST }, observedAt: null, warning: false };
const SEALED_MARKER = "SEALED-MARKER-never-in-api";

/** An account row written directly, with recognisable junk in every sealed column. */
async function seedAccount(workspaceId: string, brandId: string, fields: Partial<{ status: string; statusReason: string; statusSince: Date; username: string; credentialId: string; credentialVersion: number; grantedScopes: string }> = {}) {
  const id = randomUUID();
  const username = fields.username ?? `user_${id.slice(0, 6)}`;
  await db.connectedAccount.create({
    data: {
      id,
      workspaceId,
      brandId,
      xUserId: String(Math.floor(Math.random() * 1e15)),
      name: username,
      username,
      grantedScopes: fields.grantedScopes ?? "tweet.read users.read offline.access",
      accessTokenSealed: `${SEALED_MARKER}-access`,
      refreshTokenSealed: `${SEALED_MARKER}-refresh`,
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
      credentialId: fields.credentialId ?? "no-such-credential",
      credentialVersion: fields.credentialVersion ?? 1,
      status: fields.status ?? "ACTIVE",
      statusReason: fields.statusReason ?? null,
      statusSince: fields.statusSince ?? new Date(),
    },
  });
  return { id, username };
}

async function pages(route: typeof brandsRoute.GET, path: string, key: string) {
  const seen: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let count = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await call(route, `${path}${cursor ? `${sep}cursor=${cursor}` : ""}`, { key });
    expect(page.status).toBe(200);
    seen.push(...(page.json!.data as Record<string, unknown>[]));
    cursor = page.json!.nextCursor as string | null;
    count++;
  } while (cursor && count < 20);
  return { items: seen, pages: count };
}

describe("scopes", () => {
  it("each operation needs its scope: 403 insufficient_scope naming it, otherwise through", async () => {
    const a = await agency(app);
    const account = await seedAccount(a.workspaceId, a.brandId);
    const keys = Object.fromEntries(await Promise.all(ALL.map(async (s) => [s, (await makeKey(a.owner, a.workspaceId, [s])).key] as const)));
    const cases: { name: string; run: (key: string) => ReturnType<typeof call>; allowed: (typeof ALL)[number][]; ok: number }[] = [
      { name: "list brands", run: (key) => call(brandsRoute.GET, "/brands", { key }), allowed: [...ALL], ok: 200 },
      { name: "list accounts", run: (key) => call(accountsRoute.GET, "/accounts", { key }), allowed: ["accounts:read"], ok: 200 },
      { name: "get account", run: (key) => call(accountRoute.GET, `/accounts/${account.id}`, { key, params: { accountId: account.id } }), allowed: ["accounts:read"], ok: 200 },
      { name: "app usage", run: (key) => call(usageRoute.GET, "/apps/usage", { key }), allowed: ["accounts:read"], ok: 200 },
      { name: "connect link", run: (key) => call(linksRoute.POST, `/brands/${a.brandId}/connect-links`, { key, json: {}, params: { brandId: a.brandId } }), allowed: ["links:write"], ok: 201 },
      // The scope check comes before the account is looked up (publishing itself: tests/integration/posts.test.ts).
      { name: "publish", run: (key) => call(postsRoute.POST, "/posts", { key, json: { accountId: "no-such-account", text: "hi" } }), allowed: ["posts:write"], ok: 404 },
      { name: "list posts", run: (key) => call(postsRoute.GET, "/posts", { key }), allowed: ["posts:write", "accounts:read"], ok: 200 },
    ];
    for (const c of cases) {
      for (const scope of ALL) {
        const result = await c.run(keys[scope]!);
        if (c.allowed.includes(scope)) {
          expect(result.status, `${c.name} with ${scope}`).toBe(c.ok);
        } else {
          const body = expectProblem(result, 403, "insufficient_scope");
          expect(body.scope, c.name).toBe(c.allowed.join(" "));
          expect(result.response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
        }
      }
    }
  });

  it("publishing validates the request before anything reaches X", async () => {
    const a = await agency(app);
    const { key } = await makeKey(a.owner, a.workspaceId, ["posts:write"]);
    await ctx.emu.control.clearRequests();
    const result = await call(postsRoute.POST, "/posts", { key, json: { accountId: "acc", text: "Hello" }, headers: { "idempotency-key": "abc-123" } });
    expectProblem(result, 404, "not_found");
    expectProblem(await call(postsRoute.POST, "/posts", { key, json: { accountId: "acc", text: "x".repeat(281) } }), 422, "text_too_long");
    expect(await ctx.emu.control.requests({ path: "/2/tweets" })).toHaveLength(0);
    // The request is still validated first.
    expectProblem(await call(postsRoute.POST, "/posts", { key, json: { accountId: "acc", text: "" } }), 400, "invalid_request");
    expectProblem(await call(postsRoute.POST, "/posts", { key, json: { accountId: "acc", text: "x", extra: 1 } }), 400, "invalid_request");
    expectProblem(await call(postsRoute.POST, "/posts", { key, json: { accountId: "acc", text: "x" }, headers: { "idempotency-key": "has space" } }), 400, "invalid_request");
  });
});

describe("reads", () => {
  it("brands: cursor pagination in name order, search, bad cursors and limits", async () => {
    const a = await agency(null);
    for (const name of ["delta", "Alpha", "charlie", "Echo", "bravo", "Foxtrot", "golf"]) await addBrand(a.workspaceId, name);
    const { key } = await makeKey(a.owner, a.workspaceId, ["links:write"]);
    const all = await pages(brandsRoute.GET, "/brands?limit=3", key);
    expect(all.pages).toBe(3);
    const own = (await db.brand.findUniqueOrThrow({ where: { id: a.brandId } })).name;
    expect(all.items.map((b) => b.name)).toEqual(["Alpha", own, "bravo", "charlie", "delta", "Echo", "Foxtrot", "golf"]);
    expect(all.items[0]).toEqual({ id: expect.any(String), name: "Alpha", createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    const search = await call(brandsRoute.GET, "/brands?q=OT", { key });
    expect((search.json!.data as { name: string }[]).map((b) => b.name)).toEqual(["Foxtrot"]);
    expect(search.json!.nextCursor).toBeNull();
    expectProblem(await call(brandsRoute.GET, "/brands?cursor=bm90LWEtY3Vyc29y", { key }), 400, "invalid_cursor");
    const accountsCursor = (await call(accountsRoute.GET, "/accounts?limit=1", { key: (await makeKey(a.owner, a.workspaceId, ["accounts:read"])).key })).json;
    if (accountsCursor?.nextCursor) expectProblem(await call(brandsRoute.GET, `/brands?cursor=${accountsCursor.nextCursor}`, { key }), 400, "invalid_cursor");
    const badLimit = expectProblem(await call(brandsRoute.GET, "/brands?limit=0", { key }), 400, "invalid_request");
    expect(badLimit.errors).toEqual([{ location: "query", name: "limit", detail: "At least 1." }]);
    expectProblem(await call(brandsRoute.GET, "/brands?limit=abc", { key }), 400, "invalid_request");
    expectProblem(await call(brandsRoute.GET, "/brands?limit=101", { key }), 400, "invalid_request");
  });

  it("accounts: filters, pagination, DTO fields, and never a token", async () => {
    const a = await agency(app);
    const other = await addBrand(a.workspaceId, "Other brand");
    const since = new Date("2026-11-01T10:00:00.000Z");
    const broken = await seedAccount(a.workspaceId, a.brandId, { status: "NEEDS_RECONNECT", statusReason: "token-revoked", statusSince: since });
    for (let i = 0; i < 4; i++) await seedAccount(a.workspaceId, a.brandId);
    await seedAccount(a.workspaceId, other.id, { status: "DISCONNECTED" });
    const { key } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);

    const all = await pages(accountsRoute.GET, "/accounts?limit=2", key);
    expect(all.pages).toBe(3);
    expect(all.items).toHaveLength(6);
    expect(new Set(all.items.map((x) => x.id)).size).toBe(6);
    const byBrand = await pages(accountsRoute.GET, `/accounts?brandId=${a.brandId}&limit=100`, key);
    expect(byBrand.items).toHaveLength(5);
    const needing = await call(accountsRoute.GET, "/accounts?status=needs_reconnect", { key });
    expect(needing.json!.data).toEqual([
      expect.objectContaining({
        id: broken.id,
        brandId: a.brandId,
        username: broken.username,
        status: "needs_reconnect",
        reason: { code: "token-revoked", label: expect.any(String), fix: expect.any(String) },
        since: since.toISOString(),
        app: { source: "removed", clientIdPreview: null, current: false },
        missingScopes: expect.arrayContaining(["tweet.write"]),
        lastCheck: null,
      }),
    ]);
    expect((await call(accountsRoute.GET, "/accounts?status=disconnected", { key })).json!.data).toHaveLength(1);
    expectProblem(await call(accountsRoute.GET, "/accounts?status=broken", { key }), 400, "invalid_request");
    // Nothing sealed ever leaves, in any listing.
    for (const text of [JSON.stringify(all.items), (await call(accountRoute.GET, `/accounts/${broken.id}`, { key, params: { accountId: broken.id } })).text]) {
      expect(text).not.toContain(SEALED_MARKER);
      expect(text).not.toMatch(/token"|Sealed|refresh/i);
    }
    expectProblem(await call(accountRoute.GET, "/accounts/nope", { key, params: { accountId: "nope" } }), 404, "not_found");
    expectProblem(await call(accountRoute.GET, "/accounts/bad%00id", { key, params: { accountId: "bad\u0000id" } }), 404, "not_found");
  });

  it("a really connected account: app preview, granted scopes, and the last Check now", async () => {
    const a = await agency(app);
    await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId: X_USERS.blue });
    const row = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    const { key } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    const before = await call(accountRoute.GET, `/accounts/${row.id}`, { key, params: { accountId: row.id } });
    expect(before.json).toMatchObject({
      status: "active",
      username: "bluelanterncafe",
      reason: null,
      since: row.connectedAt.toISOString(),
      app: { source: "workspace", clientIdPreview: app.clientId.slice(0, 6), current: true },
      grantedScopes: expect.arrayContaining(["tweet.write", "offline.access"]),
      missingScopes: [],
      lastCheck: null,
    });
    actAs(a.owner, a.workspaceId);
    expect(await checkAccountAction({ accountId: row.id })).toMatchObject({ ok: true });
    actAs(null);
    const after = await call(accountRoute.GET, `/accounts/${row.id}`, { key, params: { accountId: row.id } });
    expect(after.json!.lastCheck).toEqual({ at: expect.any(String), result: "working" });
    expect(Date.now() - Date.parse((after.json!.lastCheck as { at: string }).at)).toBeLessThan(60_000);
    const tokens = await db.connectedAccount.findUniqueOrThrow({ where: { id: row.id }, select: { accessTokenSealed: true, refreshTokenSealed: true } });
    expect(after.text).not.toContain(tokens.accessTokenSealed!.slice(0, 30));
  });

  it("apps/usage: the default app and brand overrides by preview, usage empty before any post", async () => {
    const a = await agency(app);
    const override = await addBrand(a.workspaceId, "Own app brand");
    const second = await newApp(ctx.emu, "Brand app");
    await saveDefault(a.workspaceId, a.owner, second, override.id);
    const { key } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    const result = await call(usageRoute.GET, "/apps/usage", { key });
    expect(result.status).toBe(200);
    const data = result.json!.data as Record<string, unknown>[];
    expect(data).toHaveLength(2);
    expect(data).toEqual(
      expect.arrayContaining([
        { id: expect.any(String), scope: "workspace", brandId: null, brandName: null, clientIdPreview: app.clientId.slice(0, 6), usage: NO_USAGE },
        { id: expect.any(String), scope: "brand", brandId: override.id, brandName: "Own app brand", clientIdPreview: second.clientId.slice(0, 6), usage: NO_USAGE },
      ]),
    );
    expect(result.text).not.toContain(app.clientSecret);
    expect(result.text).not.toContain(app.clientId.slice(0, 10));
  });
});

describe("connect links", () => {
  it("an ordinary link and a reconnect link; only the hash is stored; refusals are specific", async () => {
    const a = await agency(app);
    const other = await addBrand(a.workspaceId, "Second");
    const acc = await seedAccount(a.workspaceId, a.brandId, { status: "NEEDS_RECONNECT", statusReason: "token-revoked", statusSince: new Date() });
    const elsewhere = await seedAccount(a.workspaceId, other.id);
    const { key } = await makeKey(a.owner, a.workspaceId, ["links:write"], "CRM");
    const post = (brandId: string, init: Parameters<typeof call>[2] = {}) => call(linksRoute.POST, `/brands/${brandId}/connect-links`, { key, params: { brandId }, ...init });

    const plain = await post(a.brandId, { method: "POST" });
    expect(plain.status).toBe(201);
    expect(plain.json).toEqual({ id: expect.any(String), url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:3999\/connect\/[A-Za-z0-9_-]{43}$/), brandId: a.brandId, expiresAt: expect.any(String), reconnect: null });
    const hours = (Date.parse(plain.json!.expiresAt as string) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    const token = (plain.json!.url as string).split("/connect/")[1]!;
    const stored = await db.connectLink.findUniqueOrThrow({ where: { id: plain.json!.id as string } });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await lookupConnectLink(token)).toMatchObject({ status: "active", reconnectUsername: null });

    const again = await post(a.brandId, { json: { accountId: acc.id, expiresInHours: 2 } });
    expect(again.status).toBe(201);
    expect(again.json!.reconnect).toEqual({ accountId: acc.id, username: acc.username });
    expect(await db.connectLinkTarget.findUnique({ where: { linkId: again.json!.id as string } })).toMatchObject({ accountId: acc.id, workspaceId: a.workspaceId });
    expect(await lookupConnectLink((again.json!.url as string).split("/connect/")[1]!)).toMatchObject({ status: "active", reconnectUsername: acc.username });
    const listed = await listConnectLinks(a.workspaceId, a.brandId);
    expect(listed.map((l) => l.createdByName)).toEqual(["API key “CRM”", "API key “CRM”"]);

    expectProblem(await post(a.brandId, { json: { accountId: elsewhere.id } }), 422, "account_not_in_brand");
    expectProblem(await post(a.brandId, { json: { accountId: "no-such-account" } }), 404, "not_found");
    expectProblem(await post("no-such-brand", { json: {} }), 404, "not_found");
    const bad = expectProblem(await post(a.brandId, { json: { expiresInHours: 0 } }), 400, "invalid_request");
    expect(bad.errors).toEqual([{ location: "body", name: "expiresInHours", detail: "A link must stay valid for at least an hour." }]);
    expectProblem(await post(a.brandId, { json: { expiresInHours: "2" } }), 400, "invalid_request");
    expectProblem(await post(a.brandId, { json: [] }), 400, "invalid_request");
    expectProblem(await post(a.brandId, { body: "{not json", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectProblem(await post(a.brandId, { body: "expiresInHours=2", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type");
    expectProblem(await post(a.brandId, { body: JSON.stringify({ pad: "x".repeat(20_000) }), headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    expectProblem(await post(a.brandId, { body: new Uint8Array([0x7b, 0xff, 0x7d]), headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expect(await db.connectLink.count({ where: { workspaceId: a.workspaceId } })).toBe(2);
  });

  it("a brand without any X app gets no link (the client could only fail)", async () => {
    const a = await agency(null);
    const { key } = await makeKey(a.owner, a.workspaceId, ["links:write"]);
    expectProblem(await call(linksRoute.POST, `/brands/${a.brandId}/connect-links`, { key, json: {}, params: { brandId: a.brandId } }), 409, "no_x_app");
  });
});

describe("isolation", () => {
  it("a key of workspace A never sees or touches workspace B's brands, accounts or apps", async () => {
    const a = await agency(app);
    const b = await agency(app);
    await addBrand(b.workspaceId, "B secret brand");
    const bAccount = await seedAccount(b.workspaceId, b.brandId, { username: "b_secret_account" });
    const { key } = await makeKey(a.owner, a.workspaceId, [...ALL]);
    const brands = await call(brandsRoute.GET, "/brands?limit=100", { key });
    expect((brands.json!.data as { id: string }[]).map((x) => x.id)).toEqual([a.brandId]);
    expect((await call(brandsRoute.GET, "/brands?q=secret", { key })).json!.data).toEqual([]);
    expect((await call(accountsRoute.GET, "/accounts?limit=100", { key })).json!.data).toEqual([]);
    expect((await call(accountsRoute.GET, `/accounts?brandId=${b.brandId}`, { key })).json!.data).toEqual([]);
    expectProblem(await call(accountRoute.GET, `/accounts/${bAccount.id}`, { key, params: { accountId: bAccount.id } }), 404, "not_found");
    expectProblem(await call(linksRoute.POST, `/brands/${b.brandId}/connect-links`, { key, json: {}, params: { brandId: b.brandId } }), 404, "not_found");
    expectProblem(await call(linksRoute.POST, `/brands/${a.brandId}/connect-links`, { key, json: { accountId: bAccount.id }, params: { brandId: a.brandId } }), 404, "not_found");
    const apps = (await call(usageRoute.GET, "/apps/usage", { key })).json!.data as { id: string }[];
    const bApps = await db.xCredential.findMany({ where: { workspaceId: b.workspaceId }, select: { id: true } });
    expect(apps.map((x) => x.id)).not.toContain(bApps[0]!.id);
    expect(apps).toHaveLength(1);
    expect(await db.connectLink.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
  });
});

describe("errors", () => {
  it("unsupported methods are 405 problems with Allow; unknown paths are 404 problems", async () => {
    const a = await agency(null);
    const { key } = await makeKey(a.owner, a.workspaceId, ["accounts:read"]);
    const put = await call(brandsRoute.PUT, "/brands", { method: "PUT", key });
    expectProblem(put, 405, "method_not_allowed");
    expect(put.response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const del = await call(linksRoute.GET, `/brands/${a.brandId}/connect-links`, { key, params: { brandId: a.brandId } });
    expectProblem(del, 405, "method_not_allowed");
    expect(del.response.headers.get("allow")).toBe("POST, OPTIONS");
    expectProblem(await call(unknownRoute.GET, "/credentials", { key }), 404, "not_found");
    expectProblem(await call(unknownRoute.POST, "/api-keys", { key, json: {} }), 404, "not_found");
  });

  it("an unexpected failure is a 500 problem with a request id, and never the error's message or stack", async () => {
    const spec = defineOperation({
      operationId: "explode",
      method: "GET",
      path: "/explode",
      tag: "Test",
      summary: "",
      description: "",
      scopes: null,
      responses: { 200: { description: "", schema: z.object({ ok: z.boolean() }) } },
      problems: [],
    });
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(" "));
    try {
      const thrown = await call(apiHandler(spec, async () => { throw new Error("password=hunter2 at /secret/path"); }), "/explode");
      const body = expectProblem(thrown, 500, "internal_error");
      expect(body.detail).toMatch(/request id [0-9a-f-]{36}/);
      expect(thrown.text).not.toContain("hunter2");
      expect(thrown.response.headers.get("x-request-id")).toBe((body.detail as string).match(/[0-9a-f-]{36}/)![0]);
      // A handler answering fields its schema doesn't declare: they are dropped, not sent.
      const leaky = await call(apiHandler(spec, async () => ({ status: 200, body: { ok: true, accessToken: "tok-123" } })), "/explode");
      expect(leaky.json).toEqual({ ok: true });
      // A body that breaks the documented schema is our bug: 500, nothing of the body.
      const broken = await call(apiHandler(spec, async () => ({ status: 200, body: { ok: "tok-456" } })), "/explode");
      expectProblem(broken, 500, "internal_error");
      expect(broken.text).not.toContain("tok-456");
    } finally {
      console.error = original;
    }
    expect(errors.join("\n")).not.toContain("hunter2");
    expect(errors.join("\n")).toMatch(/explode failed: Error/);
  });
});
