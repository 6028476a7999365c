// Fan-out: each new Notification (the outbox lib/connections/status.ts writes) becomes one
// WebhookDelivery per enabled endpoint of its workspace that subscribed to its event. Marking the
// notification dispatched and creating its deliveries happen in one transaction behind a
// compare-and-set on dispatchedAt, so two workers never fan one notification out twice.
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { parseEventList } from "../validations/webhooks";

export type DispatchSummary = { notifications: number; deliveries: number };

// A batch of compare-and-sets and inserts; on a busy database that can pass Prisma's 5 s default.
const TX = { timeout: 60_000, maxWait: 10_000 };

/** Notifications nobody listens to only need marking: a pass looks at this many times `limit` of them. */
const SCAN_FACTOR = 10;

export async function dispatchNotifications(now: Date, limit: number): Promise<DispatchSummary> {
  const scanned = await db.notification.findMany({
    where: { dispatchedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit * SCAN_FACTOR,
    select: { id: true, workspaceId: true, event: true },
  });
  if (scanned.length === 0) return { notifications: 0, deliveries: 0 };
  const endpoints = await db.webhookEndpoint.findMany({
    where: { workspaceId: { in: [...new Set(scanned.map((n) => n.workspaceId))] }, enabled: true },
    select: { id: true, workspaceId: true, events: true },
  });
  const subscribed = endpoints.map((e) => ({ ...e, events: new Set<string>(parseEventList(e.events)) }));
  const targets = (n: (typeof scanned)[number]) => subscribed.filter((e) => e.workspaceId === n.workspaceId && e.events.has(n.event));

  // Nobody listens: mark them in one statement (idempotent, nothing else to create).
  const unheard = scanned.filter((n) => targets(n).length === 0).map((n) => n.id);
  if (unheard.length) await db.notification.updateMany({ where: { id: { in: unheard }, dispatchedAt: null }, data: { dispatchedAt: now } });

  const heard = scanned.filter((n) => targets(n).length > 0).slice(0, limit);
  const payloads = new Map(
    heard.length ? (await db.notification.findMany({ where: { id: { in: heard.map((n) => n.id) } }, select: { id: true, payload: true } })).map((n) => [n.id, n.payload]) : [],
  );
  const deliveries = heard.length
    ? await db.$transaction(async (tx) => {
        const rows = [];
        // Same order in every worker (createdAt, id), so row locks are taken in one global order.
        for (const n of heard) {
          const { count } = await tx.notification.updateMany({ where: { id: n.id, dispatchedAt: null }, data: { dispatchedAt: now } });
          if (count !== 1) continue;
          for (const endpoint of targets(n)) {
            rows.push({
              id: `dlv_${randomUUID().replace(/-/g, "")}`,
              workspaceId: n.workspaceId,
              endpointId: endpoint.id,
              messageId: n.id,
              event: n.event,
              payload: payloads.get(n.id)!,
              nextAttemptAt: now,
              createdAt: now,
            });
          }
        }
        if (rows.length) await tx.webhookDelivery.createMany({ data: rows });
        return rows.length;
      }, TX)
    : 0;
  return { notifications: unheard.length + heard.length, deliveries };
}
