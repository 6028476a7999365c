// Where a workspace is in its first run (X app → brand → account), for the "next step" offered
// once credentials are saved.
import "server-only";
import { db } from "../db";

export type NextStep = { kind: "create-brand" } | { kind: "connect-account"; brandId: string; brandName: string } | null;

export async function nextSetupStep(workspaceId: string): Promise<NextStep> {
  const [brand, accounts] = await Promise.all([
    db.brand.findFirst({ where: { workspaceId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } }),
    db.connectedAccount.count({ where: { workspaceId, status: { not: "DISCONNECTED" } } }),
  ]);
  if (!brand) return { kind: "create-brand" };
  if (accounts === 0) return { kind: "connect-account", brandId: brand.id, brandName: brand.name };
  return null;
}
