// Per-key rate limiting of /api/v1 (rate-limiter-flexible). Counters live in Redis when REDIS_URL
// is set, else in the database (the RateLimit table sign-in throttling uses), so every app
// instance shares one budget per key. If Redis fails or is unreachable, the database counts
// instead (insurance limiter): an outage of Redis never takes the API down with it.
import "server-only";
import { Redis } from "ioredis";
import { RateLimiterPrisma, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { db } from "../db";
import { env } from "../env";
import { API_RATE_WINDOW_SECONDS } from "./rate-limit-config";

export type RateLimitState = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/** One request by this key: allowed or not, and the numbers for the RateLimit-* headers. */
export async function takeApiRequest(keyId: string): Promise<RateLimitState> {
  const { limiter, points } = apiLimiter();
  try {
    const res = await limiter.consume(keyId);
    return { allowed: true, limit: points, remaining: res.remainingPoints, resetSeconds: seconds(res.msBeforeNext) };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { allowed: false, limit: points, remaining: 0, resetSeconds: seconds(error.msBeforeNext) };
    throw error;
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  // IETF draft-ietf-httpapi-ratelimit-headers names; Retry-After is added by the 429 itself.
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
    "RateLimit-Policy": `${state.limit};w=${API_RATE_WINDOW_SECONDS}`,
  };
}

/** Which store counts right now (for the health of tests and the README's claims). */
export function apiRateLimitStore(): "redis" | "database" {
  return env.REDIS_URL ? "redis" : "database";
}

type Cached = { config: string; limiter: RateLimiterAbstract; points: number };
const globalForLimiter = globalThis as unknown as { keyportApiLimiter?: Cached; keyportRedis?: { url: string; client: Redis } };

function apiLimiter(): Cached {
  const points = env.KEYPORT_API_RATE_LIMIT;
  const config = `${points}|${env.REDIS_URL ?? ""}`;
  const cached = globalForLimiter.keyportApiLimiter;
  if (cached?.config === config) return cached;
  const common = { keyPrefix: "api:key", points, duration: API_RATE_WINDOW_SECONDS };
  const database = new RateLimiterPrisma({ ...common, storeClient: db, tableName: "rateLimit", clearExpiredByTimeout: false });
  const limiter = env.REDIS_URL
    ? new RateLimiterRedis({ ...common, keyPrefix: "keyport:api:key", storeClient: redisClient(env.REDIS_URL), rejectIfRedisNotReady: true, insuranceLimiter: database })
    : database;
  return (globalForLimiter.keyportApiLimiter = { config, limiter, points });
}

function redisClient(url: string): Redis {
  const existing = globalForLimiter.keyportRedis;
  if (existing?.url === url) return existing.client;
  if (existing) existing.client.disconnect();
  // No offline queue: while Redis is down a command fails at once (and the database counts)
  // instead of waiting for a reconnect that may never come.
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false });
  let warned = false;
  client.on("error", (error: Error) => {
    // Never the URL: it may carry a password.
    if (!warned) console.warn(`[api] Redis unavailable for rate limiting (${error.name}); counting in the database until it is back.`);
    warned = true;
  });
  client.on("ready", () => (warned = false));
  globalForLimiter.keyportRedis = { url, client };
  return client;
}

function seconds(ms: number) {
  return Math.max(1, Math.ceil(ms / 1000));
}
