// Small concurrency tools for the refresh path, free of Next and Prisma (unit-tested on their own):
// an in-process line with a fixed number of places, "is this database error just busy?", and
// jittered backoff.

export type Limiter = { take(waitMs: number): Promise<boolean>; release(): void; run<T>(work: () => Promise<T>): Promise<T> };

/** At most `size` at once in this process; the rest wait in line (first come, first served). */
export function newLimiter(size: number): Limiter {
  let free = size;
  const queue: (() => boolean)[] = [];
  const release = () => {
    // Hand the slot to the first waiter still waiting; a waiter that timed out declines it.
    while (queue.length) if (queue.shift()!()) return;
    free++;
  };
  const take = (waitMs: number) =>
    new Promise<boolean>((resolve) => {
      if (free > 0) {
        free--;
        return resolve(true);
      }
      let waiting = true;
      const timer = Number.isFinite(waitMs)
        ? setTimeout(() => {
            waiting = false;
            resolve(false);
          }, Math.max(0, waitMs))
        : undefined;
      queue.push(() => {
        if (!waiting) return false;
        waiting = false;
        clearTimeout(timer);
        resolve(true);
        return true;
      });
    });
  return {
    take,
    release,
    async run(work) {
      await take(Infinity);
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/**
 * "The database is busy right now": SQLite's busy timeout ran out (P1008, SQLITE_BUSY), a
 * PostgreSQL lock wait or transaction start timed out, or a serialization conflict. Worth a retry.
 */
export function isBusyError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (typeof e.code === "string" && ["P1008", "P2028", "P2034", "SQLITE_BUSY", "SQLITE_LOCKED", "55P03", "40001", "40P01"].includes(e.code)) return true;
  if (typeof e.message === "string" && /SQLITE_BUSY|database is locked|database is busy|lock timeout|lock_not_available|could not obtain lock/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error ? isBusyError(e.cause) : false;
}

/** Exponential backoff from 20 ms to 400 ms with jitter (half fixed, half random), so waiters spread out. */
export function backoff(attempt: number): number {
  const ceiling = Math.min(400, 20 * 2 ** Math.min(attempt, 10));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
