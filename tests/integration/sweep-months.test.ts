// Months pass: 200 days on the emulator's clock (its control API's time travel) with a sweep
// every day and nobody using the accounts. Every chain of rotating refresh tokens stays alive —
// no account needs reconnecting, no refresh ever presented an already-rotated token (X would
// answer 400 and end the grant) — and the only billed calls are the weekly profile reads.
// The emulator runs as its own process, so its clock moves only through the control API while
// Keyport's clock (Date, faked in this process) follows it.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { XEmulatorControl } from "@/e2e/x-emulator/control-client";
import { runSweepPass } from "@/lib/connections/sweep";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { agency, CALLBACK } from "./connect-helpers";
import { seedAccounts } from "./support/sweep-seed";

const ACCOUNTS = 4;
const DAYS = 200;
let emulator: ChildProcess;
let url: string;
let control: XEmulatorControl;

beforeAll(async () => {
  emulator = spawn(process.execPath, ["--import", "tsx", "e2e/x-emulator/cli.ts", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    emulator.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    emulator.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  control = new XEmulatorControl(url);
  Object.assign(env, { X_API_BASE_URL: url, X_AUTHORIZE_URL: `${url}/i/oauth2/authorize`, KEYPORT_SWEEP_PROFILE_DAYS: 7, KEYPORT_SWEEP_PROOF_HOURS: 24 });
}, 60_000);

afterAll(() => {
  vi.useRealTimers();
  emulator?.kill();
});

describe("months pass with the sweep running and no use", () => {
  it(`${DAYS} days: no reconnect needed, no chain broken, only weekly profile reads billed`, async () => {
    const created = await control.createApp({ name: "Months app", callbackUrls: [CALLBACK], permission: "read-write-dm" });
    const app = { clientId: created.clientId, clientSecret: created.clientSecret! };
    const a = await agency(app);
    const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    const ids = await seedAccounts(control, url, { ...app, callbackUrl: CALLBACK }, { workspaceId: a.workspaceId, brandId: a.brandId, credentialId: credential.id, credentialVersion: credential.version }, ACCOUNTS);
    await control.clearRequests();
    await control.resetCosts();

    // Keyport's clock follows the emulator's from here on (only Date is faked; timers are real).
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true, now: new Date((await control.clock()).now) });
    let refreshes = 0;
    const started = performance.now();
    for (let day = 1; day <= DAYS; day++) {
      const { now } = await control.advanceClock(86_400);
      vi.setSystemTime(new Date(now));
      const s = await runSweepPass();
      expect(s.failed, `day ${day}`).toBe(0);
      if (day % 10 === 0 || day === DAYS) {
        const log = await control.requests({ path: "/2/oauth2/token" });
        // A rotated token presented again would be answered 400 (and end the grant): none was.
        expect(log.filter((r) => r.status !== 200), `day ${day}`).toEqual([]);
        refreshes += log.filter((r) => r.grantType === "refresh_token").length;
        await control.clearRequests();
        console.log(`[months] day ${day}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    }
    vi.useRealTimers();

    const rows = await db.connectedAccount.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => r.status)).toEqual(Array(ACCOUNTS).fill("ACTIVE"));
    expect((await control.grants({ clientId: app.clientId })).filter((g) => g.revoked)).toEqual([]);
    // Proven every day by a refresh (about one per account per day, never more).
    expect(refreshes).toBeGreaterThanOrEqual(ACCOUNTS * (DAYS - 1) * 0.95);
    expect(refreshes).toBeLessThanOrEqual(ACCOUNTS * DAYS);

    const costs = await control.appCosts(app.clientId);
    const weekly = ACCOUNTS * Math.floor(DAYS / 7);
    expect(costs.categories.userRead.billedUnits).toBeGreaterThanOrEqual(weekly);
    expect(costs.categories.userRead.billedUnits).toBeLessThanOrEqual(ACCOUNTS * Math.ceil(DAYS / 6.3));
    expect(costs.billedUnits).toBe(costs.categories.userRead.billedUnits);
    expect(costs.categories.contentCreate.calls + costs.categories.contentCreateWithUrl.calls).toBe(0);
    // Keyport's own count of its billed reads matches what X would bill.
    const usage = await db.xUsage.findMany({ where: { workspaceId: a.workspaceId, kind: "user-read" } });
    expect(usage.reduce((n, u) => n + u.billed, 0)).toBe(costs.categories.userRead.billedUnits);
  }, 300_000);
});
