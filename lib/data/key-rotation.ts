// Key rotation (`npm run keys:rotate`): re-seal every sealed column under the current key, online,
// then prove the old keys are no longer needed. Used outside Next, hence no "server-only" here.
//
// The swap of a row is a compare-and-set on everything that could have changed since it was read:
// its sealed values and its updatedAt. Rotation is not an edit, so the row keeps the updatedAt it
// had; a row changed meanwhile (a refresh, an edit) is read again and retried, never overwritten
// with older data. Other writers compare what a value *is* (ConnectedAccount.tokenVersion,
// XCredential.version), never its ciphertext, so a rotation never makes their saves miss.
//
// "Older keys may now be removed" is said only after a second pass has opened every sealed value
// with the current key alone: a value some instance still sealed under an old key, or one marked
// with the current key id that the current key's bytes cannot open, keeps the old keys needed.
import type { Db } from "../db";
import { SEALED } from "../crypto/app-ring";
import type { KeyRing } from "../crypto/keyring";
import { open, seal, sealedKeyId } from "../crypto/seal";

type Row = Record<string, unknown> & { id: string };
type Delegate = {
  findMany(args: unknown): Promise<Row[]>;
  findUnique(args: unknown): Promise<Row | null>;
  updateMany(args: unknown): Promise<{ count: number }>;
};

const TABLES = [
  { table: "XCredential", model: "xCredential", hasUpdatedAt: true },
  { table: "ConnectedAccount", model: "connectedAccount", hasUpdatedAt: true },
  { table: "ConnectAttempt", model: "connectAttempt", hasUpdatedAt: false },
  { table: "WebhookEndpoint", model: "webhookEndpoint", hasUpdatedAt: true },
] as const;

/** Attempts per row when other writers keep changing it. */
const ATTEMPTS = 8;

export type RotationCounts = {
  /** Sealed values seen. */
  scanned: number;
  /** Values re-sealed under the current key. */
  resealed: number;
  /** Values already under the current key (and opened by it). */
  current: number;
  /** Rows that kept changing under us; their values stay as they are (checked by verifyRing). */
  changedMeanwhile: number;
  /** Values no key in the ring opens, or marked with the current key id that it cannot open. */
  failed: number;
};
export type RotationReport = Record<string, RotationCounts>;

export async function resealAll(
  db: Db,
  ring: KeyRing,
  options: { batchSize?: number; onBatch?: (table: string, counts: RotationCounts) => void } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 200;
  const report: RotationReport = {};
  for (const spec of TABLES) {
    const { table, model } = spec;
    const fields = fieldsOf(table);
    const delegate = (db as unknown as Record<string, Delegate>)[model]!;
    const counts: RotationCounts = { scanned: 0, resealed: 0, current: 0, changedMeanwhile: 0, failed: 0 };
    report[table] = counts;
    const select = Object.fromEntries([["id", true], ...fields.map((f) => [f, true]), ...(spec.hasUpdatedAt ? [["updatedAt", true]] : [])]);
    let cursor: string | undefined;
    for (;;) {
      const rows = await delegate.findMany({ select, orderBy: { id: "asc" }, take: batchSize, ...(cursor ? { where: { id: { gt: cursor } } } : {}) });
      if (rows.length === 0) break;
      for (const row of rows) await resealRow(delegate, spec, fields, select, row, ring, counts);
      cursor = rows[rows.length - 1]!.id;
      options.onBatch?.(table, counts);
    }
  }
  return report;
}

async function resealRow(
  delegate: Delegate,
  spec: (typeof TABLES)[number],
  fields: string[],
  select: Record<string, boolean>,
  first: Row,
  ring: KeyRing,
  counts: RotationCounts,
) {
  const currentOnly = onlyCurrent(ring);
  let row: Row | null = first;
  for (let attempt = 0; row && attempt < ATTEMPTS; attempt++) {
    const renewed: Record<string, string> = {};
    let current = 0;
    let failed = 0;
    for (const field of fields) {
      const value = row[field];
      if (typeof value !== "string") continue;
      const context = { table: spec.table, rowId: row.id, field };
      if (sealedKeyId(value) === ring.current.id) {
        // Marked with the current key id: prove the current key's bytes really open it.
        if (opens(value, context, currentOnly)) current++;
        else failed++;
        continue;
      }
      try {
        renewed[field] = seal(open(value, context, ring), context, ring);
      } catch {
        failed++;
      }
    }
    const scanned = current + failed + Object.keys(renewed).length;
    if (Object.keys(renewed).length === 0) return tally(counts, { scanned, current, failed });
    const unchanged = Object.fromEntries(fields.map((f) => [f, row![f] ?? null]));
    const { count } = await delegate.updateMany({
      where: { id: row.id, ...unchanged, ...(spec.hasUpdatedAt ? { updatedAt: row.updatedAt } : {}) },
      data: { ...renewed, ...(spec.hasUpdatedAt ? { updatedAt: row.updatedAt } : {}) },
    });
    if (count === 1) return tally(counts, { scanned, current, failed, resealed: Object.keys(renewed).length });
    // Someone changed the row after we read it: read it again and redo it with what it holds now.
    row = await delegate.findUnique({ where: { id: row.id }, select });
  }
  if (row) counts.changedMeanwhile++;
}

export type VerifyCounts = { checked: number; underOlderKey: number; unopenable: number };
export type VerifyReport = Record<string, VerifyCounts>;

/** Opens every sealed value with the ring's current key alone: what the ring would be without the old keys. */
export async function verifyRing(db: Db, ring: KeyRing, options: { batchSize?: number } = {}): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 500;
  const currentOnly = onlyCurrent(ring);
  const report: VerifyReport = {};
  for (const { table, model } of TABLES) {
    const fields = fieldsOf(table);
    const delegate = (db as unknown as Record<string, Delegate>)[model]!;
    const counts: VerifyCounts = { checked: 0, underOlderKey: 0, unopenable: 0 };
    report[table] = counts;
    const select = Object.fromEntries([["id", true], ...fields.map((f) => [f, true])]);
    let cursor: string | undefined;
    for (;;) {
      const rows = await delegate.findMany({ select, orderBy: { id: "asc" }, take: batchSize, ...(cursor ? { where: { id: { gt: cursor } } } : {}) });
      if (rows.length === 0) break;
      for (const row of rows) {
        for (const field of fields) {
          const value = row[field];
          if (typeof value !== "string") continue;
          counts.checked++;
          if (sealedKeyId(value) !== ring.current.id) counts.underOlderKey++;
          else if (!opens(value, { table, rowId: row.id, field }, currentOnly)) counts.unopenable++;
        }
      }
      cursor = rows[rows.length - 1]!.id;
    }
  }
  return report;
}

/** The whole command: re-seal, verify, and say plainly whether the old keys may go. True when they may. */
export async function rotateKeys(db: Db, ring: KeyRing, log: (line: string) => void, options: { batchSize?: number } = {}): Promise<boolean> {
  log(`Re-sealing under key "${ring.current.id}" (ring: ${[...ring.keys.keys()].join(", ")}), batches of ${options.batchSize ?? 200}…`);
  const report = await resealAll(db, ring, options);
  for (const [table, c] of Object.entries(report)) {
    log(
      `${table}: ${c.scanned} sealed values, ${c.resealed} re-sealed, ${c.current} already current, ` +
        `${c.changedMeanwhile} rows kept changing (left for the check below), ${c.failed} could not be opened`,
    );
  }
  log(`Checking that every value opens with key "${ring.current.id}" alone…`);
  const verified = await verifyRing(db, ring, options);
  let older = 0;
  let unopenable = 0;
  let checked = 0;
  for (const [table, c] of Object.entries(verified)) {
    older += c.underOlderKey;
    unopenable += c.unopenable;
    checked += c.checked;
    if (c.underOlderKey || c.unopenable) log(`${table}: ${c.underOlderKey} still sealed under an older key, ${c.unopenable} that key "${ring.current.id}" cannot open`);
  }
  const failed = Object.values(report).reduce((n, c) => n + c.failed, 0);
  if (older === 0 && unopenable === 0 && failed === 0) {
    log(`Done. All ${checked} sealed values open with key "${ring.current.id}" alone; older keys may now be removed from the ring.`);
    return true;
  }
  if (unopenable || failed) {
    log(
      `Not done: ${unopenable + failed} values cannot be opened as the ring stands. If key "${ring.current.id}" is new, check its bytes; ` +
        "otherwise a value was damaged. Keep every old key in the ring.",
    );
  }
  if (older) {
    log(
      `Not done: ${older} values are still sealed under older keys — an instance still running the old ring wrote them, or they changed during the run. ` +
        "Restart every instance with the new ring, then run this again. Keep the old keys until it says done.",
    );
  }
  return false;
}

function fieldsOf(table: string): string[] {
  return Object.values(SEALED).filter((c) => c.table === table).map((c) => c.field);
}

function onlyCurrent(ring: KeyRing): KeyRing {
  return { current: ring.current, keys: new Map([[ring.current.id, ring.current.key]]) };
}

function opens(value: string, context: { table: string; rowId: string; field: string }, ring: KeyRing): boolean {
  try {
    open(value, context, ring);
    return true;
  } catch {
    return false;
  }
}

function tally(counts: RotationCounts, add: Partial<RotationCounts>) {
  for (const [k, v] of Object.entries(add) as [keyof RotationCounts, number][]) counts[k] += v;
}
