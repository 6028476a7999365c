import { describe, expect, it, vi } from "vitest";

describe("GET /api/health", () => {
  it("answers 200 when the database is reachable", async () => {
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: { reachable: true } });
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
