"use server";
// Bulk actions on /admin/connections (owners and admins): reconnect links, queued checks and
// disconnects for ticked accounts or for every account matching a filter (at most BULK_LIMIT).
import { revalidatePath } from "next/cache";
import { disconnectAccount, type DisconnectResult } from "../connections/disconnect";
import {
  checkProgress,
  createReconnectLinks,
  recordBulkDisconnect,
  requestChecks,
  resolveSelection,
  type CheckProgress,
  type ReconnectLinkRow,
  type SkippedRow,
} from "../data/admin-connections";
import { requireRole } from "../session";
import {
  BULK_LIMIT,
  bulkReconnectLinksSchema,
  bulkSelectionInputSchema,
  checkProgressSchema,
  type BulkReconnectLinksInput,
  type BulkSelectionInput,
} from "../validations/admin-connections";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function createReconnectLinksAction(input: BulkReconnectLinksInput): Promise<ActionResult<{ links: ReconnectLinkRow[]; skipped: SkippedRow[] }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = bulkReconnectLinksSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const selected = await resolveSelection(user.workspaceId, parsed.data.selection);
    if (selected.status !== "ok") return refuse(selected);
    const result = await createReconnectLinks({ workspaceId: user.workspaceId, actor: { id: user.id, name: user.name }, accountIds: selected.ids, expiresInHours: parsed.data.expiresInHours });
    revalidatePath("/brands/[brandId]", "page");
    return ok(result);
  });
}

export async function requestChecksAction(input: BulkSelectionInput): Promise<ActionResult<{ queued: string[]; skipped: number }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = bulkSelectionInputSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const selected = await resolveSelection(user.workspaceId, parsed.data.selection);
    if (selected.status !== "ok") return refuse(selected);
    const result = await requestChecks({ workspaceId: user.workspaceId, actor: { id: user.id, name: user.name }, accountIds: selected.ids });
    revalidatePath("/admin/connections");
    return ok(result);
  });
}

export async function checkProgressAction(input: { ids: string[] }): Promise<ActionResult<CheckProgress>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = checkProgressSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const progress = await checkProgress(user.workspaceId, parsed.data.ids);
    if (progress.pending + progress.done === 0) return fail("None of these accounts are in this workspace.");
    return ok(progress);
  });
}

export type BulkDisconnectSummary = { disconnected: number; notRevokedAtX: number; failed: { username: string | null; why: string }[] };

export async function disconnectAccountsAction(input: BulkSelectionInput): Promise<ActionResult<BulkDisconnectSummary>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = bulkSelectionInputSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const selected = await resolveSelection(user.workspaceId, parsed.data.selection);
    if (selected.status !== "ok") return refuse(selected);
    const actor = { id: user.id, name: user.name };
    const results = await mapLimited(selected.ids, DISCONNECT_CONCURRENCY, (accountId) => disconnectAccount({ workspaceId: user.workspaceId, accountId, actor }));
    const done = results.filter((r): r is Extract<DisconnectResult, { status: "disconnected" }> => r.status === "disconnected");
    const failed = results.flatMap((r) => (r.status === "busy" ? [{ username: null, why: "The account was busy (a token refresh was running); try again." }] : []));
    const notRevokedAtX = done.filter((r) => !r.revokedAtX).length;
    if (done.length) await recordBulkDisconnect({ workspaceId: user.workspaceId, actor, disconnected: done.map((d) => d.username), localOnly: notRevokedAtX, failed: failed.length });
    revalidatePath("/admin/connections");
    revalidatePath("/brands/[brandId]", "page");
    return ok({ disconnected: done.length, notRevokedAtX, failed });
  });
}

// Each disconnect makes up to two calls to X; a few at once keeps a large batch quick without
// spending the app's rate limit in one burst.
const DISCONNECT_CONCURRENCY = 4;

function refuse(selected: { status: "too-many"; count: number } | { status: "empty" }) {
  if (selected.status === "empty") return fail("No accounts match. Nothing was changed.");
  return fail(
    `${selected.count.toLocaleString("en")} accounts match this filter; a bulk action takes at most ${BULK_LIMIT.toLocaleString("en")} at a time. Narrow the filter (by brand, reason or app) and repeat. Nothing was changed.`,
  );
}

async function mapLimited<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]!);
      }
    }),
  );
  return out;
}
