// Turning notifications into emails, one per incident, and the daily digest. A bulk change (an
// app's credentials replaced, removed or rejected) writes one account.needs_reconnect per account
// — plus, for a rejection, one credentials.rejected — all with the same credentialId and
// createdAt: they are folded into one message. Claiming a group is a compare-and-set on emailedAt
// inside the transaction that queues its message (whose id is derived from the group), so two
// workers never queue one incident twice. Emails are only queued when SMTP_URL is set.
import "server-only";
import { createHash } from "node:crypto";
import { db, isUniqueViolation } from "../db";
import { env } from "../env";
import { reconnectReasonLabel } from "../reconnect-reasons";
import { digestEmail, incidentEmail, LISTED, type AccountData, type Email, type RejectedData } from "./email-compose";

/** Incidents people are emailed about. Reconnects and disconnects are people's own doing (and in the audit log). */
const EMAILED = new Set(["account.needs_reconnect", "account.degraded", "account.recovered", "credentials.rejected"]);
/** Older than this when first seen (email was off, or the worker was down): the digest covers it. */
const STALE_MS = 24 * 3_600_000;
const ATTENTION = ["NEEDS_RECONNECT", "DEGRADED"];
// Claiming a bulk incident marks every one of its rows (100,000 when an app with that many accounts
// is rejected): seconds on PostgreSQL, past Prisma's 5 s default for an interactive transaction.
const TX = { timeout: 120_000, maxWait: 10_000 };
/** Set to the day once every workspace's digest for that day was looked at: later passes skip the scan. */
const SWEEP_KEY = "digest:sweep";

type Row = { id: string; workspaceId: string; event: string; credentialId: string | null; payload: string; createdAt: Date };

export async function queueIncidentEmails(now: Date, limit: number): Promise<number> {
  const batch: Row[] = await db.notification.findMany({
    where: { emailedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, workspaceId: true, event: true, credentialId: true, payload: true, createdAt: true },
  });
  const skipped = batch.filter((n) => !EMAILED.has(n.event) || now.getTime() - n.createdAt.getTime() > STALE_MS).map((n) => n.id);
  if (skipped.length) await db.notification.updateMany({ where: { id: { in: skipped }, emailedAt: null }, data: { emailedAt: now } });
  const groups = new Map<string, Row>();
  for (const n of batch) if (!skipped.includes(n.id) && !groups.has(groupKey(n))) groups.set(groupKey(n), n);
  let queued = 0;
  for (const [key, first] of groups) if (await queueGroup(key, first, now)) queued++;
  return queued;
}

/** Rows of one bulk change share credentialId and createdAt; a rejection joins its accounts' rows. */
function groupKey(n: Row): string {
  if (!n.credentialId) return `id:${n.id}`;
  const family = n.event === "credentials.rejected" ? "account.needs_reconnect" : n.event;
  return `${n.workspaceId}|${n.credentialId}|${n.createdAt.getTime()}|${family}`;
}

async function queueGroup(key: string, first: Row, now: Date): Promise<boolean> {
  const family = first.event === "credentials.rejected" ? "account.needs_reconnect" : first.event;
  const where = first.credentialId
    ? {
        workspaceId: first.workspaceId,
        credentialId: first.credentialId,
        createdAt: first.createdAt,
        event: { in: family === "account.needs_reconnect" ? ["account.needs_reconnect", "credentials.rejected"] : [family] },
        emailedAt: null,
      }
    : { id: first.id, emailedAt: null };
  try {
    return await db.$transaction(async (tx) => {
      const [sample, rejectedRow, workspace] = await Promise.all([
        tx.notification.findMany({ where: { ...where, event: family }, orderBy: { id: "asc" }, take: LISTED, select: { payload: true } }),
        tx.notification.findFirst({ where: { ...where, event: "credentials.rejected" }, select: { payload: true } }),
        tx.workspace.findUnique({ where: { id: first.workspaceId }, select: { name: true } }),
      ]);
      const { count } = await tx.notification.updateMany({ where, data: { emailedAt: now } });
      if (count === 0) return false;
      const email = incidentEmail({
        workspaceName: workspace?.name ?? "your workspace",
        publicUrl: env.KEYPORT_PUBLIC_URL,
        event: family,
        accounts: sample.map((s) => dataOf<AccountData>(s.payload)),
        accountCount: count - (rejectedRow ? 1 : 0),
        rejected: rejectedRow ? dataOf<RejectedData>(rejectedRow.payload) : null,
      });
      await tx.emailMessage.create({ data: message(`eml_${hash(key)}`, first.workspaceId, "incident", email, now) });
      return true;
    }, TX);
  } catch (error) {
    // Another worker queued this incident between our read and our write.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Once per workspace and UTC day, from KEYPORT_DIGEST_HOUR on: a summary of what still needs
 * attention, only when something does. The day is claimed in WorkerState ("digest:<workspaceId>")
 * with a compare-and-set, in the transaction that queues the message.
 */
export async function queueDigests(now: Date, limit: number): Promise<number> {
  if (now.getUTCHours() < env.KEYPORT_DIGEST_HOUR) return 0;
  const day = now.toISOString().slice(0, 10);
  // One key read per pass once today's digests are done (an account breaking later in the day
  // was emailed as an incident; tomorrow's digest includes it).
  if ((await db.workerState.findUnique({ where: { key: SWEEP_KEY }, select: { value: true } }))?.value === day) return 0;
  const groups = await db.connectedAccount.groupBy({ by: ["workspaceId"], where: { status: { in: ATTENTION } }, _count: { _all: true } });
  const done = new Set(
    groups.length ? (await db.workerState.findMany({ where: { key: { in: groups.map((g) => digestKey(g.workspaceId)) }, value: day }, select: { key: true } })).map((s) => s.key) : [],
  );
  const due = groups.filter((g) => !done.has(digestKey(g.workspaceId)));
  let queued = 0;
  for (const { workspaceId } of due.slice(0, limit)) if (await queueDigest(workspaceId, day, now)) queued++;
  if (due.length <= limit) await markSwept(day);
  return queued;
}

async function markSwept(day: string) {
  const { count } = await db.workerState.updateMany({ where: { key: SWEEP_KEY }, data: { value: day } });
  if (count === 1) return;
  try {
    await db.workerState.create({ data: { key: SWEEP_KEY, value: day } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

async function queueDigest(workspaceId: string, day: string, now: Date): Promise<boolean> {
  const key = digestKey(workspaceId);
  try {
    return await db.$transaction(async (tx) => {
      const state = await tx.workerState.findUnique({ where: { key }, select: { value: true } });
      if (state?.value === day) return false;
      if (state) {
        const { count } = await tx.workerState.updateMany({ where: { key, value: state.value }, data: { value: day } });
        if (count !== 1) return false;
      } else {
        await tx.workerState.create({ data: { key, value: day } });
      }
      const [workspace, reasons, oldest] = await Promise.all([
        tx.workspace.findUnique({ where: { id: workspaceId }, select: { name: true } }),
        tx.connectedAccount.groupBy({ by: ["status", "statusReason"], where: { workspaceId, status: { in: ATTENTION } }, _count: { _all: true } }),
        tx.connectedAccount.findMany({
          where: { workspaceId, status: { in: ATTENTION } },
          orderBy: [{ statusSince: "asc" }, { id: "asc" }],
          take: LISTED,
          select: { username: true, statusReason: true, statusSince: true, brand: { select: { name: true } } },
        }),
      ]);
      const count = (status: string) => reasons.filter((r) => r.status === status).reduce((n, r) => n + r._count._all, 0);
      if (count("NEEDS_RECONNECT") + count("DEGRADED") === 0) return false;
      const email = digestEmail({
        workspaceName: workspace?.name ?? "your workspace",
        publicUrl: env.KEYPORT_PUBLIC_URL,
        needsReconnect: count("NEEDS_RECONNECT"),
        degraded: count("DEGRADED"),
        reasons: reasons.map((r) => ({ label: reconnectReasonLabel(r.statusReason), count: r._count._all })).sort((a, b) => b.count - a.count),
        oldest: oldest.map((a) => ({ username: a.username, brandName: a.brand.name, reason: reconnectReasonLabel(a.statusReason), since: a.statusSince })),
        day,
      });
      await tx.emailMessage.create({ data: message(`dig_${hash(`${workspaceId}|${day}`)}`, workspaceId, "digest", email, now) });
      return true;
    }, TX);
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export const digestKey = (workspaceId: string) => `digest:${workspaceId}`;

function message(id: string, workspaceId: string, kind: "incident" | "digest", email: Email, now: Date) {
  return { id, workspaceId, kind, subject: email.subject, text: email.text, html: email.html, nextAttemptAt: now, createdAt: now };
}

function dataOf<T>(payload: string): T {
  try {
    return ((JSON.parse(payload) as { data?: T }).data ?? {}) as T;
  } catch {
    return {} as T;
  }
}

function hash(value: string) {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}
