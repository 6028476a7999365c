// Brute-force protection for sign-in. Counters live in the database (rate-limiter-flexible's
// Prisma store) so every app instance sees the same numbers. Every attempt takes a point from
// its email's counter and its address's counter *before* the password is checked: the take is
// one atomic upsert-increment (INSERT … ON CONFLICT DO UPDATE on both SQLite and PostgreSQL), so
// a burst of simultaneous requests cannot all slip in under the limit the way a read-then-count
// scheme lets them. A success gives its points back. After a few attempts each answer is slowed;
// past the limit, sign-in is refused until the window ends.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "./db";
import { addressKey } from "./request-ip";

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

export type SignInAttempt = { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one attempt from the email's and the address's budgets. Refused when either is spent;
 * a refused attempt still counts, so hammering a locked account keeps it locked, and spraying
 * many emails from one address spends that address's budget.
 */
export async function takeSignInAttempt(email: string, ip: string): Promise<SignInAttempt> {
  const [e, i] = await Promise.all([take(byEmail, emailKey(email)), take(byIp, addressKey(ip))]);
  const refused = [e, i].filter((r) => r.refused);
  if (refused.length > 0) {
    const ms = Math.max(...refused.map((r) => r.res.msBeforeNext));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
  }
  // Attempts already made in this window, this one not included (simultaneous ones are).
  const earlier = e.res.consumedPoints - 1;
  return { allowed: true, delayMs: earlier > SLOW_AFTER ? Math.min(3, earlier - SLOW_AFTER) * 1000 : 0 };
}

/**
 * The password was right: the address gets its point back, and the email's earlier failures are
 * forgiven (its counter is cleared), so a person who mistyped a few times is not left one typo
 * from a lockout. Only a correct password reaches this, so an attacker cannot use it.
 */
export async function signInSucceeded(email: string, ip: string): Promise<void> {
  // A conditional decrement rather than reward(): if the window ended meanwhile, there is nothing
  // to give back, and reward() would start the next window one point in credit.
  await Promise.all([
    byEmail.delete(emailKey(email)),
    db.rateLimit.updateMany({
      where: { key: byIp.getKey(addressKey(ip)), points: { gt: 0 }, expire: { gt: new Date() } },
      data: { points: { decrement: 1 } },
    }),
  ]);
}

async function take(limiter: RateLimiterPrisma, key: string): Promise<{ refused: boolean; res: RateLimiterRes }> {
  try {
    return { refused: false, res: await limiter.consume(key) };
  } catch (error) {
    // consume() rejects with the counter's state once the points run out: that is the lockout.
    if (error instanceof RateLimiterRes) return { refused: true, res: error };
    throw error;
  }
}

function emailKey(email: string) {
  return email.trim().toLowerCase();
}
