// Publish attempts (PostAttempt): claimed before X is called, so an Idempotency-Key posts at most
// once, however many retries arrive and however they race. Workspace-scoped throughout.
import "server-only";
import { randomUUID } from "node:crypto";
import { openColumn, SEALED } from "../crypto/app-ring";
import { db, isUniqueViolation } from "../db";

export type AttemptState = "PENDING" | "PUBLISHED" | "FAILED" | "UNKNOWN";

export type AttemptRow = {
  id: string;
  accountId: string;
  brandId: string;
  credentialId: string | null;
  idempotencyKey: string | null;
  requestHash: string;
  text: string;
  replyToPostId: string | null;
  quotePostId: string | null;
  costClass: string;
  state: AttemptState;
  claimedUntil: Date | null;
  username: string;
  xPostId: string | null;
  errorCode: string | null;
  errorDetail: string | null;
  publishedAt: Date | null;
  createdAt: Date;
};

const SELECT = {
  id: true,
  accountId: true,
  brandId: true,
  credentialId: true,
  idempotencyKey: true,
  requestHash: true,
  text: true,
  replyToPostId: true,
  quotePostId: true,
  costClass: true,
  state: true,
  claimedUntil: true,
  username: true,
  xPostId: true,
  errorCode: true,
  errorDetail: true,
  publishedAt: true,
  createdAt: true,
} as const;

/** The account as publishing needs it; null when it is not in this workspace. */
export async function accountForPosting(workspaceId: string, accountId: string) {
  return db.connectedAccount.findFirst({
    where: { id: accountId, workspaceId },
    select: { id: true, brandId: true, username: true, status: true, statusReason: true, credentialId: true, grantedScopes: true, tokenVersion: true },
  });
}

/**
 * The token version whose access token is `accessToken` (what X just refused), so the retry can
 * tell getValidAccessToken exactly which pair not to hand out again. Null when the stored pair
 * changed meanwhile (someone refreshed or reconnected): then the stored one is simply newer.
 */
export async function tokenVersionHolding(workspaceId: string, accountId: string, accessToken: string): Promise<number | null> {
  const row = await db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { id: true, tokenVersion: true, accessTokenSealed: true } });
  if (!row?.accessTokenSealed) return null;
  try {
    return openColumn(SEALED.accessToken, row.id, row.accessTokenSealed) === accessToken ? row.tokenVersion : null;
  } catch {
    return null;
  }
}

export type NewAttempt = Omit<AttemptRow, "id" | "state" | "xPostId" | "errorCode" | "errorDetail" | "publishedAt" | "createdAt"> & {
  workspaceId: string;
  actorKind: string;
  actorId: string;
  actorName: string;
};

/**
 * Claims the request: a new PENDING row. With an Idempotency-Key that another request already
 * holds, answers that request's row instead (the unique index decides between racers).
 */
export async function claimAttempt(input: NewAttempt): Promise<{ claimed: true; attempt: AttemptRow } | { claimed: false; existing: AttemptRow }> {
  try {
    const attempt = await db.postAttempt.create({ data: { id: `pst_${randomUUID().replace(/-/g, "")}`, ...input, state: "PENDING" }, select: SELECT });
    return { claimed: true, attempt: attempt as AttemptRow };
  } catch (error) {
    if (!isUniqueViolation(error) || !input.idempotencyKey) throw error;
    const existing = await findByKey(input.workspaceId, input.idempotencyKey);
    if (!existing) throw error;
    return { claimed: false, existing };
  }
}

export async function findByKey(workspaceId: string, idempotencyKey: string): Promise<AttemptRow | null> {
  const row = await db.postAttempt.findFirst({ where: { workspaceId, idempotencyKey }, select: SELECT });
  return row as AttemptRow | null;
}

/** A retry takes over an attempt that failed without posting (compare-and-set on its state). */
export async function reclaimFailed(workspaceId: string, id: string, claimedUntil: Date): Promise<boolean> {
  const { count } = await db.postAttempt.updateMany({
    where: { id, workspaceId, state: "FAILED" },
    data: { state: "PENDING", claimedUntil, errorCode: null, errorDetail: null },
  });
  return count === 1;
}

/** A PENDING claim whose holder died: its request may have reached X, so its outcome is unknown. */
export async function expireStaleClaim(workspaceId: string, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.postAttempt.updateMany({
    where: { id, workspaceId, state: "PENDING", claimedUntil: { lt: now } },
    data: { state: "UNKNOWN", errorCode: "outcome_unknown", errorDetail: "The request that held this key stopped before X's answer was stored." },
  });
  return count === 1;
}

export async function finishAttempt(
  workspaceId: string,
  id: string,
  outcome:
    | { state: "PUBLISHED"; xPostId: string; credentialId: string | null }
    | { state: "FAILED" | "UNKNOWN"; errorCode: string; errorDetail: string; credentialId?: string | null },
): Promise<AttemptRow | null> {
  const now = new Date();
  const data =
    outcome.state === "PUBLISHED"
      ? { state: "PUBLISHED", xPostId: outcome.xPostId, publishedAt: now, claimedUntil: null, credentialId: outcome.credentialId }
      : { state: outcome.state, errorCode: outcome.errorCode, errorDetail: outcome.errorDetail, claimedUntil: null, ...(outcome.credentialId ? { credentialId: outcome.credentialId } : {}) };
  const { count } = await db.postAttempt.updateMany({ where: { id, workspaceId, state: "PENDING" }, data });
  if (count !== 1) return null;
  return (await db.postAttempt.findFirst({ where: { id, workspaceId }, select: SELECT })) as AttemptRow | null;
}

export async function getAttempt(workspaceId: string, id: string): Promise<AttemptRow | null> {
  return (await db.postAttempt.findFirst({ where: { id, workspaceId }, select: SELECT })) as AttemptRow | null;
}

/** Published posts, newest first, keyset-paged on (publishedAt, id). */
export async function listPublished(
  workspaceId: string,
  options: { accountId?: string | undefined; after?: { publishedAt: Date; id: string } | null; limit: number },
): Promise<{ items: AttemptRow[]; more: boolean }> {
  const after = options.after;
  const rows = await db.postAttempt.findMany({
    where: {
      workspaceId,
      state: "PUBLISHED",
      ...(options.accountId ? { accountId: options.accountId } : {}),
      ...(after ? { OR: [{ publishedAt: { lt: after.publishedAt } }, { publishedAt: after.publishedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: SELECT,
  });
  return { items: rows.slice(0, options.limit) as AttemptRow[], more: rows.length > options.limit };
}

export async function accountExists(workspaceId: string, accountId: string): Promise<boolean> {
  return (await db.connectedAccount.count({ where: { id: accountId, workspaceId } })) === 1;
}

/** The brand's accounts a person may post as from the composer: ACTIVE ones only. */
export async function activeAccountsOfBrand(workspaceId: string, brandId: string) {
  return db.connectedAccount.findMany({
    where: { workspaceId, brandId, status: "ACTIVE" },
    select: { id: true, username: true, name: true },
    orderBy: { username: "asc" },
  });
}

export async function getAccountBrand(workspaceId: string, accountId: string) {
  return db.connectedAccount.findFirst({ where: { id: accountId, workspaceId }, select: { id: true, brandId: true, username: true, status: true } });
}
