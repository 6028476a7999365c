// One bounded round of notification work, for the background worker's loop (lib/jobs) and
// `npm run notify`: fan new notifications out to webhook deliveries, send the due deliveries,
// and — when SMTP_URL is set — queue incident emails and the daily digest, and send the due
// emails. Every step claims its work (compare-and-set or FOR UPDATE SKIP LOCKED with a lease), so
// any number of processes may run passes at once without sending anything twice.
import "server-only";
import { env } from "../env";
import { WORKER_ID } from "./claim";
import { sendDueDeliveries, type DeliverySummary } from "./deliver";
import { dispatchNotifications, type DispatchSummary } from "./dispatch";
import { sendDueEmails, type EmailSummary } from "./email-send";
import { queueDigests, queueIncidentEmails } from "./email-queue";

export type NotificationPassSummary = {
  dispatched: DispatchSummary;
  webhooks: DeliverySummary;
  email: (EmailSummary & { incidentsQueued: number; digestsQueued: number }) | null;
};

export type NotificationPassOptions = {
  /** The pass's clock (tests move it forward to reach retries and digests). */
  now?: Date;
  /** At most this many notifications, deliveries and emails each. */
  limit?: number;
  /** Who claims work; one per process by default. */
  worker?: string;
};

export async function runNotificationPass(options: NotificationPassOptions = {}): Promise<NotificationPassSummary> {
  const now = options.now ?? new Date();
  const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
  const worker = options.worker ?? WORKER_ID;
  const dispatched = await dispatchNotifications(now, limit);
  const webhooks = await sendDueDeliveries({ now, limit, worker });
  if (!env.SMTP_URL) return { dispatched, webhooks, email: null };
  const incidentsQueued = await queueIncidentEmails(now, limit);
  const digestsQueued = await queueDigests(now, limit);
  const sent = await sendDueEmails({ now, limit, worker });
  return { dispatched, webhooks, email: { ...sent, incidentsQueued, digestsQueued } };
}

/** True when a pass found nothing left to do (for loops that run until idle). */
export function passWasIdle(s: NotificationPassSummary): boolean {
  const emailIdle = !s.email || s.email.incidentsQueued + s.email.digestsQueued + s.email.sent + s.email.retrying + s.email.failed === 0;
  return s.dispatched.notifications === 0 && s.webhooks.attempted + s.webhooks.skipped === 0 && emailIdle;
}
