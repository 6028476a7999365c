import { describe, expect, it } from "vitest";
import { nextWebhookAttempt, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_WINDOW_HOURS } from "./schedule";

describe("webhook retry schedule", () => {
  const now = new Date("2026-11-29T00:00:00Z");
  it("backs off exponentially over about a day, then gives up", () => {
    const mid = () => 0.5;
    const gaps: number[] = [];
    for (let attempts = 1; attempts < WEBHOOK_MAX_ATTEMPTS; attempts++) gaps.push(nextWebhookAttempt(attempts, now, mid)!.getTime() - now.getTime());
    expect(gaps[0]).toBe(5_000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
    const total = gaps.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThan(30);
    expect(WEBHOOK_RETRY_WINDOW_HOURS).toBe(Math.round(total));
    expect(nextWebhookAttempt(WEBHOOK_MAX_ATTEMPTS, now, mid)).toBeNull();
  });

  it("jitters within ±10 %", () => {
    expect(nextWebhookAttempt(2, now, () => 0)!.getTime() - now.getTime()).toBe(270_000);
    expect(nextWebhookAttempt(2, now, () => 1)!.getTime() - now.getTime()).toBe(330_000);
  });
});
