import { describe, expect, it } from "vitest";
import { loadEnv } from "../env";
import { Pacer } from "./pacer";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("Pacer", () => {
  it("never runs more than perApp at once for one app, nor more than total overall, and runs everything", async () => {
    const pacer = new Pacer(2, 3);
    let running = 0;
    let most = 0;
    const perApp = new Map<string, number>();
    const done: string[] = [];
    const job = (app: string, i: number) =>
      pacer.run(app, async () => {
        running++;
        perApp.set(app, (perApp.get(app) ?? 0) + 1);
        most = Math.max(most, running);
        expect(perApp.get(app)).toBeLessThanOrEqual(2);
        await tick();
        perApp.set(app, perApp.get(app)! - 1);
        running--;
        done.push(`${app}${i}`);
      });
    await Promise.all([...Array.from({ length: 6 }, (_, i) => job("a", i)), ...Array.from({ length: 4 }, (_, i) => job("b", i))]);
    expect(done).toHaveLength(10);
    expect(most).toBe(3);
    expect(pacer.maxSeen.get("a")).toBe(2);
  });

  it("a paused app reports its pause until it ends", () => {
    const pacer = new Pacer(1, 1);
    const now = new Date("2026-01-01T00:00:00Z");
    pacer.pause("a", new Date(now.getTime() + 60_000));
    expect(pacer.pausedAt("a", now)?.getTime()).toBe(now.getTime() + 60_000);
    expect(pacer.pausedAt("a", new Date(now.getTime() + 61_000))).toBeNull();
    expect(pacer.pausedAt("b", now)).toBeNull();
  });
});

describe("worker and sweep settings", () => {
  const base = { DATABASE_URL: "file:./x.db", AUTH_SECRET: "x".repeat(32), KEYPORT_ENCRYPTION_KEYS: `k1:${"A".repeat(43)}=` };
  it("defaults: worker on, a pass a minute, daily proof, weekly profile", () => {
    expect(loadEnv(base)).toMatchObject({ KEYPORT_WORKER: "on", KEYPORT_WORKER_INTERVAL_MS: 60_000, KEYPORT_SWEEP_PROOF_HOURS: 24, KEYPORT_SWEEP_PROFILE_DAYS: 7 });
  });
  it("KEYPORT_WORKER=off and profile 0 are accepted; nonsense is refused by name", () => {
    expect(loadEnv({ ...base, KEYPORT_WORKER: "off", KEYPORT_SWEEP_PROFILE_DAYS: "0" })).toMatchObject({ KEYPORT_WORKER: "off", KEYPORT_SWEEP_PROFILE_DAYS: 0 });
    expect(() => loadEnv({ ...base, KEYPORT_WORKER: "maybe" })).toThrow(/KEYPORT_WORKER must be on or off/);
    expect(() => loadEnv({ ...base, KEYPORT_SWEEP_APP_CONCURRENCY: "0" })).toThrow(/KEYPORT_SWEEP_APP_CONCURRENCY/);
  });
});
