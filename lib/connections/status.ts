// The one way a connected account's status changes. Each change is a compare-and-set on the
// status it starts from (and, when given, on the token pair that was judged), and in the same
// transaction it records a ConnectionEvent (the account's history) and, when people should hear
// of it, a Notification (the outbox lib/notify delivers from). Because the notification is tied
// to the transition, an incident is announced once, however many calls failed while it lasted.
import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit, type AuditAction } from "../data/audit";
import { db, type Db, type Prisma } from "../db";
import { env } from "../env";
import { reconnectReasonLabel } from "../reconnect-reasons";

export const ACCOUNT_STATUSES = ["ACTIVE", "DEGRADED", "NEEDS_RECONNECT", "DISCONNECTED"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const NOTIFICATION_EVENTS = [
  "account.needs_reconnect",
  "account.degraded",
  "account.recovered",
  "account.reconnected",
  "account.disconnected",
  "credentials.rejected",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type Actor = { id: string; name: string } | null;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type TransitionInput = {
  workspaceId: string;
  accountId: string;
  /** The statuses this change may start from. */
  from: readonly AccountStatus[];
  to: AccountStatus;
  /** A code from lib/reconnect-reasons.ts (null when the account becomes ACTIVE or DISCONNECTED). */
  reason?: string | null;
  /** Plain-words detail, e.g. which scopes X did not grant. */
  detail?: string | null;
  /** X's own answer behind the change (status, error, description); never a token. */
  xError?: string | null;
  /** Who decided; null means Keyport itself (a check, the worker). */
  actor?: Actor;
  /** Only if the token pair is still this version (the pair that was judged). */
  tokenVersion?: number;
  /** Further columns to set in the same write (tokens cleared on disconnect, say). */
  data?: Prisma.ConnectedAccountUpdateManyMutationInput;
  /** Also write an audit entry, in the same transaction. */
  audit?: { action: AuditAction; summary: string; outcome?: string | null; clientIdPreview?: string | null };
};

export type Transitioned = { accountId: string; brandId: string; username: string; from: AccountStatus; to: AccountStatus };

/**
 * Changes one account's status if it is still in one of `from` (and still holds the token pair
 * `tokenVersion`, when given). Null when the compare-and-set found nothing to change.
 */
export async function transitionAccount(input: TransitionInput, tx?: Tx): Promise<Transitioned | null> {
  if (!tx) return db.$transaction((inner) => transitionAccount(input, inner));
  const account = await tx.connectedAccount.findFirst({
    where: { id: input.accountId, workspaceId: input.workspaceId },
    select: { id: true, brandId: true, xUserId: true, name: true, username: true, status: true, credentialId: true, brand: { select: { name: true } } },
  });
  if (!account || !(input.from as readonly string[]).includes(account.status)) return null;
  const from = account.status as AccountStatus;
  const now = new Date();
  const { count } = await tx.connectedAccount.updateMany({
    where: { id: account.id, workspaceId: input.workspaceId, status: from, ...(input.tokenVersion !== undefined ? { tokenVersion: input.tokenVersion } : {}) },
    data: {
      ...input.data,
      status: input.to,
      statusReason: input.reason ?? null,
      statusDetail: input.detail ?? null,
      ...(from !== input.to ? { statusSince: now } : {}),
      ...(input.xError !== undefined ? { lastXError: input.xError, lastXErrorAt: input.xError ? now : null } : {}),
    },
  });
  if (count !== 1) return null;
  const actor = input.actor ?? null;
  await recordStatusChange(tx, { workspaceId: input.workspaceId, account: { ...account, brandName: account.brand.name }, from, change: input, actor, at: now });
  if (input.audit) {
    await recordAudit(
      { workspaceId: input.workspaceId, actor, brand: { id: account.brandId, name: account.brand.name }, ...input.audit },
      tx,
    );
  }
  return { accountId: account.id, brandId: account.brandId, username: account.username, from, to: input.to };
}

export type BulkInput = {
  workspaceId: string;
  credentialId: string;
  /** Only accounts whose tokens came from this version of the credential, when given. */
  credentialVersion?: number;
  from: readonly AccountStatus[];
  to: AccountStatus;
  reason: string;
  detail?: string | null;
  xError?: string | null;
  actor?: Actor;
  /** The change's time, when the caller records a notification of its own for it (one incident, one createdAt). */
  at?: Date;
};

const CHUNK = 500;

/**
 * Moves every account of one X app (in `from`) to `to`, inside the caller's transaction, with an
 * event and a notification per account. Returns how many were changed; callers that showed a
 * person a number compare it and roll back when it differs.
 */
export async function transitionCredentialAccounts(tx: Tx, input: BulkInput): Promise<number> {
  const where = {
    workspaceId: input.workspaceId,
    credentialId: input.credentialId,
    status: { in: [...input.from] },
    ...(input.credentialVersion !== undefined ? { credentialVersion: input.credentialVersion } : {}),
  };
  const accounts = await tx.connectedAccount.findMany({
    where,
    select: { id: true, brandId: true, xUserId: true, name: true, username: true, status: true, credentialId: true },
    orderBy: { id: "asc" },
  });
  if (accounts.length === 0) return 0;
  const brandNames = new Map<string, string>();
  const brandIds = [...new Set(accounts.map((a) => a.brandId))];
  for (let i = 0; i < brandIds.length; i += CHUNK) {
    const brands = await tx.brand.findMany({ where: { workspaceId: input.workspaceId, id: { in: brandIds.slice(i, i + CHUNK) } }, select: { id: true, name: true } });
    for (const b of brands) brandNames.set(b.id, b.name);
  }
  const now = input.at ?? new Date();
  const actor = input.actor ?? null;
  for (let i = 0; i < accounts.length; i += CHUNK) {
    const rows = accounts.slice(i, i + CHUNK).map((a) => ({ ...a, brandName: brandNames.get(a.brandId) ?? "" }));
    await tx.connectionEvent.createMany({ data: rows.map((r) => eventRow(input.workspaceId, r, r.status as AccountStatus, input, actor, now)) });
    const notifications = rows.flatMap((r) => {
      const event = notificationFor(r.status as AccountStatus, input.to);
      return event ? [notificationRow(input.workspaceId, event, r, r.status as AccountStatus, input, now)] : [];
    });
    if (notifications.length) await tx.notification.createMany({ data: notifications });
  }
  const { count } = await tx.connectedAccount.updateMany({
    where,
    data: {
      status: input.to,
      statusReason: input.reason,
      statusDetail: input.detail ?? null,
      statusSince: now,
      ...(input.xError !== undefined ? { lastXError: input.xError, lastXErrorAt: input.xError ? now : null } : {}),
    },
  });
  return count;
}

/** A notification not tied to one account (X rejecting an app's credentials). */
export async function recordNotification(
  tx: Tx,
  input: { workspaceId: string; event: NotificationEvent; credentialId?: string | null; brandId?: string | null; data: Record<string, unknown>; at?: Date },
): Promise<string> {
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  const now = input.at ?? new Date();
  await tx.notification.createMany({
    data: [
      {
        id,
        workspaceId: input.workspaceId,
        event: input.event,
        credentialId: input.credentialId ?? null,
        brandId: input.brandId ?? null,
        payload: JSON.stringify({ type: input.event, timestamp: now.toISOString(), data: input.data }),
        createdAt: now,
      },
    ],
  });
  return id;
}

/** Which transitions people hear about. Connecting a new account is not news; its failures are. */
export function notificationFor(from: AccountStatus | null, to: AccountStatus): NotificationEvent | null {
  if (from === to) return null;
  if (to === "NEEDS_RECONNECT") return "account.needs_reconnect";
  if (to === "DEGRADED") return "account.degraded";
  if (to === "DISCONNECTED") return "account.disconnected";
  if (to === "ACTIVE" && from === "DEGRADED") return "account.recovered";
  if (to === "ACTIVE" && (from === "NEEDS_RECONNECT" || from === "DISCONNECTED")) return "account.reconnected";
  return null;
}

export type AccountRow = { id: string; brandId: string; brandName: string; xUserId: string; name: string; username: string; credentialId: string };
export type Change = { to: AccountStatus; reason?: string | null; detail?: string | null; xError?: string | null };

/**
 * The history entry and (when people should hear of it) the notification for a status change the
 * caller has just written in `tx`. For writers that set many columns at once (a reconnect storing
 * new tokens); everything else goes through transitionAccount.
 */
export async function recordStatusChange(
  tx: Tx,
  input: { workspaceId: string; account: AccountRow; from: AccountStatus | null; change: Change; actor: Actor; at: Date },
): Promise<void> {
  const { workspaceId, account, from, change, actor, at } = input;
  await tx.connectionEvent.createMany({ data: [eventRow(workspaceId, account, from, change, actor, at)] });
  const event = notificationFor(from, change.to);
  if (event) await tx.notification.createMany({ data: [notificationRow(workspaceId, event, account, from, change, at)] });
}

function eventRow(workspaceId: string, a: AccountRow, from: AccountStatus | null, change: Change, actor: Actor, at: Date) {
  return {
    id: `evt_${randomUUID().replace(/-/g, "")}`,
    workspaceId,
    brandId: a.brandId,
    accountId: a.id,
    fromStatus: from,
    toStatus: change.to,
    reason: change.reason ?? null,
    detail: change.detail ?? null,
    xError: change.xError ?? null,
    actorId: actor?.id ?? null,
    actorName: actor?.name ?? "Keyport",
    createdAt: at,
  };
}

/**
 * The webhook/email payload (Standard Webhooks shape: type, timestamp, data). Ids, names, status,
 * reason, X's error and links only — never a token or a secret.
 */
function notificationRow(workspaceId: string, event: NotificationEvent, a: AccountRow, from: AccountStatus | null, change: Change, at: Date) {
  const base = env.KEYPORT_PUBLIC_URL;
  const data = {
    account: { id: a.id, xUserId: a.xUserId, username: a.username, name: a.name },
    brand: { id: a.brandId, name: a.brandName },
    status: change.to,
    previousStatus: from,
    reason: change.reason ?? null,
    reasonText: change.reason ? reconnectReasonLabel(change.reason) : null,
    detail: change.detail ?? null,
    xError: change.xError ?? null,
    since: at.toISOString(),
    links: {
      brand: `${base}/brands/${encodeURIComponent(a.brandId)}`,
      connections: `${base}/admin/connections`,
    },
  };
  return {
    id: `msg_${randomUUID().replace(/-/g, "")}`,
    workspaceId,
    event,
    accountId: a.id,
    brandId: a.brandId,
    credentialId: a.credentialId,
    payload: JSON.stringify({ type: event, timestamp: at.toISOString(), data }),
    createdAt: at,
  };
}
