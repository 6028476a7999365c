// Child-process entry for in-keyport.ts: `node --conditions=react-server --import tsx
// e2e/support/keyport-task.ts <task>` with the instance's environment and the input as JSON in
// KP_INPUT. Prints the result after a marker line, so stray log output cannot corrupt it.
import { db } from "../../lib/db";
import { RESULT_MARKER } from "./in-keyport";
import { keyportTasks, type KeyportTaskName } from "./keyport-tasks";

const name = process.argv[2] as KeyportTaskName;
const task = keyportTasks[name] as ((input: unknown) => Promise<unknown>) | undefined;
if (!task) throw new Error(`unknown Keyport task "${name}" (see e2e/support/keyport-tasks.ts)`);
try {
  const result = await task(JSON.parse(process.env.KP_INPUT ?? "null"));
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result ?? null)}`);
} finally {
  await db.$disconnect();
}
