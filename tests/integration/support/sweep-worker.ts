// A sweep worker process for the multi-worker tests: once loaded it says READY and waits for the
// `go` file (so two start together however slowly each loads), then runs sweep passes as worker
// `name` until nothing is due, printing "VISIT <id> <outcome>" as each visit completes.
// argv: name, go-file.
import { existsSync } from "node:fs";
import { runSweepPass } from "../../../lib/connections/sweep";
import { countDue } from "../../../lib/connections/sweep-claim";
import { db } from "../../../lib/db";

const [name, go] = process.argv.slice(2) as [string, string];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await db.connectedAccount.count();
console.log("READY");
while (!existsSync(go)) await sleep(20);
for (;;) {
  await runSweepPass({ worker: name, onVisit: (id, outcome) => console.log(`VISIT ${id} ${outcome}`) });
  // Accounts another worker still holds are due until it finishes them or its lease runs out.
  if ((await countDue(new Date())) === 0) break;
  await sleep(250);
}
console.log("DONE");
await db.$disconnect();
