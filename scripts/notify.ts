// npm run notify — one notification pass by hand (fan out, send due webhooks, queue and send due
// emails), printed as counts; `-- --until-idle` repeats passes until nothing is left to do. The
// background worker runs the same pass in its loop; this is for operators and tests.
import { db } from "../lib/db";
import { passWasIdle, runNotificationPass } from "../lib/notify/pass";

async function main() {
  const untilIdle = process.argv.includes("--until-idle");
  const limit = Number(process.argv.find((a) => a.startsWith("--limit="))?.slice(8) ?? 100);
  for (let pass = 1; ; pass++) {
    const s = await runNotificationPass({ limit });
    console.log(
      `pass ${pass}: ${s.dispatched.notifications} notifications fanned out to ${s.dispatched.deliveries} deliveries; ` +
        `webhooks ${s.webhooks.delivered} delivered, ${s.webhooks.retrying} to retry, ${s.webhooks.failed} given up, ${s.webhooks.skipped} skipped; ` +
        (s.email
          ? `email ${s.email.incidentsQueued} incidents and ${s.email.digestsQueued} digests queued, ${s.email.sent} sent, ${s.email.retrying} to retry, ${s.email.failed} given up`
          : "email off (no SMTP_URL)"),
    );
    if (!untilIdle || passWasIdle(s)) break;
  }
}

main()
  .catch((error: unknown) => {
    console.error(`notify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
