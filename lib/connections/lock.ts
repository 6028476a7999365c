// A named lock shared by every Keyport process, so that only one process at a time refreshes or
// revokes one grant (contract §7: X rotates refresh tokens, and presenting a used one may end the
// whole grant).
//
// PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock` on a 64-bit hash of the
// name). A waiter sleeps inside PostgreSQL and wakes the moment the holder's transaction ends;
// a crashed holder's lock ends with its connection. Each held (or awaited) lock pins one pool
// connection for the holder's X call, so at most PG_LOCK_SLOTS of them run at once per process.
//
// SQLite (one writer, no advisory locks): a lease row in the RateLimit table (a key/points/expire
// row both databases have): the primary key makes taking it atomic, the expiry lets a crashed
// holder's lock be taken over, and `points` holds the owner's random number so a holder never
// releases a lock that was taken over from it. "Database busy" never escapes: it means "not now".
import "server-only";
import { createHash, randomInt } from "node:crypto";
import { db, DB_KIND, isUniqueViolation } from "../db";
import { backoff, isBusyError, newLimiter, sleep } from "./concurrency";
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

/** SQLite only (the lease row). Null when held by someone else or when the database is busy. */
export async function tryLock(name: string, ttlMs: number): Promise<Lease | null> {
  const key = PREFIX + name;
  const owner = randomInt(1, 2 ** 31 - 1);
  try {
    // A read first: waiters poll, and a read costs SQLite's single writer nothing.
    const row = await db.rateLimit.findUnique({ where: { key }, select: { expire: true } });
    if (row && (!row.expire || row.expire.getTime() > Date.now())) return null;
    const expire = new Date(Date.now() + ttlMs);
    if (!row) {
      try {
        await db.rateLimit.create({ data: { key, points: owner, expire } });
        return { key, owner };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    // Held: take it over only if the holder's lease ran out (compare-and-set on the expiry).
    const { count } = await db.rateLimit.updateMany({ where: { key, expire: { lt: new Date() } }, data: { points: owner, expire } });
    return count === 1 ? { key, owner } : null;
  } catch (error) {
    if (isBusyError(error)) return null;
    throw error;
  }
}

/** SQLite only: waits up to `waitMs` for the lease, backing off with jitter; null if it never came free. */
export async function lock(name: string, { ttlMs = 30_000, waitMs = 15_000 } = {}): Promise<Lease | null> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const lease = await tryLock(name, ttlMs);
    if (lease || Date.now() >= deadline) return lease;
    await sleep(Math.min(backoff(attempt), Math.max(0, deadline - Date.now())));
  }
}

/** Releases only the owner's own lease. Retries through "database busy": a lease left behind would stall the grant. */
export async function unlock(lease: Lease): Promise<void> {
  await retryBusy(() => db.rateLimit.deleteMany({ where: { key: lease.key, points: lease.owner } }), 15_000);
}

/**
 * Runs `run(true)` holding the lock, or `run(false)` if it could not be had within `waitMs`
 * (`0`: one attempt). `ttlMs` bounds how long the holder may keep it.
 */
export async function withLock<T>(name: string, options: { ttlMs?: number; waitMs?: number }, run: (held: boolean) => Promise<T>): Promise<T> {
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 15_000;
  if (DB_KIND === "postgres") return withAdvisoryLock(name, ttlMs, waitMs, run);
  const lease = waitMs > 0 ? await lock(name, { ttlMs, waitMs }) : await tryLock(name, ttlMs);
  try {
    return await run(lease !== null);
  } finally {
    if (lease) await unlock(lease).catch(() => undefined);
  }
}

/**
 * Lock transactions a process may have open at once: each pins a connection of the 10-connection
 * pool (lib/db.ts) while its holder calls X, and the holder's own queries need the others.
 */
export const PG_LOCK_SLOTS = 4;
const pgSlots = newLimiter(PG_LOCK_SLOTS);

async function withAdvisoryLock<T>(name: string, ttlMs: number, waitMs: number, run: (held: boolean) => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  // Waiting for a slot costs the database nothing, so even a single try waits a while for one.
  if (!(await pgSlots.take(Math.max(waitMs, 10_000)))) return run(false);
  type Held = { value: T };
  let result: Held | null = null;
  let ran = false;
  try {
    await db.$transaction(
      async (tx) => {
        if (waitMs <= 0) {
          const [row] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, advisoryKey(name));
          if (!row?.locked) return;
        } else {
          // A lock we cannot have within the wait ends the transaction with "lock_not_available".
          const wait = Math.max(1, Math.min(deadline - Date.now(), 2 ** 31 - 1));
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.ceil(wait)}`);
          await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock($1::bigint)`, advisoryKey(name));
        }
        ran = true;
        result = { value: await run(true) };
      },
      // Waiting for a connection counts against the wait; the holder keeps the lock up to its lease.
      { maxWait: Math.max(10_000, waitMs), timeout: ttlMs + Math.max(waitMs, 0) },
    );
  } catch (error) {
    // The holder's own failure propagates; not getting the lock (or a connection) means "not held".
    if (ran) {
      if (result) return (result as Held).value;
      throw error;
    }
  } finally {
    pgSlots.release();
  }
  if (result) return (result as Held).value;
  return run(false);
}

/** A stable signed 64-bit key for pg_advisory_xact_lock, from the lock's name. */
export function advisoryKey(name: string): string {
  return createHash("sha256").update(PREFIX + name).digest().readBigInt64BE(0).toString();
}

/** Runs `work`, retrying with jittered backoff while the database is busy, for up to `budgetMs`. */
export async function retryBusy<T>(work: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      await sleep(backoff(attempt));
    }
  }
}

export { backoff, isBusyError, newLimiter, sleep };
