// Several workers sending at once: two separate Node processes run notification passes over the
// same outbox, and the receiver gets every message exactly once. A worker that dies holding a
// claim delays its deliveries only until the lease ends.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookEndpointAction } from "@/lib/actions/webhooks";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { claimDue } from "@/lib/notify/claim";
import { dispatchNotifications } from "@/lib/notify/dispatch";
import { runNotificationPass } from "@/lib/notify/pass";
import { OUTPUT } from "./global-setup";
import { actAs, makeWorkspace } from "./helpers";
import { startReceiver, type Receiver } from "@/e2e/support/webhook-receiver";

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
  Object.assign(env, { KEYPORT_ALLOW_PRIVATE_WEBHOOKS: true });
});
afterAll(async () => receiver?.close());

async function workspaceWithEndpoint(name: string) {
  const { workspace, users } = await makeWorkspace(name, [{ email: `owner@${name.toLowerCase().replace(/\W/g, "")}.test`, role: "OWNER" }]);
  actAs(Object.values(users)[0]!, workspace.id);
  const created = await createWebhookEndpointAction({ url: `${receiver.url}/hooks`, description: "", events: ["account.needs_reconnect"], enabled: true });
  if (!created.ok) throw new Error(created.error);
  receiver.secret = created.data.secret;
  return { workspaceId: workspace.id, endpointId: created.data.endpointId };
}

async function outbox(workspaceId: string, count: number) {
  const at = new Date();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `msg_${workspaceId}_${i}`,
    workspaceId,
    event: "account.needs_reconnect",
    accountId: `acct_${i}`,
    payload: JSON.stringify({ type: "account.needs_reconnect", timestamp: at.toISOString(), data: { account: { id: `acct_${i}`, username: `user${i}` } } }),
    createdAt: new Date(at.getTime() + i),
  }));
  await db.notification.createMany({ data: rows });
  return rows.map((r) => r.id);
}

/**
 * A worker process: once loaded it says READY and waits for the `go` file (so both start together
 * however slowly each loads), then runs passes of `limit` until two in a row find nothing, and
 * prints how many deliveries it sent.
 */
function worker(limit: number, go: string, ready: () => void): Promise<{ code: number | null; out: string }> {
  const dir = mkdtempSync(path.join(OUTPUT, "notify-worker-"));
  const file = path.join(dir, "worker.mjs");
  const root = pathToFileURL(process.cwd()).href;
  writeFileSync(
    file,
    `import { existsSync } from "node:fs";
const { runNotificationPass, passWasIdle } = await import(${JSON.stringify(root)} + "/lib/notify/pass.ts");
const { db } = await import(${JSON.stringify(root)} + "/lib/db.ts");
await db.webhookEndpoint.count();
console.log("READY");
while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20));
let sent = 0, idle = 0;
while (idle < 2) {
  const s = await runNotificationPass({ limit: ${limit} });
  sent += s.webhooks.delivered;
  idle = passWasIdle(s) ? idle + 1 : 0;
}
await db.$disconnect();
console.log("SENT " + sent);
`,
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", file], {
      env: { ...process.env, NODE_ENV: "test", KEYPORT_ALLOW_PRIVATE_WEBHOOKS: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("READY")) ready();
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("two worker processes", () => {
  it("send each delivery exactly once between them", async () => {
    const { endpointId, workspaceId } = await workspaceWithEndpoint("Two Workers");
    const ids = await outbox(workspaceId, 120);
    receiver.otherwise = { status: 200, delayMs: 30 };
    const go = path.join(mkdtempSync(path.join(OUTPUT, "notify-go-")), "go");
    let readyCount = 0;
    let bothReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (bothReady = resolve));
    const onReady = () => ++readyCount === 2 && bothReady();
    const running = Promise.all([worker(10, go, onReady), worker(10, go, onReady)]);
    await ready;
    writeFileSync(go, "");
    const [a, b] = await running;
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const sentBy = [a, b].map((w) => Number(/SENT (\d+)/.exec(w.out)?.[1]));
    // Both took part (the work was shared), and together they sent everything once.
    expect(sentBy[0]! + sentBy[1]!).toBe(ids.length);
    expect(Math.min(...sentBy)).toBeGreaterThan(0);

    const byId = new Map<string, number>();
    for (const r of receiver.requests) byId.set(String(r.headers["webhook-id"]), (byId.get(String(r.headers["webhook-id"])) ?? 0) + 1);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    expect([...byId.values()].every((n) => n === 1)).toBe(true);
    expect(await db.webhookDelivery.count({ where: { endpointId } })).toBe(ids.length);
    expect(await db.webhookDelivery.count({ where: { endpointId, status: "DELIVERED", attempts: 1 } })).toBe(ids.length);
    expect(await db.webhookAttempt.count({ where: { endpointId } })).toBe(ids.length);
  }, 120_000);

  it("a worker that died holding claims delays them only until its lease ends", async () => {
    receiver.requests = [];
    receiver.otherwise = { status: 200 };
    const { endpointId, workspaceId } = await workspaceWithEndpoint("Dead Worker");
    await outbox(workspaceId, 3);
    const now = new Date();
    expect(await dispatchNotifications(now, 100)).toEqual({ notifications: 3, deliveries: 3 });
    // A worker claims them and dies before sending or releasing anything.
    const claimed = await claimDue("WebhookDelivery", { now, limit: 100, worker: "dead-worker", leaseMs: 60_000 });
    expect(claimed).toHaveLength(3);
    await runNotificationPass({ now: new Date(now.getTime() + 30_000), worker: "alive" });
    expect(receiver.requests).toHaveLength(0);
    await runNotificationPass({ now: new Date(now.getTime() + 61_000), worker: "alive" });
    expect(receiver.requests).toHaveLength(3);
    expect(await db.webhookDelivery.count({ where: { endpointId, status: "DELIVERED", claimedBy: null } })).toBe(3);
  });
});
