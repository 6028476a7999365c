// The audit log: who changed or tested credentials and connections. Entries carry previews and
// outcomes only; callers must never pass a secret into `summary`.
import "server-only";
import { db, type Db } from "../db";
import type { AUDIT_ACTION_LABELS } from "../validations/audit";

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type AuditInput = {
  workspaceId: string;
  actor: { id: string; name: string } | null;
  brand?: { id: string; name: string } | null;
  action: AuditAction;
  clientIdPreview?: string | null;
  summary: string;
  outcome?: string | null;
};

export function recordAudit(input: AuditInput, tx: Tx | Db = db) {
  return tx.auditEvent.create({
    data: {
      workspaceId: input.workspaceId,
      actorId: input.actor?.id ?? null,
      actorName: input.actor?.name ?? "Keyport",
      brandId: input.brand?.id ?? null,
      brandName: input.brand?.name ?? null,
      action: input.action,
      clientIdPreview: input.clientIdPreview ?? null,
      summary: input.summary.slice(0, 1000),
      outcome: input.outcome ?? null,
    },
  });
}

export const AUDIT_PER_PAGE = 50;

export async function listAudit(workspaceId: string, filter: { action?: string; brandId?: string; q?: string; page: number }) {
  const where = {
    workspaceId,
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.brandId ? { brandId: filter.brandId } : {}),
    ...(filter.q ? { OR: [{ actorName: { contains: filter.q } }, { brandName: { contains: filter.q } }, { summary: { contains: filter.q } }] } : {}),
  };
  const [total, items] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filter.page - 1) * AUDIT_PER_PAGE,
      take: AUDIT_PER_PAGE,
      select: { id: true, createdAt: true, actorName: true, brandName: true, action: true, clientIdPreview: true, summary: true, outcome: true },
    }),
  ]);
  return { items, total, page: filter.page, pageCount: Math.max(1, Math.ceil(total / AUDIT_PER_PAGE)) };
}
