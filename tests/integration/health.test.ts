import { describe, expect, it, vi } from "vitest";

describe("GET /api/health", () => {
  it("answers 200 when the database is reachable; 'worker stale' (still 200) until a worker pass finished", async () => {
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "worker stale", database: { reachable: true }, worker: { status: "stale", lastPassAt: null } });
  });

  it("reports the worker's last completed pass and the accounts by status; stale again after twice the interval", async () => {
    const { db } = await import("@/lib/db");
    const { env } = await import("@/lib/env");
    const { runWorkerPass } = await import("@/lib/jobs/worker");
    const { GET } = await import("@/app/api/health/route");
    const workspace = await db.workspace.create({ data: { name: "Health" } });
    const brand = await db.brand.create({ data: { workspaceId: workspace.id, name: "B", nameKey: "b" } });
    const statuses = ["ACTIVE", "ACTIVE", "DEGRADED", "NEEDS_RECONNECT", "DISCONNECTED"];
    await db.connectedAccount.createMany({
      data: statuses.map((status, i) => ({
        id: `health-${i}`,
        workspaceId: workspace.id,
        brandId: brand.id,
        xUserId: String(i),
        name: `n${i}`,
        username: `u${i}`,
        grantedScopes: "users.read",
        credentialId: "none",
        credentialVersion: 1,
        status,
        // Nothing due, so the pass makes no call to X.
        nextCheckAt: new Date(Date.now() + 86_400_000),
      })),
    });
    const before = Date.now();
    await runWorkerPass();
    const body = await (await GET()).json();
    expect(body).toMatchObject({
      status: "ok",
      worker: { status: "ok", intervalMs: env.KEYPORT_WORKER_INTERVAL_MS, lastPass: { due: 0, done: 0, failed: 0 } },
      accounts: { ACTIVE: 2, DEGRADED: 1, NEEDS_RECONNECT: 1, DISCONNECTED: 1 },
    });
    expect(Date.parse(body.worker.lastPassAt)).toBeGreaterThanOrEqual(before - 1000);
    // No names, ids or anything else about the accounts.
    expect(JSON.stringify(body)).not.toMatch(/health-|u0|Health/);

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * env.KEYPORT_WORKER_INTERVAL_MS + 1000 });
    try {
      const stale = await GET();
      expect(stale.status).toBe(200);
      expect(await stale.json()).toMatchObject({ status: "worker stale", worker: { status: "stale" } });
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers 503 when the database is down", async () => {
    vi.resetModules();
    delete (globalThis as { keyportDb?: unknown }).keyportDb;
    const saved = process.env.DATABASE_URL;
    // Nothing listens on port 1: the connection is refused, as when PostgreSQL has stopped.
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/keyport";
    try {
      const { GET } = await import("@/app/api/health/route");
      const response = await GET();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable", database: { kind: "postgres", reachable: false } });
    } finally {
      process.env.DATABASE_URL = saved;
      delete (globalThis as { keyportDb?: unknown }).keyportDb;
    }
  });
});
