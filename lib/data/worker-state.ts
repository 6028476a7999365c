// The background worker's last completed pass (WorkerState), and what /api/health reports with it.
// Not workspace-scoped: these are facts about the installation, shown to load balancers and operators.
import "server-only";
import { db, isUniqueViolation } from "../db";

export const WORKER_STATE_KEY = "worker:last-pass";
export const SWEEP_STATE_KEY = "sweep:last-pass";

export type LastPass = { finishedAt: string; intervalMs: number; worker: string; sweep: { due: number; done: number; failed: number } };

export async function recordLastPass(key: string, pass: LastPass): Promise<void> {
  const value = JSON.stringify(pass);
  try {
    await db.workerState.upsert({ where: { key }, create: { key, value }, update: { value } });
  } catch (error) {
    // Two workers creating the row at once: the loser updates it.
    if (!isUniqueViolation(error)) throw error;
    await db.workerState.update({ where: { key }, data: { value } });
  }
}

export async function readLastPass(key = WORKER_STATE_KEY): Promise<LastPass | null> {
  const row = await db.workerState.findUnique({ where: { key }, select: { value: true } });
  if (!row) return null;
  try {
    return JSON.parse(row.value) as LastPass;
  } catch {
    return null;
  }
}

/** Connected accounts by status, across every workspace (no names, no ids). */
export async function countAccountsByStatus(): Promise<Record<string, number>> {
  const rows = await db.connectedAccount.groupBy({ by: ["status"], _count: { _all: true } });
  const counts: Record<string, number> = { ACTIVE: 0, DEGRADED: 0, NEEDS_RECONNECT: 0, DISCONNECTED: 0 };
  for (const r of rows) counts[r.status] = r._count._all;
  return counts;
}
