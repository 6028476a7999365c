// The health sweep: visits each ACTIVE or DEGRADED account when it is due and proves its grant
// still works without spending the agency's money (contract §8). X bills GET /2/users/me per
// user per 24 h but lists no price for the token endpoint, so:
// - the grant is proven at least every KEYPORT_SWEEP_PROOF_HOURS by the unbilled call, a refresh
//   through getValidAccessToken (the one refresh path), which happens only when the token is due
//   for one anyway. X's access tokens live 2 hours, so an account not proven for a day always has
//   one due; a refresh proves the user's grant and the app's credentials at once. Never more often:
//   rotating refresh tokens needlessly is how chains break;
// - the billed profile read runs only for a person's queued "check now" (checkRequestedAt) and at
//   the weekly profile cadence (KEYPORT_SWEEP_PROFILE_DAYS, 0 = off): people rename themselves.
// Next visits are spread with jitter (up to 10% early), so 100,000 accounts connected in one
// afternoon drift apart instead of falling due in the same minute.
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { env } from "../env";
import { Pacer } from "../jobs/pacer";
import { transitionAccount } from "./status";
import { claimDueAccounts, countDue, extendClaims, releaseAccount, renewClaim, type ClaimedAccount } from "./sweep-claim";
import { REFRESH_MARGIN_MS, getValidAccessToken } from "./tokens";
import { recordXCall } from "./usage";
import { checkAccount } from "./verify";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How much earlier than its interval a visit may fall, as a fraction (the spread). */
const JITTER = 0.1;
/** X's rate-limit windows are 15 minutes; without a reset time, wait one window. */
const RATE_LIMIT_WAIT_MS = 15 * 60_000;
/** After X's reset, up to this much later, so a fleet paused by one 429 does not return in the same second. */
const RATE_LIMIT_JITTER_MS = 60_000;

export type VisitOutcome = "proven" | "profile" | "fresh" | "not-due" | "transient" | "rate-limited" | "postponed" | "needs-reconnect" | "skipped" | "error";
/** "lost": our claim ran out before the visit could call X; another worker visits it instead. */
type Visited = VisitOutcome | "lost";
export type SweepProgress = { due: number; done: number; failed: number };
export type SweepSummary = SweepProgress & { outcomes: Record<VisitOutcome, number>; degraded: number; recovered: number; ms: number; maxPerApp: number };

export type SweepOptions = {
  /** The sweep's clock (tests move it along with the emulator's). */
  now?: () => Date;
  /** Who claims; unique per pass by default. */
  worker?: string;
  batch?: number;
  leaseMs?: number;
  onProgress?: (progress: SweepProgress) => void;
  onVisit?: (accountId: string, outcome: VisitOutcome) => void;
  /** Stop claiming new batches (a worker shutting down); the batch in hand is finished. */
  signal?: AbortSignal;
};

/** One pass: claim due accounts in batches until none is left, visiting each once. */
export async function runSweepPass(options: SweepOptions = {}): Promise<SweepSummary> {
  const now = options.now ?? (() => new Date());
  const worker = options.worker ?? `sweep-${process.pid}-${randomUUID().slice(0, 8)}`;
  const batch = options.batch ?? env.KEYPORT_SWEEP_BATCH;
  const perApp = env.KEYPORT_SWEEP_APP_CONCURRENCY;
  const pacer = new Pacer(perApp, env.KEYPORT_SWEEP_CONCURRENCY);
  // Renewed just before a visit's calls to X, so it need only outlive one visit (at most three calls).
  const leaseMs = options.leaseMs ?? env.KEYPORT_SWEEP_LEASE_MS ?? 3 * env.X_TIMEOUT_MS + 30_000;
  const started = Date.now();
  const passStart = now();
  const summary: SweepSummary = { due: await countDue(passStart), done: 0, failed: 0, outcomes: zeroOutcomes(), degraded: 0, recovered: 0, ms: 0, maxPerApp: 0 };
  const ctx: VisitContext = { now, worker, pacer, summary, leaseMs, apps: new Map() };
  options.onProgress?.({ due: summary.due, done: 0, failed: 0 });
  while (!options.signal?.aborted) {
    // Due as of the pass's start: accounts falling due meanwhile wait for the next pass, so a pass ends.
    const claimed = await claimDueAccounts({ now: passStart, limit: batch, worker, leaseMs });
    if (claimed.length === 0) break;
    // While the batch waits for its apps' slots, a heartbeat keeps the claims on the rest alive.
    const waiting = new Map(claimed.map((a) => [a.id, a]));
    const heartbeat = setInterval(() => {
      extendClaims([...waiting.values()], worker, now(), leaseMs).catch(() => undefined);
    }, Math.max(500, leaseMs / 3));
    try {
      await Promise.all(
        claimed.map(async (account) => {
          const outcome: Visited = await visit(ctx, account).catch((error: unknown) => {
            console.error(`[sweep] visit failed: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`);
            return releaseAccount(account, worker, { nextCheckAt: new Date(now().getTime() + 5 * 60_000) }).then(() => "error" as const, () => "error" as const);
          });
          waiting.delete(account.id);
          if (outcome === "lost") return;
          summary.outcomes[outcome]++;
          summary.done++;
          if (FAILED.has(outcome)) summary.failed++;
          options.onVisit?.(account.id, outcome);
        }),
      );
    } finally {
      clearInterval(heartbeat);
    }
    summary.due = Math.max(summary.due, summary.done);
    options.onProgress?.({ due: summary.due, done: summary.done, failed: summary.failed });
  }
  summary.ms = Date.now() - started;
  summary.maxPerApp = Math.max(0, ...pacer.maxSeen.values());
  return summary;
}

const FAILED = new Set<VisitOutcome>(["transient", "rate-limited", "needs-reconnect", "error"]);

type VisitContext = { now: () => Date; worker: string; pacer: Pacer; summary: SweepSummary; leaseMs: number; apps: Map<string, { read: number; until: Promise<Date | null> }> };

/** The app's stored 429 pause (set by any worker), re-read at most every 10 seconds per app. */
function appPausedUntil(ctx: VisitContext, workspaceId: string, credentialId: string): Promise<Date | null> {
  const cached = ctx.apps.get(credentialId);
  if (cached && Date.now() - cached.read < 10_000) return cached.until;
  const until = db.xCredential.findFirst({ where: { id: credentialId, workspaceId }, select: { rateLimitedUntil: true } }).then((c) => c?.rateLimitedUntil ?? null);
  ctx.apps.set(credentialId, { read: Date.now(), until });
  return until;
}

async function visit(ctx: VisitContext, account: ClaimedAccount): Promise<Visited> {
  const { now, worker, pacer } = ctx;
  const t = now();
  const row = await readRow(account);
  if (!row || (row.status !== "ACTIVE" && row.status !== "DEGRADED")) {
    await releaseAccount(account, worker, {});
    return "skipped";
  }
  const paused = latest(await appPausedUntil(ctx, account.workspaceId, row.credentialId), pacer.pausedAt(row.credentialId, t));
  if (paused && paused > t) {
    return (await releaseAccount(account, worker, { nextCheckAt: new Date(paused.getTime() + Math.random() * 60_000) })) ? "postponed" : "lost";
  }

  const requested = row.checkRequestedAt !== null;
  const profileDue = env.KEYPORT_SWEEP_PROFILE_DAYS > 0 && olderThan(row.profileCheckedAt, t, env.KEYPORT_SWEEP_PROFILE_DAYS * DAY);
  const proofDue = olderThan(row.lastProvenAt, t, env.KEYPORT_SWEEP_PROOF_HOURS * HOUR);
  if (!requested && !profileDue && !proofDue) {
    return (await releaseAccount(account, worker, { nextCheckAt: schedule(row, t) })) ? "not-due" : "lost";
  }

  const checked = await pacer.run(row.credentialId, async () => {
    // X answered this app 429 while the visit waited for a slot: it waits with the app.
    if (pacer.pausedAt(row.credentialId, now())) return "paused" as const;
    if (!(await renewClaim(account, worker, now(), ctx.leaseMs))) return "lost" as const;
    const c = await check(account, row, requested || profileDue);
    // Before the slot passes to the next visit of this app, which must not call X meanwhile.
    if (c.result === "rate-limited" && c.scope === "app") pacer.pause(row.credentialId, rateLimitEnd(c.retryAt, t));
    return c;
  });
  if (checked === "lost") return "lost";
  if (checked === "paused") {
    const until = pacer.pausedAt(row.credentialId, now()) ?? now();
    return (await releaseAccount(account, worker, { nextCheckAt: new Date(until.getTime() + Math.random() * RATE_LIMIT_JITTER_MS) })) ? "postponed" : "lost";
  }
  const after = (await readRow(account)) ?? row;
  // A usable token without a refresh proves nothing: it was not due for one yet.
  const result = checked.result === "token-ok" ? (after.tokenVersion !== row.tokenVersion ? "proven" : "fresh") : checked.result;
  // checkAccount counts its own calls; the unbilled proof is counted here.
  if (!checked.counted) await countRefreshes(account, row, after, t);
  if (requested) {
    // Only the request we served: one made meanwhile stays queued.
    await db.connectedAccount.updateMany({ where: { id: account.id, workspaceId: account.workspaceId, checkRequestedAt: row.checkRequestedAt }, data: { checkRequestedAt: null } });
  }

  if (result === "proven" || result === "profile") {
    if (after.status === "DEGRADED") {
      const back = await transitionAccount({ workspaceId: account.workspaceId, accountId: account.id, from: ["DEGRADED"], to: "ACTIVE", reason: null });
      if (back) ctx.summary.recovered++;
    } else if (row.status === "DEGRADED" && after.status === "ACTIVE") {
      // The successful refresh itself brought it back (lib/connections/refresh-failures).
      ctx.summary.recovered++;
    }
    await releaseAccount(account, worker, { lastCheckedAt: t, failureCount: 0, failingSince: null, nextCheckAt: schedule(after, t) });
    return result;
  }
  if (result === "fresh") {
    // The token is not due for a refresh yet, so nothing unbilled can prove the grant now: come back when it is.
    const refreshDue = (after.accessTokenExpiresAt?.getTime() ?? t.getTime()) - REFRESH_MARGIN_MS + Math.random() * 60_000;
    await releaseAccount(account, worker, { lastCheckedAt: t, nextCheckAt: new Date(Math.max(t.getTime() + 60_000, refreshDue)) });
    return "fresh";
  }
  if (result === "rate-limited") {
    // X answered; it only asks us to wait. Never a failure towards DEGRADED: the account (and, for
    // the token endpoint's limit, its app) waits until X's reset plus a little jitter, or one
    // window when X gave none. users/me is limited per user: its 429 holds back no other account.
    const until = rateLimitEnd(checked.retryAt, t);
    await rateLimited(account, checked.scope === "app" ? row.credentialId : null, until, pacer);
    await releaseAccount(account, worker, { lastCheckedAt: t, nextCheckAt: new Date(until.getTime() + Math.random() * RATE_LIMIT_JITTER_MS) });
    return result;
  }
  if (result === "transient") {
    // A failed refresh was already counted by getValidAccessToken (lib/connections/refresh-failures);
    // count only what it did not (a failed profile read).
    const failureCount = after.failureCount > row.failureCount ? after.failureCount : after.failureCount + 1;
    const failingSince = after.failingSince ?? t;
    await releaseAccount(account, worker, { lastCheckedAt: t, failureCount, failingSince, nextCheckAt: new Date(t.getTime() + backoff(failureCount)) });
    const longRun = t.getTime() - failingSince.getTime() >= env.KEYPORT_DEGRADED_AFTER_HOURS * HOUR;
    if (after.status === "ACTIVE" && failureCount >= env.KEYPORT_DEGRADED_AFTER_FAILURES && longRun) {
      const changed = await transitionAccount({
        workspaceId: account.workspaceId,
        accountId: account.id,
        from: ["ACTIVE"],
        to: "DEGRADED",
        reason: "x-unavailable",
        detail: `${failureCount} checks in a row failed since ${failingSince.toISOString()}.`,
        tokenVersion: after.tokenVersion,
      });
      if (changed) ctx.summary.degraded++;
    }
    return result;
  }
  await releaseAccount(account, worker, { lastCheckedAt: t });
  return result;
}

type CheckResult = "token-ok" | "profile" | "transient" | "rate-limited" | "needs-reconnect" | "skipped";
/** `counted`: checkAccount made the calls and counted them itself. On a 429: X's reset, and whose limit it was. */
type Checked = { result: CheckResult; counted: boolean; retryAt?: Date; scope?: "app" | "account" };

/** The X calls of one visit: the billed check (Check now's own) or the unbilled proof. */
async function check(account: ClaimedAccount, row: Row, billed: boolean): Promise<Checked> {
  if (billed && row.status === "ACTIVE") {
    const result = await checkAccount(account.workspaceId, account.id);
    if (result.status === "working") return { result: "profile", counted: true };
    if (result.status === "needs-reconnect") return { result: "needs-reconnect", counted: true };
    if (result.status === "unknown") return result.rateLimited ? { result: "rate-limited", counted: true, retryAt: result.retryAt, scope: result.rateLimited } : { result: "transient", counted: true };
    if (result.status === "not-found") return { result: "skipped", counted: true };
    // not-active: it became DEGRADED meanwhile (no call to X was made); prove it the unbilled way below.
  }
  const token = await getValidAccessToken(account.workspaceId, account.id);
  if (token.ok) return { result: "token-ok", counted: false };
  if (token.reason === "needs-reconnect") return { result: "needs-reconnect", counted: false };
  // A 429 is X's answer, not a failure: lib/connections/refresh-failures stored its reset as retryAt.
  if (token.reason === "transient" && token.transient === "rate-limited") return { result: "rate-limited", counted: false, retryAt: token.retryAt, scope: "app" };
  if (token.reason === "transient" || token.reason === "busy") return { result: "transient", counted: false };
  return { result: "skipped", counted: false };
}

/** The unbilled proof's refreshes, per app and day, for the cost figures (lib/connections/usage.ts). */
async function countRefreshes(account: ClaimedAccount, before: Row, after: Row, t: Date) {
  const base = { workspaceId: account.workspaceId, credentialId: before.credentialId, at: t };
  for (let v = before.tokenVersion; v < after.tokenVersion; v++) await recordXCall({ ...base, kind: "token", billed: false });
}

/** The account waits until `until`; with a credential, every account of that app does. */
async function rateLimited(account: ClaimedAccount, credentialId: string | null, until: Date, pacer: Pacer) {
  if (credentialId) {
    pacer.pause(credentialId, until);
    // Other workers see the app's pause too; an earlier or later reset someone else stored wins if later.
    await db.xCredential.updateMany({
      where: { id: credentialId, workspaceId: account.workspaceId, OR: [{ rateLimitedUntil: null }, { rateLimitedUntil: { lt: until } }] },
      data: { rateLimitedUntil: until },
    });
  }
  await db.connectedAccount.updateMany({ where: { id: account.id, workspaceId: account.workspaceId }, data: { rateLimitedUntil: until } });
}

type Row = NonNullable<Awaited<ReturnType<typeof readRow>>>;

function readRow(account: ClaimedAccount) {
  return db.connectedAccount.findFirst({
    where: { id: account.id, workspaceId: account.workspaceId },
    select: {
      status: true,
      credentialId: true,
      tokenVersion: true,
      accessTokenExpiresAt: true,
      lastProvenAt: true,
      profileCheckedAt: true,
      checkRequestedAt: true,
      failureCount: true,
      failingSince: true,
    },
  });
}

/** X's reset when it gave a usable one, else one 15-minute window from `t`. */
function rateLimitEnd(retryAt: Date | undefined, t: Date): Date {
  return retryAt && retryAt > t ? retryAt : new Date(t.getTime() + RATE_LIMIT_WAIT_MS);
}

/** Next visit: when the proof or the profile read falls due, whichever is first, up to 10% early. */
function schedule(row: Pick<Row, "lastProvenAt" | "profileCheckedAt">, t: Date): Date {
  const proofMs = env.KEYPORT_SWEEP_PROOF_HOURS * HOUR;
  const profileMs = env.KEYPORT_SWEEP_PROFILE_DAYS * DAY;
  const proofAt = (row.lastProvenAt ?? t).getTime() + proofMs * (1 - JITTER * Math.random());
  const profileAt = profileMs > 0 ? (row.profileCheckedAt ?? t).getTime() + profileMs * (1 - JITTER * Math.random()) : Infinity;
  return new Date(Math.max(t.getTime() + 60_000, Math.min(proofAt, profileAt)));
}

/** True when `at` is missing or at least the interval's earliest jittered point ago. */
function olderThan(at: Date | null, t: Date, intervalMs: number): boolean {
  return !at || t.getTime() - at.getTime() >= intervalMs * (1 - JITTER);
}

/** 5 minutes, doubling per failure, at most 6 hours; with jitter so a fleet does not retry in step. */
function backoff(failures: number): number {
  const base = Math.min(5 * 60_000 * 2 ** Math.max(0, failures - 1), 6 * HOUR);
  return base * (0.8 + 0.4 * Math.random());
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function zeroOutcomes(): Record<VisitOutcome, number> {
  return { proven: 0, profile: 0, fresh: 0, "not-due": 0, transient: 0, "rate-limited": 0, postponed: 0, "needs-reconnect": 0, skipped: 0, error: 0 };
}
