// What X says is left of each rate-limit window (contract §6), per app and per account. Posting
// must not wait on a write per call for this, so observations are buffered in memory (the newest
// per window wins) and written in one batch shortly after; readers flush first, so the same process
// always reads what it saw. Each write is a compare-and-set that never replaces a newer figure
// (a later window, or fewer remaining in the same window) written by another process.
import "server-only";
import { db } from "../db";
import type { RateWindowHeaders, RateWindowName } from "../x/tweets";

export type RateObservation = {
  workspaceId: string;
  credentialId: string;
  accountId: string;
  windows: RateWindowHeaders[];
  /** X answered 429: the windows at zero are marked as limited. */
  limited?: boolean;
  at?: Date;
};

type Pending = {
  id: string;
  workspaceId: string;
  credentialId: string;
  accountId: string | null;
  window: RateWindowName;
  limit: number;
  remaining: number;
  resetAt: Date;
  limitedAt: Date | null;
  observedAt: Date;
};

const FLUSH_AFTER_MS = 250;
const state = ((globalThis as { __keyportRateBuffer?: { pending: Map<string, Pending>; timer: NodeJS.Timeout | null; flushing: Promise<void> | null } }).__keyportRateBuffer ??= {
  pending: new Map(),
  timer: null,
  flushing: null,
});

/** Per-app windows carry no account: X counts them for the whole app. */
const APP_WIDE: ReadonlySet<RateWindowName> = new Set(["tweets-24h-app"]);

export function windowId(credentialId: string, accountId: string | null, window: RateWindowName) {
  return `${credentialId}|${accountId ?? "app"}|${window}`;
}

/** Remembers what X said; written within FLUSH_AFTER_MS. Never throws, never waits for the database. */
export function observeRateWindows(observation: RateObservation): void {
  const at = observation.at ?? new Date();
  for (const w of observation.windows) {
    const accountId = APP_WIDE.has(w.window) ? null : observation.accountId;
    const id = windowId(observation.credentialId, accountId, w.window);
    const limitedAt = observation.limited && w.remaining === 0 ? at : null;
    const next: Pending = { id, workspaceId: observation.workspaceId, credentialId: observation.credentialId, accountId, window: w.window, limit: w.limit, remaining: w.remaining, resetAt: w.resetAt, limitedAt, observedAt: at };
    const previous = state.pending.get(id);
    state.pending.set(id, previous && !newer(next, previous) ? { ...previous, limitedAt: previous.limitedAt ?? limitedAt } : { ...next, limitedAt: limitedAt ?? (previous && sameWindow(previous, next) ? previous.limitedAt : null) });
  }
  if (!state.timer) {
    state.timer = setTimeout(() => void flushRateWindows(), FLUSH_AFTER_MS);
    state.timer.unref?.();
  }
}

/** Writes everything buffered so far. Readers call it first; tests call it to be deterministic. */
export async function flushRateWindows(): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  while (state.flushing) await state.flushing;
  if (state.pending.size === 0) return;
  const batch = [...state.pending.values()];
  state.pending.clear();
  state.flushing = (async () => {
    for (const row of batch) {
      try {
        await writeWindow(row);
      } catch (error) {
        console.error(`[quota] could not store a rate-limit window: ${(error as Error)?.name ?? "Error"}`);
      }
    }
  })();
  try {
    await state.flushing;
  } finally {
    state.flushing = null;
  }
}

async function writeWindow(row: Pending) {
  const data = { limit: row.limit, remaining: row.remaining, resetAt: row.resetAt, observedAt: row.observedAt, ...(row.limitedAt ? { limitedAt: row.limitedAt } : {}) };
  // A later window, or the same window with fewer left: never go back to an older figure.
  // A 429 from an earlier window is ignored on read (it predates this window's start).
  const { count } = await db.xRateWindow.updateMany({
    where: { id: row.id, OR: [{ resetAt: { lt: row.resetAt } }, { resetAt: row.resetAt, remaining: { gte: row.remaining } }] },
    data,
  });
  if (count === 1) return;
  const exists = await db.xRateWindow.findUnique({ where: { id: row.id }, select: { id: true } });
  if (exists) return; // someone stored a newer figure
  try {
    await db.xRateWindow.create({
      data: { id: row.id, workspaceId: row.workspaceId, credentialId: row.credentialId, accountId: row.accountId, window: row.window, ...data },
    });
  } catch {
    // Another process created it meanwhile; its figure is as good as ours.
  }
}

export type StoredWindow = {
  credentialId: string;
  accountId: string | null;
  window: RateWindowName;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** X answered 429 in this window. */
  limitedAt: Date | null;
  observedAt: Date;
};

/** Narrows a read: only these windows, and per-account windows only of these accounts. */
export type WindowFilter = { windows?: RateWindowName[]; accountIds?: string[] };

/**
 * The windows stored for these apps; a window whose reset has passed is reported full again,
 * except "users-me", which is left out once reset: every account the sweep reads gets one, and a
 * spent 15-minute window of a profile read says nothing afterwards.
 */
export async function rateWindowsForApps(workspaceId: string, credentialIds: string[], now = new Date(), filter: WindowFilter = {}): Promise<StoredWindow[]> {
  await flushRateWindows();
  if (credentialIds.length === 0) return [];
  const rows = await db.xRateWindow.findMany({
    where: {
      workspaceId,
      credentialId: { in: credentialIds },
      ...(filter.windows ? { window: { in: filter.windows } } : {}),
      AND: [
        { OR: [{ window: { not: "users-me" } }, { resetAt: { gt: now } }] },
        ...(filter.accountIds ? [{ OR: [{ accountId: null }, { accountId: { in: filter.accountIds } }] }] : []),
      ],
    },
    select: { credentialId: true, accountId: true, window: true, limit: true, remaining: true, resetAt: true, limitedAt: true, observedAt: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => {
    const expired = r.resetAt.getTime() <= now.getTime();
    return {
      ...r,
      window: r.window as RateWindowName,
      remaining: expired ? r.limit : r.remaining,
      limitedAt: expired || (r.limitedAt && r.limitedAt.getTime() < windowStart(r.resetAt, r.window as RateWindowName)) ? null : r.limitedAt,
    };
  });
}

/**
 * The earliest this window can have started. X's reset header is in whole seconds, rounded up, so
 * reset − length can be up to a second after the real start: a 429 in that first second still
 * belongs to this window.
 */
function windowStart(resetAt: Date, window: RateWindowName) {
  return resetAt.getTime() - windowLengthMs(window) - 1_000;
}

function windowLengthMs(window: RateWindowName) {
  return window === "tweets" || window === "users-me" ? 15 * 60_000 : 24 * 3_600_000;
}

function sameWindow(a: Pending, b: Pending) {
  return a.resetAt.getTime() === b.resetAt.getTime();
}

function newer(next: Pending, previous: Pending) {
  if (next.resetAt.getTime() !== previous.resetAt.getTime()) return next.resetAt > previous.resetAt;
  return next.remaining <= previous.remaining;
}
