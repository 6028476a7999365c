// npm run worker — the background loop as its own process (sweep + notifications every
// KEYPORT_WORKER_INTERVAL_MS), for installations that run page servers with KEYPORT_WORKER=off.
// Any number may run against one PostgreSQL database. SIGINT/SIGTERM finish the batch in hand.
import { db } from "../lib/db";
import { env } from "../lib/env";
import { startWorker } from "../lib/jobs/worker";

const worker = startWorker();
console.log(`[worker] started (pid ${process.pid}): a pass every ${env.KEYPORT_WORKER_INTERVAL_MS / 1000} s on ${env.databaseKind}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second Ctrl-C: leave now; claims expire after their lease
    stopping = true;
    console.log(`[worker] ${signal}: finishing the batch in hand…`);
    void worker
      .stop()
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
}
