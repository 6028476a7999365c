// A lease lock shared by every Keyport process, kept in the RateLimit table (a key/points/expire
// row both SQLite and PostgreSQL already have): the primary key makes taking it atomic, the expiry
// lets a crashed holder's lock be taken over, and `points` holds the owner's random number so a
// holder never releases a lock that was taken over from it. Used so that only one process at a
// time refreshes or revokes one grant (contract §7: X rotates refresh tokens, and presenting a
// used one may end the whole grant).
import "server-only";
import { randomInt } from "node:crypto";
import { db, isUniqueViolation } from "../db";
import { env } from "../env";

export type Lease = { key: string; owner: number };

/**
 * A lease long enough for `xCalls` calls to X, each of which may take up to X_TIMEOUT_MS, plus
 * the database work around them. A lease that runs out mid-call lets a second process take the
 * lock and present the same refresh token again, which may end the whole grant (contract §4).
 */
export function leaseForXCalls(xCalls: number): number {
  return xCalls * env.X_TIMEOUT_MS + 30_000;
}

const PREFIX = "keyport-lock:";

export async function tryLock(name: string, ttlMs: number): Promise<Lease | null> {
  const key = PREFIX + name;
  const owner = randomInt(1, 2 ** 31 - 1);
  const expire = new Date(Date.now() + ttlMs);
  try {
    await db.rateLimit.create({ data: { key, points: owner, expire } });
    return { key, owner };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  // Held: take it over only if the holder's lease ran out (compare-and-set on the expiry).
  const { count } = await db.rateLimit.updateMany({ where: { key, expire: { lt: new Date() } }, data: { points: owner, expire } });
  return count === 1 ? { key, owner } : null;
}

/** Waits up to `waitMs` for the lock; null if it never came free. */
export async function lock(name: string, { ttlMs = 30_000, waitMs = 15_000 } = {}): Promise<Lease | null> {
  const deadline = Date.now() + waitMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    const lease = await tryLock(name, ttlMs);
    if (lease || Date.now() >= deadline) return lease;
    await new Promise((r) => setTimeout(r, delay));
  }
}

export async function unlock(lease: Lease): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key: lease.key, points: lease.owner } });
}

export async function withLock<T>(name: string, options: { ttlMs?: number; waitMs?: number }, run: (held: boolean) => Promise<T>): Promise<T> {
  const lease = await lock(name, options);
  try {
    return await run(lease !== null);
  } finally {
    if (lease) await unlock(lease).catch(() => undefined);
  }
}
