// Sending webhook deliveries: claim the due ones, sign each with its endpoint's secret (Standard
// Webhooks), POST it through safePost (public addresses only, no redirects, a deadline), log the
// attempt, and either finish the delivery or schedule its retry. The webhook-id is the delivery's
// messageId — the notification's id — on every attempt, so receivers can de-duplicate.
import "server-only";
import { randomUUID } from "node:crypto";
import { openColumn, SEALED } from "../crypto/app-ring";
import { db } from "../db";
import { env } from "../env";
import { claimDue, eachLimited } from "./claim";
import { safePost, type PostResult } from "./safe-post";
import { nextWebhookAttempt, WEBHOOK_MAX_ATTEMPTS } from "./schedule";
import { signatureHeaders } from "./signing";

export const TEST_EVENT = "webhook.test";
const CONCURRENCY = 8;

export type DeliverySummary = { attempted: number; delivered: number; retrying: number; failed: number; skipped: number };

type DeliveryRow = { id: string; workspaceId: string; endpointId: string; messageId: string; event: string; payload: string; attempts: number };
type EndpointRow = { id: string; url: string; enabled: boolean; secretSealed: string; previousSecretSealed: string | null; previousSecretUntil: Date | null };

const DELIVERY_SELECT = { id: true, workspaceId: true, endpointId: true, messageId: true, event: true, payload: true, attempts: true } as const;
const ENDPOINT_SELECT = { id: true, url: true, enabled: true, secretSealed: true, previousSecretSealed: true, previousSecretUntil: true } as const;

/** One bounded round: claims up to `limit` due deliveries and sends them, a few at a time. */
export async function sendDueDeliveries(input: { now: Date; limit: number; worker: string }): Promise<DeliverySummary> {
  const summary: DeliverySummary = { attempted: 0, delivered: 0, retrying: 0, failed: 0, skipped: 0 };
  // The lease covers the whole batch: every lane may wait out a full timeout per delivery.
  const leaseMs = Math.ceil(input.limit / CONCURRENCY) * env.KEYPORT_WEBHOOK_TIMEOUT_MS + 30_000;
  const ids = await claimDue("WebhookDelivery", { ...input, leaseMs });
  if (ids.length === 0) return summary;
  const deliveries = await db.webhookDelivery.findMany({ where: { id: { in: ids }, claimedBy: input.worker }, select: DELIVERY_SELECT });
  const endpoints = await db.webhookEndpoint.findMany({ where: { id: { in: [...new Set(deliveries.map((d) => d.endpointId))] } }, select: ENDPOINT_SELECT });
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  await eachLimited(deliveries, CONCURRENCY, async (delivery) => {
    try {
      const outcome = await attempt(delivery, byId.get(delivery.endpointId) ?? null, input.now, input.worker);
      summary[outcome]++;
      if (outcome !== "skipped") summary.attempted++;
    } catch (error) {
      // One delivery's trouble (the database hiccuping mid-write) must not stop the others; its
      // claim runs out with the lease and another pass takes it up.
      console.error(`[keyport] webhook delivery ${delivery.id} could not be completed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return summary;
}

export type TestResult = { status: "sent"; deliveryId: string; result: PostResult } | { status: "not-found" } | { status: "too-many" };

/** Test events per endpoint per minute: enough to debug a receiver, too few to aim Keyport at someone. */
export const TEST_EVENTS_PER_MINUTE = 10;

/**
 * Sends a `webhook.test` event to one endpoint now, once (no retries), and logs it like any
 * delivery.
 */
export async function sendTestEvent(workspaceId: string, endpointId: string, workspaceName: string): Promise<TestResult> {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, workspaceId }, select: ENDPOINT_SELECT });
  if (!endpoint) return { status: "not-found" };
  const now = new Date();
  const recent = await db.webhookDelivery.count({ where: { endpointId, event: TEST_EVENT, createdAt: { gt: new Date(now.getTime() - 60_000) } } });
  if (recent >= TEST_EVENTS_PER_MINUTE) return { status: "too-many" };
  const worker = `test-${randomUUID().slice(0, 8)}`;
  const messageId = `msg_${randomUUID().replace(/-/g, "")}`;
  const payload = JSON.stringify({
    type: TEST_EVENT,
    timestamp: now.toISOString(),
    data: {
      message: "A test event from Keyport. Real events look like this, with `type` set to the event's name.",
      workspace: { id: workspaceId, name: workspaceName },
      endpoint: { id: endpoint.id },
      links: { webhooks: `${env.KEYPORT_PUBLIC_URL}/settings/webhooks/${encodeURIComponent(endpoint.id)}` },
    },
  });
  const delivery = await db.webhookDelivery.create({
    data: {
      id: `dlv_${randomUUID().replace(/-/g, "")}`,
      workspaceId,
      endpointId,
      messageId,
      event: TEST_EVENT,
      payload,
      nextAttemptAt: now,
      claimedBy: worker,
      claimedUntil: new Date(now.getTime() + env.KEYPORT_WEBHOOK_TIMEOUT_MS + 30_000),
      createdAt: now,
    },
    select: DELIVERY_SELECT,
  });
  let result: PostResult | undefined;
  await attempt(delivery, { ...endpoint, enabled: true }, now, worker, (r) => (result = r));
  return { status: "sent", deliveryId: delivery.id, result: result! };
}

type Outcome = "delivered" | "retrying" | "failed" | "skipped";

async function attempt(delivery: DeliveryRow, endpoint: EndpointRow | null, now: Date, worker: string, onResult?: (r: PostResult) => void): Promise<Outcome> {
  const mine = { id: delivery.id, claimedBy: worker };
  const release = { claimedBy: null, claimedUntil: null };
  if (!endpoint || !endpoint.enabled) {
    await db.webhookDelivery.updateMany({
      where: mine,
      data: { ...release, status: "SKIPPED", nextAttemptAt: null, lastError: endpoint ? "The endpoint was turned off before this was sent." : "The endpoint was deleted." },
    });
    return "skipped";
  }
  const result = await send(delivery, endpoint, now);
  onResult?.(result);

  const attempts = delivery.attempts + 1;
  const isTest = delivery.event === TEST_EVENT;
  const retryAt = result.ok || isTest || attempts >= WEBHOOK_MAX_ATTEMPTS ? null : nextWebhookAttempt(attempts, now);
  const outcome: Outcome = result.ok ? "delivered" : retryAt ? "retrying" : "failed";
  await db.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        id: `att_${randomUUID().replace(/-/g, "")}`,
        workspaceId: delivery.workspaceId,
        endpointId: endpoint.id,
        deliveryId: delivery.id,
        attempt: attempts,
        at: now,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        outcome: result.outcome,
        error: result.error,
        response: result.response,
      },
    });
    const { count } = await tx.webhookDelivery.updateMany({
      where: mine,
      data: {
        ...release,
        attempts,
        status: outcome === "delivered" ? "DELIVERED" : outcome === "retrying" ? "PENDING" : "FAILED",
        nextAttemptAt: retryAt,
        lastAttemptAt: now,
        lastStatusCode: result.statusCode,
        lastDurationMs: result.durationMs,
        lastError: result.error,
        ...(result.ok ? { deliveredAt: now } : {}),
      },
    });
    // Our lease ran out and another worker took the delivery over: it owns the outcome now.
    if (count !== 1) return;
    if (result.ok) {
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id }, data: { lastAttemptAt: now, lastSuccessAt: now, failingSince: null } });
    } else {
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id }, data: { lastAttemptAt: now } });
      // Gave up on a real event after a day of retries: the endpoint is failing until it next answers.
      if (outcome === "failed" && !isTest) await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: null }, data: { failingSince: now } });
    }
  });
  return outcome;
}

async function send(delivery: DeliveryRow, endpoint: EndpointRow, now: Date): Promise<PostResult> {
  let secrets: string[];
  try {
    secrets = [openColumn(SEALED.webhookSecret, endpoint.id, endpoint.secretSealed)];
    if (endpoint.previousSecretSealed && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now) {
      secrets.push(openColumn(SEALED.webhookPreviousSecret, endpoint.id, endpoint.previousSecretSealed));
    }
  } catch {
    // Not sent unsigned, and retried: the operator may yet put the missing key back in the ring.
    return {
      ok: false,
      outcome: "keyport-error",
      statusCode: null,
      durationMs: 0,
      error: "Keyport could not open this endpoint's signing secret. Is every key that sealed it still in KEYPORT_ENCRYPTION_KEYS?",
      response: null,
    };
  }
  // The signature's timestamp is the real time of sending: receivers compare it with their clock.
  const headers = signatureHeaders({ messageId: delivery.messageId, body: delivery.payload, secrets, at: new Date() });
  return safePost(endpoint.url, delivery.payload, headers, { timeoutMs: env.KEYPORT_WEBHOOK_TIMEOUT_MS, allowPrivate: env.KEYPORT_ALLOW_PRIVATE_WEBHOOKS });
}
