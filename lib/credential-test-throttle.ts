// "Test credentials" calls X's token endpoint with the app's own keys; a few per minute per
// workspace is plenty for a person and keeps a stuck button (or a script) from spending the
// app's rate limit. Counted in the database so every app instance shares the budget.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "./db";

export const TESTS_PER_MINUTE = 5;
// Saving tests too, but a save is a deliberate, confirmed act: it gets its own, larger budget so
// that testing a few times and then saving is never refused.
export const SAVES_PER_MINUTE = 10;

const limiters = {
  test: new RateLimiterPrisma({ storeClient: db, tableName: "rateLimit", keyPrefix: "x-credential-test", points: TESTS_PER_MINUTE, duration: 60, clearExpiredByTimeout: false }),
  save: new RateLimiterPrisma({ storeClient: db, tableName: "rateLimit", keyPrefix: "x-credential-save", points: SAVES_PER_MINUTE, duration: 60, clearExpiredByTimeout: false }),
};

/** Null when allowed; otherwise how many seconds to wait. */
export async function takeCredentialTest(workspaceId: string, kind: "test" | "save" = "test"): Promise<number | null> {
  try {
    await limiters[kind].consume(workspaceId);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}
