// When a failed webhook delivery or email is tried again. Webhooks follow the schedule Svix
// documents for Standard Webhooks — 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over
// about 27½ hours, after which the delivery is given up and its endpoint marked failing. A little
// jitter keeps a receiver that was down from being hit by every retry in the same second.
const WEBHOOK_RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

const EMAIL_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
export const EMAIL_MAX_ATTEMPTS = EMAIL_RETRY_DELAYS_MS.length + 1;

/** When attempt number `attempts + 1` is due, after `attempts` failed ones; null when they are used up. */
export function nextWebhookAttempt(attempts: number, now: Date, random: () => number = Math.random): Date | null {
  return next(WEBHOOK_RETRY_DELAYS_MS, attempts, now, random);
}

export function nextEmailAttempt(attempts: number, now: Date, random: () => number = Math.random): Date | null {
  return next(EMAIL_RETRY_DELAYS_MS, attempts, now, random);
}

/** The whole retry window, for the settings page ("retried for about 27 hours"). */
export const WEBHOOK_RETRY_WINDOW_HOURS = Math.round(WEBHOOK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 3_600_000);

function next(delays: readonly number[], attempts: number, now: Date, random: () => number): Date | null {
  const delay = delays[attempts - 1];
  if (attempts < 1 || delay === undefined) return null;
  // ±10 %, never earlier than 90 % of the step.
  return new Date(now.getTime() + Math.round(delay * (0.9 + random() * 0.2)));
}
