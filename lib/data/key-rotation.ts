// Re-seals every sealed column under the current key, online: batches by id, and each value is
// swapped only if it is still the one that was read (compare-and-set), so a token refreshed or a
// secret replaced meanwhile is never overwritten with older data. Used by `npm run keys:rotate`,
// which runs outside Next, hence no "server-only" here.
import type { Db } from "../db";
import { SEALED } from "../crypto/app-ring";
import type { KeyRing } from "../crypto/keyring";
import { reseal, sealedKeyId } from "../crypto/seal";

type Row = Record<string, unknown> & { id: string };
type Delegate = {
  findMany(args: unknown): Promise<Row[]>;
  updateMany(args: unknown): Promise<{ count: number }>;
};

const TABLES = [
  { table: "XCredential", model: "xCredential", hasUpdatedAt: true },
  { table: "ConnectedAccount", model: "connectedAccount", hasUpdatedAt: true },
  { table: "ConnectAttempt", model: "connectAttempt", hasUpdatedAt: false },
] as const;

export type RotationCounts = { scanned: number; resealed: number; current: number; changedMeanwhile: number; failed: number };
export type RotationReport = Record<string, RotationCounts>;

export async function resealAll(
  db: Db,
  ring: KeyRing,
  options: { batchSize?: number; onBatch?: (table: string, counts: RotationCounts) => void } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 200;
  const report: RotationReport = {};
  for (const { table, model, hasUpdatedAt } of TABLES) {
    const fields = Object.values(SEALED).filter((c) => c.table === table).map((c) => c.field);
    const delegate = (db as unknown as Record<string, Delegate>)[model]!;
    const counts: RotationCounts = { scanned: 0, resealed: 0, current: 0, changedMeanwhile: 0, failed: 0 };
    report[table] = counts;
    let cursor: string | undefined;
    for (;;) {
      const select = Object.fromEntries([["id", true], ...fields.map((f) => [f, true]), ...(hasUpdatedAt ? [["updatedAt", true]] : [])]);
      const rows = await delegate.findMany({
        select,
        orderBy: { id: "asc" },
        take: batchSize,
        ...(cursor ? { where: { id: { gt: cursor } } } : {}),
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        for (const field of fields) {
          const value = row[field];
          if (typeof value !== "string") continue;
          counts.scanned++;
          if (sealedKeyId(value) === ring.current.id) {
            counts.current++;
            continue;
          }
          let renewed: string;
          try {
            renewed = reseal(value, { table, rowId: row.id, field }, ring);
          } catch {
            counts.failed++;
            continue;
          }
          const { count } = await delegate.updateMany({
            where: { id: row.id, [field]: value },
            // Rotation is not an edit: keep the row's "last changed" time.
            data: { [field]: renewed, ...(hasUpdatedAt ? { updatedAt: row.updatedAt } : {}) },
          });
          if (count === 1) counts.resealed++;
          else counts.changedMeanwhile++;
        }
      }
      cursor = rows[rows.length - 1]!.id;
      options.onBatch?.(table, counts);
    }
  }
  return report;
}
