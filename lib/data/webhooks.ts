// Webhook endpoints and their delivery log, scoped by workspace. Reads return DTOs without the
// sealed secret; the plaintext secret leaves this file only when it was just made (create,
// rotate), for the one time it is shown.
import "server-only";
import { randomUUID } from "node:crypto";
import { openColumn, SEALED, sealColumn } from "../crypto/app-ring";
import { db } from "../db";
import { newWebhookSecret } from "../notify/signing";
import { parseEventList, type WebhookEndpointInput, type WebhookEvent } from "../validations/webhooks";
import { recordAudit } from "./audit";

type Actor = { id: string; name: string };

/** A workspace's endpoints are few by nature; a cap keeps one admin from fanning every event out a thousand times. */
export const WEBHOOK_ENDPOINTS_MAX = 20;
/** After a rotation the old secret keeps signing (beside the new one) this long. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;
export const DELIVERIES_PER_PAGE = 25;

/** failing: gave up on a delivery after its last retry; erroring: the last attempt failed, retries continue. */
export type EndpointState = "healthy" | "erroring" | "failing" | "off" | "unused";

export type WebhookEndpointSummary = {
  id: string;
  url: string;
  description: string;
  events: WebhookEvent[];
  enabled: boolean;
  state: EndpointState;
  failingSince: Date | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  createdAt: Date;
  secretRotatedAt: Date | null;
  previousSecretUntil: Date | null;
  pending: number;
};

const SUMMARY_SELECT = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  failingSince: true,
  lastAttemptAt: true,
  lastSuccessAt: true,
  createdAt: true,
  secretRotatedAt: true,
  previousSecretUntil: true,
} as const;

export async function listWebhookEndpoints(workspaceId: string): Promise<WebhookEndpointSummary[]> {
  const rows = await db.webhookEndpoint.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: SUMMARY_SELECT, take: WEBHOOK_ENDPOINTS_MAX * 2 });
  return Promise.all(rows.map((row) => summarise(row)));
}

export async function getWebhookEndpoint(workspaceId: string, endpointId: string): Promise<WebhookEndpointSummary | null> {
  const row = await db.webhookEndpoint.findFirst({ where: { id: endpointId, workspaceId }, select: SUMMARY_SELECT });
  return row ? summarise(row) : null;
}

export type CreateResult = { status: "created"; id: string; secret: string } | { status: "limit" };

export async function createWebhookEndpoint(workspaceId: string, actor: Actor, input: WebhookEndpointInput): Promise<CreateResult> {
  const id = `ep_${randomUUID().replace(/-/g, "")}`;
  const secret = newWebhookSecret();
  return db.$transaction(async (tx) => {
    if ((await tx.webhookEndpoint.count({ where: { workspaceId } })) >= WEBHOOK_ENDPOINTS_MAX) return { status: "limit" as const };
    await tx.webhookEndpoint.create({
      data: {
        id,
        workspaceId,
        url: input.url,
        description: input.description,
        events: input.events.join(" "),
        enabled: input.enabled,
        secretSealed: sealColumn(SEALED.webhookSecret, id, secret),
        createdById: actor.id,
      },
    });
    await recordAudit({ workspaceId, actor, action: "webhook.created", summary: `Added webhook endpoint ${input.url} for ${input.events.join(", ")}${input.enabled ? "" : " (off)"}.` }, tx);
    return { status: "created" as const, id, secret };
  });
}

export async function updateWebhookEndpoint(workspaceId: string, actor: Actor, endpointId: string, input: WebhookEndpointInput): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, workspaceId },
      data: { url: input.url, description: input.description, events: input.events.join(" "), enabled: input.enabled },
    });
    if (count !== 1) return false;
    await recordAudit({ workspaceId, actor, action: "webhook.updated", summary: `Changed webhook endpoint ${input.url}: ${input.events.join(", ")}${input.enabled ? "" : " (off)"}.` }, tx);
    return true;
  });
}

export async function setWebhookEndpointEnabled(workspaceId: string, actor: Actor, endpointId: string, enabled: boolean): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, workspaceId }, select: { url: true } });
    if (!row) return false;
    await tx.webhookEndpoint.updateMany({ where: { id: endpointId, workspaceId }, data: { enabled } });
    await recordAudit({ workspaceId, actor, action: "webhook.updated", summary: `Turned webhook endpoint ${row.url} ${enabled ? "on" : "off"}.` }, tx);
    return true;
  });
}

/**
 * A new secret for the endpoint, returned once. The previous one keeps signing beside it for
 * PREVIOUS_SECRET_GRACE_MS, so receivers can switch over without rejecting events.
 */
export type RotateResult = { status: "rotated"; secret: string } | { status: "not-found" } | { status: "conflict" };

export async function rotateWebhookSecret(workspaceId: string, actor: Actor, endpointId: string, now = new Date()): Promise<RotateResult> {
  const secret = newWebhookSecret();
  return db.$transaction(async (tx): Promise<RotateResult> => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, workspaceId }, select: { id: true, url: true, secretSealed: true } });
    if (!row) return { status: "not-found" };
    const previous = openColumn(SEALED.webhookSecret, row.id, row.secretSealed);
    const { count } = await tx.webhookEndpoint.updateMany({
      // Compare-and-set: two rotations at once must not both keep "their" previous secret.
      where: { id: row.id, workspaceId, secretSealed: row.secretSealed },
      data: {
        secretSealed: sealColumn(SEALED.webhookSecret, row.id, secret),
        previousSecretSealed: sealColumn(SEALED.webhookPreviousSecret, row.id, previous),
        previousSecretUntil: new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS),
        secretRotatedAt: now,
      },
    });
    if (count !== 1) return { status: "conflict" };
    await recordAudit({ workspaceId, actor, action: "webhook.secret_rotated", summary: `Rotated the signing secret of webhook endpoint ${row.url}; the old one signs too for 24 hours.` }, tx);
    return { status: "rotated", secret };
  });
}

export async function deleteWebhookEndpoint(workspaceId: string, actor: Actor, endpointId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, workspaceId }, select: { url: true } });
    if (!row) return false;
    await tx.webhookAttempt.deleteMany({ where: { endpointId, workspaceId } });
    await tx.webhookDelivery.deleteMany({ where: { endpointId, workspaceId } });
    await tx.webhookEndpoint.deleteMany({ where: { id: endpointId, workspaceId } });
    await recordAudit({ workspaceId, actor, action: "webhook.deleted", summary: `Deleted webhook endpoint ${row.url} and its delivery log.` }, tx);
    return true;
  });
}

export type AttemptLine = { attempt: number; at: Date; statusCode: number | null; durationMs: number; outcome: string; error: string | null; response: string | null };

export type DeliveryLine = {
  id: string;
  messageId: string;
  event: string;
  status: "PENDING" | "DELIVERED" | "FAILED" | "SKIPPED";
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  log: AttemptLine[];
};

/** The endpoint's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(workspaceId: string, endpointId: string, page = 1): Promise<{ items: DeliveryLine[]; total: number; page: number; pageCount: number }> {
  const where = { workspaceId, endpointId };
  const [total, rows] = await Promise.all([
    db.webhookDelivery.count({ where }),
    db.webhookDelivery.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * DELIVERIES_PER_PAGE,
      take: DELIVERIES_PER_PAGE,
      select: {
        id: true,
        messageId: true,
        event: true,
        status: true,
        attempts: true,
        createdAt: true,
        lastAttemptAt: true,
        lastStatusCode: true,
        lastDurationMs: true,
        lastError: true,
        nextAttemptAt: true,
        deliveredAt: true,
      },
    }),
  ]);
  const attempts = rows.length
    ? await db.webhookAttempt.findMany({
        where: { workspaceId, deliveryId: { in: rows.map((r) => r.id) } },
        orderBy: [{ at: "asc" }, { attempt: "asc" }],
        select: { deliveryId: true, attempt: true, at: true, statusCode: true, durationMs: true, outcome: true, error: true, response: true },
      })
    : [];
  const log = new Map<string, AttemptLine[]>();
  for (const { deliveryId, ...line } of attempts) log.set(deliveryId, [...(log.get(deliveryId) ?? []), line]);
  return {
    items: rows.map((r) => ({ ...r, status: r.status as DeliveryLine["status"], nextAttemptAt: r.status === "PENDING" ? r.nextAttemptAt : null, log: log.get(r.id) ?? [] })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / DELIVERIES_PER_PAGE)),
  };
}

async function summarise(row: {
  id: string;
  url: string;
  description: string;
  events: string;
  enabled: boolean;
  failingSince: Date | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  createdAt: Date;
  secretRotatedAt: Date | null;
  previousSecretUntil: Date | null;
}): Promise<WebhookEndpointSummary> {
  const pending = await db.webhookDelivery.count({ where: { endpointId: row.id, status: "PENDING" } });
  const state: EndpointState = !row.enabled
    ? "off"
    : row.failingSince
      ? "failing"
      : !row.lastAttemptAt
        ? "unused"
        : row.lastSuccessAt && row.lastSuccessAt >= row.lastAttemptAt
          ? "healthy"
          : "erroring";
  return {
    ...row,
    events: parseEventList(row.events),
    state,
    previousSecretUntil: row.previousSecretUntil && row.previousSecretUntil > new Date() ? row.previousSecretUntil : null,
    pending,
  };
}
