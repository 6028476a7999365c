// Sending queued emails over SMTP_URL with nodemailer, to the workspace's owners and admins as
// they are at sending time. Claimed like webhook deliveries (lease, compare-and-set on the
// outcome), retried with backoff on SMTP errors, given up after the last retry.
import "server-only";
import nodemailer from "nodemailer";
import { db } from "../db";
import { env } from "../env";
import { claimDue } from "./claim";
import { sanitise } from "./safe-post";
import { EMAIL_MAX_ATTEMPTS, nextEmailAttempt } from "./schedule";

const BATCH = 20;
const SMTP_TIMEOUT_MS = 15_000;

export type EmailSummary = { sent: number; retrying: number; failed: number };

export async function sendDueEmails(input: { now: Date; limit: number; worker: string }): Promise<EmailSummary> {
  const summary: EmailSummary = { sent: 0, retrying: 0, failed: 0 };
  if (!env.SMTP_URL) return summary;
  const limit = Math.min(input.limit, BATCH);
  // Sent one after another; each may take the connection, greeting and socket timeouts.
  const ids = await claimDue("EmailMessage", { ...input, limit, leaseMs: limit * 3 * SMTP_TIMEOUT_MS + 30_000 });
  if (ids.length === 0) return summary;
  const messages = await db.emailMessage.findMany({
    where: { id: { in: ids }, claimedBy: input.worker },
    orderBy: { createdAt: "asc" },
    select: { id: true, workspaceId: true, subject: true, text: true, html: true, attempts: true },
  });
  const transport = nodemailer.createTransport({ url: env.SMTP_URL, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS });
  const recipients = new Map<string, string[]>();
  try {
    for (const m of messages) {
      if (!recipients.has(m.workspaceId)) recipients.set(m.workspaceId, await ownersAndAdmins(m.workspaceId));
      const to = recipients.get(m.workspaceId)!;
      let error: string | null = to.length ? null : "The workspace has no owners or admins to write to.";
      if (!error) {
        try {
          await transport.sendMail({ from: env.KEYPORT_EMAIL_FROM, to, subject: m.subject, text: m.text, html: m.html });
        } catch (e) {
          error = describe(e);
        }
      }
      const attempts = m.attempts + 1;
      const retryAt = error && to.length ? nextEmailAttempt(attempts, input.now) : null;
      const status = !error ? "SENT" : retryAt && attempts < EMAIL_MAX_ATTEMPTS ? "PENDING" : "FAILED";
      await db.emailMessage.updateMany({
        where: { id: m.id, claimedBy: input.worker },
        data: { claimedBy: null, claimedUntil: null, attempts, status, nextAttemptAt: status === "PENDING" ? retryAt : null, lastError: error, ...(error ? {} : { sentAt: input.now, recipients: to.length }) },
      });
      summary[status === "SENT" ? "sent" : status === "PENDING" ? "retrying" : "failed"]++;
      if (error) console.warn(`[keyport] email ${m.id} not sent (attempt ${attempts}): ${error}`);
    }
  } finally {
    transport.close();
  }
  return summary;
}

async function ownersAndAdmins(workspaceId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { workspaceId, role: { in: ["OWNER", "ADMIN"] } }, orderBy: { createdAt: "asc" }, select: { user: { select: { email: true } } } });
  return [...new Set(rows.map((r) => r.user.email))];
}

/** SMTP's answer in a few words; never the SMTP URL (it may hold a password). */
function describe(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const words = e.response ?? e.message ?? "unknown error";
  const redacted = env.SMTP_URL ? words.split(env.SMTP_URL).join("[SMTP_URL]") : words;
  return sanitise(`${e.code ? `${e.code}: ` : ""}${e.responseCode ? `${e.responseCode} ` : ""}${redacted}`);
}
