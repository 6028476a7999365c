// The background loop: every KEYPORT_WORKER_INTERVAL_MS one sweep pass (lib/connections/sweep)
// and one notification pass (lib/notify/pass), then the time it finished in WorkerState, which
// /api/health reports. Started inside the server by instrumentation.ts (unless KEYPORT_WORKER=off)
// or on its own by `npm run worker`; never by a page. Any number of these may run against one
// PostgreSQL database: both passes claim their work, so nothing is checked or sent twice.
import "server-only";
import { runSweepPass, type SweepSummary } from "../connections/sweep";
import { recordLastPass, SWEEP_STATE_KEY, WORKER_STATE_KEY } from "../data/worker-state";
import { env } from "../env";
import { WORKER_ID } from "../notify/claim";
import { runNotificationPass, type NotificationPassSummary } from "../notify/pass";

export type WorkerHandle = { stop: () => Promise<void> };

export type WorkerOptions = { intervalMs?: number; log?: (line: string) => void; firstDelayMs?: number };

/** Starts the loop; `stop()` lets the pass in hand finish (no new batches are claimed) and resolves when it has. */
export function startWorker(options: WorkerOptions = {}): WorkerHandle {
  const intervalMs = options.intervalMs ?? env.KEYPORT_WORKER_INTERVAL_MS;
  const log = options.log ?? ((line: string) => console.log(line));
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const loop = (async () => {
    await sleep(options.firstDelayMs ?? 0);
    while (!stopping.signal.aborted) {
      const started = Date.now();
      try {
        const result = await runWorkerPass({ signal: stopping.signal });
        const s = result.sweep;
        if (s.done > 0 || s.failed > 0) log(`[worker] sweep: ${s.done} visited of ${s.due} due, ${s.failed} failed, in ${s.ms} ms`);
      } catch (error) {
        // A pass that fails (database down) is retried next interval; the health check shows it stale.
        log(`[worker] pass failed: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`);
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  })();

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref?.();
    });
  }

  return {
    stop: async () => {
      stopping.abort();
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}

/** One sweep pass and one notification pass, recorded as the worker's last completed pass. */
export async function runWorkerPass(options: { signal?: AbortSignal; intervalMs?: number } = {}): Promise<{ sweep: SweepSummary; notify: NotificationPassSummary }> {
  const sweep = await runSweepPass({ worker: `${WORKER_ID}-sweep`, signal: options.signal });
  const notify = await runNotificationPass();
  await recordPass(WORKER_STATE_KEY, sweep, options.intervalMs ?? env.KEYPORT_WORKER_INTERVAL_MS);
  return { sweep, notify };
}

/** `npm run sweep`'s pass, recorded apart from the worker's (it sends no notifications). */
export async function recordSweepPass(sweep: SweepSummary): Promise<void> {
  await recordPass(SWEEP_STATE_KEY, sweep, 0);
}

function recordPass(key: string, sweep: SweepSummary, intervalMs: number): Promise<void> {
  return recordLastPass(key, { finishedAt: new Date().toISOString(), intervalMs, worker: WORKER_ID, sweep: { due: sweep.due, done: sweep.done, failed: sweep.failed } });
}
