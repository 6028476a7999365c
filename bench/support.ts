// What the benches share, and what they borrow from the test helpers rather than copy.
import type { ChildProcess } from "node:child_process";

export { freePort } from "../e2e/support/keyport";
export { adminQuery, PG_ADMIN_URL, withDatabase } from "../tests/integration/global-setup";

/** Until `url` answers 2xx; fails as soon as `child` (the server behind it) exits. */
export async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in ${timeoutMs / 1000} s`);
}
