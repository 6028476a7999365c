// npm run sweep — one health-sweep pass now, by hand: prints a progress line every few seconds
// (done / due / failed) and a summary, then exits (0 even when accounts failed: they are reported, and the pass itself worked). The background
// worker runs the same pass every interval; this is for operators, cron and tests.
import { runSweepPass, type SweepProgress } from "../lib/connections/sweep";
import { db } from "../lib/db";
import { recordSweepPass } from "../lib/jobs/worker";

const EVERY_MS = Number(process.argv.find((a) => a.startsWith("--progress-ms="))?.slice(14) ?? 3000);

async function main() {
  let last: SweepProgress = { due: 0, done: 0, failed: 0 };
  const line = (p: SweepProgress) => console.log(`sweep: ${p.done}/${p.due} done, ${p.failed} failed`);
  const ticker = setInterval(() => line(last), EVERY_MS);
  try {
    const s = await runSweepPass({ onProgress: (p) => (last = p) });
    clearInterval(ticker);
    line(s);
    const o = s.outcomes;
    console.log(
      `summary: ${s.done} accounts visited of ${s.due} due in ${(s.ms / 1000).toFixed(1)} s — ` +
        `${o.proven} proven by a token refresh, ${o.profile} profile reads (billed), ${o["not-due"] + o.fresh} had nothing due, ` +
        `${o["needs-reconnect"]} need reconnecting, ${o.transient} transient failures, ${o["rate-limited"]} rate-limited, ${o.postponed} postponed, ` +
        `${s.degraded} became degraded, ${s.recovered} recovered`,
    );
    await recordSweepPass(s);
  } finally {
    clearInterval(ticker);
  }
}

main()
  .catch((error: unknown) => {
    console.error(`sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  })
  .finally(() => db.$disconnect());
