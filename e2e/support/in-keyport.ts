// inKeyport(instance, "task", input): runs one of keyport-tasks.ts against a running Keyport's
// database, in a child Node process with that instance's DATABASE_URL, data directory and key ring
// (lib/env and lib/db configure themselves once per process, so not in Playwright's). The child
// resolves the react-server condition so "server-only" modules load, as they do in Next.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { KeyportTaskName, KeyportTasks } from "./keyport-tasks";

export const RESULT_MARKER = "@@KEYPORT-TASK-RESULT@@";

/** What a task needs to reach an instance's database; a Keyport from launchKeyport is one. */
export type Instance = { dataDir: string; databaseUrl?: string; env?: Record<string, string> };

const ENTRY = path.resolve("e2e/support/keyport-task.ts");

export function inKeyport<K extends KeyportTaskName>(
  instance: Instance,
  task: K,
  ...input: Parameters<KeyportTasks[K]>
): Awaited<ReturnType<KeyportTasks[K]>> {
  const out = execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ENTRY, task], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: instance.databaseUrl ?? `file:${path.join(instance.dataDir, "keyport.db")}`,
      KEYPORT_DATA_DIR: instance.dataDir,
      ...instance.env,
      KP_INPUT: JSON.stringify(input[0] ?? null),
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const at = out.lastIndexOf(RESULT_MARKER);
  if (at < 0) throw new Error(`Keyport task "${task}" printed no result:\n${out}`);
  return JSON.parse(out.slice(at + RESULT_MARKER.length));
}
