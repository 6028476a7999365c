import { describe, expect, it } from "vitest";
import { backoff, isBusyError, newLimiter } from "./concurrency";

describe("newLimiter", () => {
  it("lets `size` run at once and the rest wait in line, first come first served", async () => {
    const limiter = newLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const work = gates.map((gate, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await gate.promise;
        running--;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([0, 1]);
    gates[1]!.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    await Promise.all(work);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it("a waiter that gave up does not take a place later; the place goes to the next one", async () => {
    const limiter = newLimiter(1);
    expect(await limiter.take(0)).toBe(true);
    expect(await limiter.take(5)).toBe(false);
    const next = limiter.take(1_000);
    limiter.release();
    expect(await next).toBe(true);
    limiter.release();
    expect(await limiter.take(0)).toBe(true);
  });
});

describe("isBusyError", () => {
  it("knows SQLite's and PostgreSQL's 'busy right now' in Prisma's and the drivers' shapes", () => {
    expect(isBusyError({ code: "P1008", message: "Operations timed out after `5000ms`" })).toBe(true);
    expect(isBusyError({ code: "P2028", message: "Unable to start a transaction in the given time." })).toBe(true);
    expect(isBusyError(new Error("SqliteError: database is locked"))).toBe(true);
    expect(isBusyError({ message: "driver error", cause: { code: "SQLITE_BUSY" } })).toBe(true);
    expect(isBusyError({ code: "55P03", message: "canceling statement due to lock timeout" })).toBe(true);
  });
  it("leaves real errors alone", () => {
    expect(isBusyError({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isBusyError(new Error("connection refused"))).toBe(false);
    expect(isBusyError(null)).toBe(false);
  });
});

it("backoff grows to a ceiling, with jitter", () => {
  const first = Array.from({ length: 50 }, () => backoff(0));
  const late = Array.from({ length: 50 }, () => backoff(20));
  expect(Math.max(...first)).toBeLessThanOrEqual(20);
  expect(Math.min(...late)).toBeGreaterThanOrEqual(200);
  expect(Math.max(...late)).toBeLessThanOrEqual(400);
  expect(new Set(late).size).toBeGreaterThan(1);
});
