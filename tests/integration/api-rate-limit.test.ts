// Per-key rate limits on /api/v1: RateLimit-* headers on every keyed answer, 429 with Retry-After
// past the limit, one budget per key; counted in the database, or in Redis when REDIS_URL is set
// (and in the database again while Redis is unreachable).
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as brandsRoute } from "@/app/api/v1/brands/route";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { call, expectProblem, makeKey } from "./api-helpers";
import { makeWorkspace } from "./helpers";

const REDIS_URL = process.env.KEYPORT_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const saved = { limit: env.KEYPORT_API_RATE_LIMIT, redis: env.REDIS_URL };
afterEach(() => Object.assign(env, { KEYPORT_API_RATE_LIMIT: saved.limit, REDIS_URL: saved.redis }));
afterAll(() => (globalThis as { keyportRedis?: { client: Redis } }).keyportRedis?.client.disconnect());

let n = 0;
async function keys(count: number) {
  n++;
  const { workspace, users } = await makeWorkspace(`Rate agency ${n}`, [{ email: `rate${n}@rate.test`, role: "OWNER" }]);
  const owner = users[`rate${n}@rate.test`]!;
  return Promise.all(Array.from({ length: count }, (_, i) => makeKey(owner, workspace.id, ["accounts:read"], `k${i}`)));
}

async function exhaust(key: string, limit: number) {
  for (let i = 1; i <= limit; i++) {
    const ok = await call(brandsRoute, "/brands", { key });
    expect(ok.status).toBe(200);
    expect(ok.response.headers.get("ratelimit-limit")).toBe(String(limit));
    expect(ok.response.headers.get("ratelimit-remaining")).toBe(String(limit - i));
    const reset = Number(ok.response.headers.get("ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
    expect(ok.response.headers.get("ratelimit-policy")).toBe(`${limit};w=60`);
  }
  const refused = await call(brandsRoute, "/brands", { key });
  const body = expectProblem(refused, 429, "rate_limited");
  const retry = Number(refused.response.headers.get("retry-after"));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(60);
  expect(body.retryAfterSeconds).toBe(retry);
  expect(refused.response.headers.get("ratelimit-remaining")).toBe("0");
  return refused;
}

describe("API rate limits", () => {
  it("in the database: headers on each answer, 429 past the limit, one budget per key", async () => {
    Object.assign(env, { KEYPORT_API_RATE_LIMIT: 3, REDIS_URL: undefined });
    const [one, two] = await keys(2);
    await exhaust(one!.key, 3);
    expect(await db.rateLimit.findUnique({ where: { key: `api:key:${one!.id}` } })).toMatchObject({ points: 4 });
    // Another key of the same workspace has its own budget.
    expect((await call(brandsRoute, "/brands", { key: two!.key })).response.headers.get("ratelimit-remaining")).toBe("2");
    // A refused (over-limit) request still refuses a minute later only if the window hasn't reset.
    await db.rateLimit.updateMany({ where: { key: `api:key:${one!.id}` }, data: { expire: new Date(Date.now() - 1) } });
    expect((await call(brandsRoute, "/brands", { key: one!.key })).status).toBe(200);
  });

  it("in Redis when REDIS_URL is set", async () => {
    Object.assign(env, { KEYPORT_API_RATE_LIMIT: 2, REDIS_URL });
    const [one] = await keys(1);
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    try {
      const pong = await redis.ping().catch(() => null);
      if (pong !== "PONG") throw new Error(`Redis is not reachable at ${REDIS_URL} (set KEYPORT_TEST_REDIS_URL, or start redis-server)`);
      // The first calls may come before Keyport's client is ready (the database counts them); wait until Redis does.
      for (let i = 0; i < 100 && !(await redis.exists(`keyport:api:key:${one!.id}`)); i++) {
        await call(brandsRoute, "/brands", { key: one!.key });
        await new Promise((r) => setTimeout(r, 50));
      }
      await redis.del(`keyport:api:key:${one!.id}`);
      await db.rateLimit.deleteMany({ where: { key: `api:key:${one!.id}` } });
      await exhaust(one!.key, 2);
      expect(Number(await redis.get(`keyport:api:key:${one!.id}`))).toBe(3);
      expect(await db.rateLimit.count({ where: { key: `api:key:${one!.id}` } })).toBe(0);
    } finally {
      await redis.del(`keyport:api:key:${one!.id}`);
      redis.disconnect();
    }
  });

  it("with Redis unreachable the API still answers, counting in the database", async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
      Object.assign(env, { KEYPORT_API_RATE_LIMIT: 2, REDIS_URL: "redis://:hunter2@127.0.0.1:1" });
      const [one] = await keys(1);
      await exhaust(one!.key, 2);
      expect(await db.rateLimit.findUnique({ where: { key: `api:key:${one!.id}` } })).toMatchObject({ points: 3 });
    } finally {
      console.warn = original;
    }
    expect(warnings.join("\n")).not.toContain("hunter2");
  });

  it("a revoked key's refused attempts are audited only within its budget", async () => {
    Object.assign(env, { KEYPORT_API_RATE_LIMIT: 2, REDIS_URL: undefined });
    const [one] = await keys(1);
    await db.apiKey.update({ where: { id: one!.id }, data: { revokedAt: new Date() } });
    for (let i = 0; i < 5; i++) expectProblem(await call(brandsRoute, "/brands", { key: one!.key }), 401, "api_key_revoked");
    const workspaceId = (await db.apiKey.findUniqueOrThrow({ where: { id: one!.id } })).workspaceId;
    expect(await db.auditEvent.count({ where: { workspaceId, action: "api_key.used_after_revoke" } })).toBe(2);
  });
});
