// Brute-force protection for sign-in. Counters live in the database (rate-limiter-flexible's
// Prisma store) so every app instance sees the same numbers. Failures are counted per email and
// per client IP; after a few, each answer is slowed; past the limit, sign-in is refused until
// the window ends.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "./db";

export const EMAIL_LIMIT = 5;
export const IP_LIMIT = 30;
const WINDOW_SECONDS = 15 * 60;
const SLOW_AFTER = 2;

const byEmail = new RateLimiterPrisma({
  storeClient: db,
  tableName: "rateLimit",
  keyPrefix: "signin:email",
  points: EMAIL_LIMIT,
  duration: WINDOW_SECONDS,
  clearExpiredByTimeout: false,
});
const byIp = new RateLimiterPrisma({
  storeClient: db,
  tableName: "rateLimit",
  keyPrefix: "signin:ip",
  points: IP_LIMIT,
  duration: WINDOW_SECONDS,
  clearExpiredByTimeout: false,
});

export type ThrottleState = { locked: false; delayMs: number } | { locked: true; retryAfterSeconds: number };

/** Before checking a password: is this email or IP locked out, and how long should we stall? */
export async function checkSignInThrottle(email: string, ip: string): Promise<ThrottleState> {
  const [e, i] = await Promise.all([byEmail.get(key(email)), byIp.get(ip)]);
  const locked = [e, i].filter(
    (r, n): r is RateLimiterRes => !!r && r.consumedPoints >= (n === 0 ? EMAIL_LIMIT : IP_LIMIT),
  );
  if (locked.length > 0) {
    const ms = Math.max(...locked.map((r) => r.msBeforeNext));
    return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
  }
  const failures = e?.consumedPoints ?? 0;
  return { locked: false, delayMs: failures > SLOW_AFTER ? Math.min(3, failures - SLOW_AFTER) * 1000 : 0 };
}

export async function recordSignInFailure(email: string, ip: string): Promise<void> {
  // consume() rejects once the points run out; that is the lockout itself, not an error here.
  await Promise.all([byEmail.consume(key(email)).catch(ignoreLimit), byIp.consume(ip).catch(ignoreLimit)]);
}

export async function clearSignInFailures(email: string): Promise<void> {
  await byEmail.delete(key(email));
}

function key(email: string) {
  return email.trim().toLowerCase();
}

function ignoreLimit(error: unknown) {
  if (error instanceof RateLimiterRes) return;
  throw error;
}
