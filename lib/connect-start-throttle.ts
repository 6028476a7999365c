// Starts from hosted connect links: anyone holding a link (or guessing at links) can press Connect
// without a Keyport account, and every start stores an attempt and sends the browser to X with
// the agency's app. A person needs a handful of tries; a script gets refused. Counted per link and
// per client address in the database (rate-limiter-flexible's Prisma store, as sign-in does), so
// every app instance shares the budget.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "./db";

export const STARTS_PER_LINK = 10;
export const STARTS_PER_ADDRESS = 30;
export const START_WINDOW_SECONDS = 10 * 60;

const limiters = {
  link: new RateLimiterPrisma({ storeClient: db, tableName: "rateLimit", keyPrefix: "connect-link:link", points: STARTS_PER_LINK, duration: START_WINDOW_SECONDS, clearExpiredByTimeout: false }),
  address: new RateLimiterPrisma({ storeClient: db, tableName: "rateLimit", keyPrefix: "connect-link:ip", points: STARTS_PER_ADDRESS, duration: START_WINDOW_SECONDS, clearExpiredByTimeout: false }),
};

/** Null when allowed; otherwise how many seconds to wait. */
export async function takeLinkStart(kind: "link" | "address", key: string): Promise<number | null> {
  try {
    await limiters[kind].consume(key);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}
