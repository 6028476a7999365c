// X app credentials per workspace (default) or brand (override). Reads return DTOs without any
// sealed field; only openCredential() unseals, for server code about to call X.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { cache } from "react";
import { openColumn, SEALED, sealColumn } from "../crypto/app-ring";
import { db, isUniqueViolation } from "../db";
import { isId } from "../validations/brands";
import type { ReconnectReason } from "../reconnect-reasons";
import { inspectClientId, type ClientKind } from "../x/client-id";
import { recordAudit } from "./audit";
import { recordNotification, transitionCredentialAccounts, type AccountStatus } from "../connections/status";
import { env } from "../env";

export type CredentialScope = { workspaceId: string; brandId?: string | undefined };
export type Actor = { id: string; name: string };
export type TestStatus = "valid" | "invalid" | "inconclusive";

/** Why X refused an app, as stored on XCredential.rejectedReason (see markCredentialRejected). */
export type CredentialRejected = { at: Date; reason: CredentialRejection; xError: string | null };

export type CredentialSummary = {
  id: string;
  /** "instance": the operator's app from KEYPORT_X_CLIENT_ID/SECRET, the lowest tier; never editable here. */
  scope: "workspace" | "brand" | "instance";
  clientIdPreview: string;
  clientKind: ClientKind;
  version: number;
  createdByName: string;
  updatedByName: string;
  createdAt: Date;
  updatedAt: Date;
  lastTest: { status: TestStatus; message: string; at: Date } | null;
  /** Set while X rejects these credentials (cleared when they are replaced): no connection starts through them. */
  rejected: CredentialRejected | null;
};

/**
 * Accounts that depend on a credential: `total` of them, of which `needReconnect` already need
 * reconnecting because X rejected these very credentials (the rest still work).
 */
export type Dependents = { total: number; needReconnect: number; brands: { brandId: string; brandName: string; count: number }[]; otherBrands: number };
export const NO_DEPENDENTS: Dependents = { total: 0, needReconnect: 0, brands: [], otherBrands: 0 };

const scopeKey = (brandId?: string) => (brandId ? `brand:${brandId}` : "workspace");
/** The scope key of the per-workspace row that stands for the instance app (see syncInstanceCredential). */
export const INSTANCE_SCOPE_KEY = "instance";

const SUMMARY_SELECT = {
  id: true,
  brandId: true,
  clientIdPreview: true,
  clientKind: true,
  version: true,
  createdById: true,
  updatedById: true,
  createdAt: true,
  updatedAt: true,
  lastTestStatus: true,
  lastTestMessage: true,
  lastTestedAt: true,
  scopeKey: true,
  rejectedAt: true,
  rejectedReason: true,
  rejectedXError: true,
} as const;

/** Null also when the brand does not belong to the workspace. */
export async function getCredentialSummary({ workspaceId, brandId }: CredentialScope): Promise<CredentialSummary | null> {
  const row = await db.xCredential.findUnique({
    where: { workspaceId_scopeKey: { workspaceId, scopeKey: scopeKey(brandId) } },
    select: SUMMARY_SELECT,
  });
  return row ? summarize(row) : null;
}

type SummaryRow = {
  id: string;
  brandId: string | null;
  scopeKey: string;
  clientIdPreview: string;
  clientKind: string;
  version: number;
  createdById: string;
  updatedById: string;
  createdAt: Date;
  updatedAt: Date;
  lastTestStatus: string | null;
  lastTestMessage: string | null;
  lastTestedAt: Date | null;
  rejectedAt: Date | null;
  rejectedReason: string | null;
  rejectedXError: string | null;
};

async function summarize(row: SummaryRow): Promise<CredentialSummary> {
  const instance = row.scopeKey === INSTANCE_SCOPE_KEY;
  const names = instance ? new Map<string, string>() : await userNames([row.createdById, row.updatedById]);
  return {
    id: row.id,
    scope: instance ? "instance" : row.brandId ? "brand" : "workspace",
    clientIdPreview: row.clientIdPreview,
    clientKind: row.clientKind as ClientKind,
    version: row.version,
    createdByName: instance ? INSTANCE_ACTOR : (names.get(row.createdById) ?? "A former member"),
    updatedByName: instance ? INSTANCE_ACTOR : (names.get(row.updatedById) ?? "A former member"),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastTest:
      row.lastTestStatus && row.lastTestedAt
        ? { status: row.lastTestStatus as TestStatus, message: row.lastTestMessage ?? "", at: row.lastTestedAt }
        : null,
    rejected: row.rejectedAt ? { at: row.rejectedAt, reason: (row.rejectedReason ?? "credentials-rejected") as CredentialRejection, xError: row.rejectedXError } : null,
  };
}

export type EffectiveCredential =
  | { source: "brand" | "workspace" | "instance"; credential: CredentialSummary; override: CredentialSummary | null; fallback: CredentialSummary | null; instance: CredentialSummary | null }
  | { source: null; credential: null; override: null; fallback: null; instance: null };

/** Which app connects accounts for a brand: its override, else the workspace default, else the instance app. */
// Cached per request: the brand page's X-app and accounts sections both ask.
export const effectiveCredential = cache(async (workspaceId: string, brandId: string): Promise<EffectiveCredential> => {
  const [override, fallback] = await Promise.all([getCredentialSummary({ workspaceId, brandId }), getCredentialSummary({ workspaceId })]);
  // Only looked up when it applies: it may write the workspace's instance row (first use, or the env changed).
  const instance = override || fallback ? null : await instanceCredentialSummary(workspaceId);
  if (override) return { source: "brand", credential: override, override, fallback, instance };
  if (fallback) return { source: "workspace", credential: fallback, override: null, fallback, instance };
  if (instance) return { source: "instance", credential: instance, override: null, fallback: null, instance };
  return { source: null, credential: null, override: null, fallback: null, instance: null };
});

/** The plaintext Client ID and Secret, for a call to X that is about to happen. Never return them to a client. */
export async function openCredential(workspaceId: string, credentialId: string) {
  const row = await db.xCredential.findFirst({
    where: { id: credentialId, workspaceId },
    select: { id: true, version: true, scopeKey: true, clientIdSealed: true, clientSecretSealed: true },
  });
  if (!row) return null;
  if (row.scopeKey === INSTANCE_SCOPE_KEY) {
    // The environment is the truth for the instance app: gone from it, it is gone (the
    // account's refresh then reads "credentials removed"); changed, the row follows first.
    const app = instanceApp();
    const synced = app ? await syncInstanceCredential(workspaceId) : null;
    if (!app || !synced || synced.id !== row.id) return null;
    return { id: row.id, version: synced.version, clientId: app.clientId, clientSecret: app.clientSecret };
  }
  return {
    id: row.id,
    version: row.version,
    clientId: openColumn(SEALED.credentialClientId, row.id, row.clientIdSealed),
    clientSecret: openColumn(SEALED.credentialSecret, row.id, row.clientSecretSealed),
  };
}

/** Accounts whose tokens still work (DEGRADED ones too: X failing for a while is not their fault). */
const WORKING: readonly AccountStatus[] = ["ACTIVE", "DEGRADED"];

/** Brands listed by name in a dependents summary; the rest are counted ("and 9,980 more brands"). */
export const DEPENDENT_BRANDS_LISTED = 20;

/**
 * Connected accounts whose tokens came from this credential, by brand: those that still work, and
 * those that need reconnecting because X rejected this very version of it ("app-credentials").
 * Both lose their tokens' app when the credentials are replaced or removed.
 */
export async function dependentAccounts(workspaceId: string, credentialId: string): Promise<Dependents> {
  const version = (await db.xCredential.findFirst({ where: { id: credentialId, workspaceId }, select: { version: true } }))?.version;
  const where = dependentsWhere(workspaceId, credentialId, version);
  const [groups, needReconnect] = await Promise.all([
    db.connectedAccount.groupBy({ by: ["brandId"], where, _count: { _all: true } }),
    version === undefined ? 0 : db.connectedAccount.count({ where: rejectedDependentsWhere(workspaceId, credentialId, version) }),
  ]);
  if (groups.length === 0) return NO_DEPENDENTS;
  // Names only for the brands shown: a credential can span 10,000 brands, more than a query may bind.
  const top = groups.sort((a, b) => b._count._all - a._count._all).slice(0, DEPENDENT_BRANDS_LISTED);
  const brands = await db.brand.findMany({ where: { workspaceId, id: { in: top.map((g) => g.brandId) } }, select: { id: true, name: true } });
  const nameOf = new Map(brands.map((b) => [b.id, b.name]));
  return {
    total: groups.reduce((n, g) => n + g._count._all, 0),
    needReconnect,
    brands: top
      .map((g) => ({ brandId: g.brandId, brandName: nameOf.get(g.brandId) ?? "Deleted brand", count: g._count._all }))
      .sort((a, b) => b.count - a.count || a.brandName.localeCompare(b.brandName)),
    otherBrands: groups.length - top.length,
  };
}

function rejectedDependentsWhere(workspaceId: string, credentialId: string, version: number) {
  return { workspaceId, credentialId, credentialVersion: version, status: "NEEDS_RECONNECT", statusReason: "app-credentials" };
}

function dependentsWhere(workspaceId: string, credentialId: string, version: number | undefined) {
  const working = { workspaceId, credentialId, status: { in: [...WORKING] } };
  return version === undefined ? working : { OR: [working, rejectedDependentsWhere(workspaceId, credentialId, version)] };
}

/** Null when nothing is saved for this scope (a first save needs no confirmation). */
export async function dependentsFor(scope: CredentialScope): Promise<Dependents | null> {
  const id = await credentialIdFor(scope);
  return id ? dependentAccounts(scope.workspaceId, id) : null;
}

export async function brandInWorkspace(workspaceId: string, brandId: string) {
  if (!isId(brandId)) return null;
  return db.brand.findFirst({ where: { id: brandId, workspaceId }, select: { id: true, name: true } });
}

export type SaveResult =
  | { status: "saved"; created: boolean; credentialId: string; version: number; accountsMarked: number }
  | { status: "confirm"; dependents: Dependents }
  | { status: "brand-not-found" };

/**
 * Creates or replaces credentials. Replacing asks the caller to confirm the number of dependent
 * accounts it was shown; if that number changed meanwhile, it asks again. In one transaction
 * the row gets its new sealed values and version, and exactly the accounts that depended on the
 * old version are marked for reconnection.
 */
export async function saveCredentials(input: CredentialScope & {
  actor: Actor;
  clientId: string;
  clientSecret: string;
  confirmAccountsMarked?: number | undefined;
  test: { status: TestStatus; message: string } | null;
}): Promise<SaveResult> {
  const { workspaceId, brandId, actor } = input;
  const brand = brandId ? await brandInWorkspace(workspaceId, brandId) : null;
  if (brandId && !brand) return { status: "brand-not-found" };
  const key = scopeKey(brandId);
  const existing = await db.xCredential.findUnique({
    where: { workspaceId_scopeKey: { workspaceId, scopeKey: key } },
    select: { id: true, version: true, clientIdSealed: true },
  });
  const clientKind = inspectClientId(input.clientId);
  const preview = input.clientId.slice(0, 6);
  const testFields = input.test
    ? { lastTestStatus: input.test.status, lastTestMessage: input.test.message, lastTestedAt: new Date() }
    : { lastTestStatus: null, lastTestMessage: null, lastTestedAt: null };

  if (!existing) {
    const id = randomUUID();
    // Two admins creating at once: the scope's unique key lets one in; the other hears so.
    await db.$transaction(async (tx) => {
      await tx.xCredential.create({
        data: {
          id,
          workspaceId,
          brandId: brandId ?? null,
          scopeKey: key,
          clientIdSealed: sealColumn(SEALED.credentialClientId, id, input.clientId),
          clientSecretSealed: sealColumn(SEALED.credentialSecret, id, input.clientSecret),
          clientIdPreview: preview,
          clientKind,
          createdById: actor.id,
          updatedById: actor.id,
          ...testFields,
        },
      });
      await recordAudit(
        { workspaceId, actor, brand, action: "credentials.created", clientIdPreview: preview, summary: `Saved ${brand ? "the brand's override" : "the workspace default"} X app (${clientKind}).`, outcome: input.test?.status ?? null },
        tx,
      );
    }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? new ConcurrentChangeError() : error;
    });
    return { status: "saved", created: true, credentialId: id, version: 1, accountsMarked: 0 };
  }

  const dependents = await dependentAccounts(workspaceId, existing.id);
  if (input.confirmAccountsMarked !== dependents.total) return { status: "confirm", dependents };
  const sameApp = openColumn(SEALED.credentialClientId, existing.id, existing.clientIdSealed) === input.clientId;
  const reason: ReconnectReason = sameApp ? "secret-rotated" : "app-replaced";
  const confirmed = dependents.total;
  const marked = await markInTransaction(workspaceId, existing.id, confirmed, async (tx) => {
    // Compare-and-set on version: two admins replacing at once cannot both win silently.
    const { count } = await tx.xCredential.updateMany({
      where: { id: existing.id, workspaceId, version: existing.version },
      data: {
        clientIdSealed: sealColumn(SEALED.credentialClientId, existing.id, input.clientId),
        clientSecretSealed: sealColumn(SEALED.credentialSecret, existing.id, input.clientSecret),
        clientIdPreview: preview,
        clientKind,
        version: { increment: 1 },
        updatedById: actor.id,
        // New credentials: whatever X said of the old ones no longer applies.
        rejectedAt: null,
        rejectedReason: null,
        rejectedXError: null,
        rateLimitedUntil: null,
        ...testFields,
      },
    });
    if (count !== 1) throw new ConcurrentChangeError();
    // Accounts X already broke with these credentials are dependents too (the person was shown
    // them); they keep their reason, and read "reconnect" from now on (lib/reconnect-reasons.ts).
    const alreadyBroken = await tx.connectedAccount.count({ where: rejectedDependentsWhere(workspaceId, existing.id, existing.version) });
    const accounts = await transitionCredentialAccounts(tx, { workspaceId, credentialId: existing.id, from: WORKING, to: "NEEDS_RECONNECT", reason, actor });
    if (accounts + alreadyBroken !== confirmed) throw new DependentsChangedError();
    await recordAudit(
      {
        workspaceId,
        actor,
        brand,
        action: "credentials.replaced",
        clientIdPreview: preview,
        summary: `${sameApp ? "Replaced the Client Secret" : "Replaced the X app (new Client ID)"}; ${accounts} connected account${accounts === 1 ? "" : "s"} marked to reconnect.`,
        outcome: input.test?.status ?? null,
      },
      tx,
    );
    return accounts;
  });
  if (marked.status === "confirm") return marked;
  return { status: "saved", created: false, credentialId: existing.id, version: existing.version + 1, accountsMarked: marked.accounts };
}

// Marking 100,000 accounts takes seconds on PostgreSQL (bench/README.md): well past Prisma's 5 s
// default for an interactive transaction. Rare, deliberate admin acts may take their time.
const BULK_MARK_TX = { timeout: 120_000, maxWait: 10_000 };

/**
 * Runs a replace or remove whose marking must match the number the person confirmed. The
 * count is compared inside the transaction, on the rows actually marked: an account connected
 * or disconnected after the number was shown rolls everything back and asks again.
 */
async function markInTransaction(
  workspaceId: string,
  credentialId: string,
  confirmed: number,
  run: (tx: Tx) => Promise<number>,
): Promise<{ status: "marked"; accounts: number } | { status: "confirm"; dependents: Dependents }> {
  try {
    const accounts = await db.$transaction(run, BULK_MARK_TX);
    return { status: "marked", accounts };
  } catch (error) {
    if (!(error instanceof DependentsChangedError)) throw error;
    return { status: "confirm", dependents: await dependentAccounts(workspaceId, credentialId) };
  }
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

class DependentsChangedError extends Error {
  override name = "DependentsChangedError";
}

export class ConcurrentChangeError extends Error {
  override name = "ConcurrentChangeError";
  constructor() {
    super("Someone else changed these credentials at the same time. Reload and try again.");
  }
}

export type RemoveResult = { status: "removed"; accountsMarked: number } | { status: "confirm"; dependents: Dependents } | { status: "not-found" };

export async function removeCredentials(input: CredentialScope & { actor: Actor; confirmAccountsMarked: number }): Promise<RemoveResult> {
  const { workspaceId, brandId, actor } = input;
  const brand = brandId ? await brandInWorkspace(workspaceId, brandId) : null;
  if (brandId && !brand) return { status: "not-found" };
  const existing = await db.xCredential.findUnique({
    where: { workspaceId_scopeKey: { workspaceId, scopeKey: scopeKey(brandId) } },
    select: { id: true, version: true, clientIdPreview: true },
  });
  if (!existing) return { status: "not-found" };
  const dependents = await dependentAccounts(workspaceId, existing.id);
  if (input.confirmAccountsMarked !== dependents.total) return { status: "confirm", dependents };
  const confirmed = dependents.total;
  const marked = await markInTransaction(workspaceId, existing.id, confirmed, async (tx) => {
    // Compare-and-set on version: credentials replaced since they were read are not removed
    // on the strength of a confirmation about the old ones.
    const { count } = await tx.xCredential.deleteMany({ where: { id: existing.id, workspaceId, version: existing.version } });
    if (count !== 1) throw new ConcurrentChangeError();
    const alreadyBroken = await tx.connectedAccount.count({ where: rejectedDependentsWhere(workspaceId, existing.id, existing.version) });
    const accounts = await transitionCredentialAccounts(tx, { workspaceId, credentialId: existing.id, from: WORKING, to: "NEEDS_RECONNECT", reason: "credentials-removed", actor });
    if (accounts + alreadyBroken !== confirmed) throw new DependentsChangedError();
    await recordAudit(
      {
        workspaceId,
        actor,
        brand,
        action: "credentials.removed",
        clientIdPreview: existing.clientIdPreview,
        summary: `Removed ${brand ? "the brand's override" : "the workspace default"} X app; ${accounts} connected account${accounts === 1 ? "" : "s"} marked to reconnect.`,
      },
      tx,
    );
    return accounts;
  });
  if (marked.status === "confirm") return marked;
  return { status: "removed", accountsMarked: marked.accounts };
}

/** Stores a test of the saved credentials, unless they were replaced while X was answering. */
export async function recordStoredTest(input: CredentialScope & { actor: Actor; credentialId: string; version: number; preview: string; brandName?: string | null; status: TestStatus; message: string }) {
  await db.$transaction(async (tx) => {
    await tx.xCredential.updateMany({
      where: { id: input.credentialId, workspaceId: input.workspaceId, version: input.version },
      data: { lastTestStatus: input.status, lastTestMessage: input.message, lastTestedAt: new Date() },
    });
    if (input.status === "valid") {
      // X accepts them after all: the rejection no longer holds (a not-enrolled mark is about the
      // app's Project, which this test cannot see, so it stays).
      await tx.xCredential.updateMany({
        where: { id: input.credentialId, workspaceId: input.workspaceId, version: input.version, rejectedReason: "credentials-rejected" },
        data: { rejectedAt: null, rejectedReason: null, rejectedXError: null },
      });
    }
    await recordAudit(
      {
        workspaceId: input.workspaceId,
        actor: input.actor,
        brand: input.brandId && input.brandName ? { id: input.brandId, name: input.brandName } : null,
        action: "credentials.tested",
        clientIdPreview: input.preview,
        summary: `Tested the saved credentials: ${input.message}`,
        outcome: input.status,
      },
      tx,
    );
  });
}

export async function getCredentialForTest(scope: CredentialScope) {
  const id = await credentialIdFor(scope);
  return id ? openCredential(scope.workspaceId, id) : null;
}

/** Who "saved" the instance app, as the dashboard names it. */
const INSTANCE_ACTOR = "the operator (environment)";
/** How every page names the instance app. */
export const INSTANCE_APP_LABEL = "Instance app (set by the operator)";

/** The operator's app from the environment (KEYPORT_X_CLIENT_ID / KEYPORT_X_CLIENT_SECRET), or null. */
export function instanceApp(): { clientId: string; clientSecret: string; preview: string; version: number } | null {
  const clientId = env.KEYPORT_X_CLIENT_ID;
  const clientSecret = env.KEYPORT_X_CLIENT_SECRET;
  if (!clientId || !clientSecret) return null;
  return { clientId, clientSecret, preview: clientId.slice(0, 6), version: instanceVersion(clientId) };
}

/**
 * The instance app's version is derived from its Client ID, not counted: every instance of
 * Keyport and every workspace computes the same number, a new Client ID (another app) changes it
 * — so tokens issued by the old app fail the usual credentialVersion checks and their accounts are
 * asked to reconnect — and a new secret for the same app keeps it: X decides whether the grants
 * survived a regenerated secret (contract §1), and a refresh finds out.
 */
export function instanceVersion(clientId: string): number {
  return (createHash("sha256").update(`keyport-instance-app:${clientId}`).digest().readUInt32BE(0) & 0x7fffffff) || 1;
}

/**
 * The workspace's row standing for the instance app, created on first use and brought in line
 * with the environment: a row (rather than a made-up id) lets everything that works on
 * credentials — connect attempts, the token refresh's version check, the callback's row lock,
 * rejection marks, usage, key rotation — work unchanged. The secret is stored sealed like any
 * other, but only the environment's is ever used. A changed secret clears a rejection (that is
 * the operator's fix); null when no instance app is configured.
 */
export async function syncInstanceCredential(workspaceId: string): Promise<{ id: string; version: number } | null> {
  const app = instanceApp();
  if (!app) return null;
  const where = { workspaceId_scopeKey: { workspaceId, scopeKey: INSTANCE_SCOPE_KEY } };
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await db.xCredential.findUnique({ where, select: { id: true, version: true, clientIdSealed: true, clientSecretSealed: true } });
    if (!row) {
      const id = randomUUID();
      try {
        await db.xCredential.create({
          data: {
            id,
            workspaceId,
            brandId: null,
            scopeKey: INSTANCE_SCOPE_KEY,
            clientIdSealed: sealColumn(SEALED.credentialClientId, id, app.clientId),
            clientSecretSealed: sealColumn(SEALED.credentialSecret, id, app.clientSecret),
            clientIdPreview: app.preview,
            clientKind: inspectClientId(app.clientId),
            version: app.version,
            createdById: INSTANCE_SCOPE_KEY,
            updatedById: INSTANCE_SCOPE_KEY,
          },
        });
        return { id, version: app.version };
      } catch (error) {
        if (isUniqueViolation(error)) continue; // another request created it: read theirs
        throw error;
      }
    }
    const sameId = row.version === app.version && openColumn(SEALED.credentialClientId, row.id, row.clientIdSealed) === app.clientId;
    const sameSecret = openColumn(SEALED.credentialSecret, row.id, row.clientSecretSealed) === app.clientSecret;
    if (sameId && sameSecret) return { id: row.id, version: row.version };
    // Compare-and-set on what we read; a key rotation re-sealing meanwhile only costs a retry.
    const { count } = await db.xCredential.updateMany({
      where: { id: row.id, workspaceId, version: row.version, clientSecretSealed: row.clientSecretSealed },
      data: {
        clientIdSealed: sealColumn(SEALED.credentialClientId, row.id, app.clientId),
        clientSecretSealed: sealColumn(SEALED.credentialSecret, row.id, app.clientSecret),
        clientIdPreview: app.preview,
        clientKind: inspectClientId(app.clientId),
        version: app.version,
        rejectedAt: null,
        rejectedReason: null,
        rejectedXError: null,
        rateLimitedUntil: null,
        lastTestStatus: null,
        lastTestMessage: null,
        lastTestedAt: null,
      },
    });
    if (count === 1) return { id: row.id, version: app.version };
  }
  throw new Error("Could not bring the instance X app's record in line with the environment under contention");
}

/** The instance app as the dashboard shows it (preview, rejection), or null when none is configured. */
export async function instanceCredentialSummary(workspaceId: string): Promise<CredentialSummary | null> {
  const synced = await syncInstanceCredential(workspaceId);
  if (!synced) return null;
  const row = await db.xCredential.findFirst({ where: { id: synced.id, workspaceId }, select: SUMMARY_SELECT });
  return row ? summarize(row) : null;
}

export type AppName = {
  /** "Brand override", "Workspace default", "Instance app (set by the operator)", or "An X app since removed". */
  label: string;
  scope: "brand" | "workspace" | "instance" | "removed";
  clientIdPreview: string | null;
  /** The account's tokens came from the credentials saved now (false: replaced since, or removed). */
  current: boolean;
  rejected: CredentialRejected | null;
};

/**
 * Names the app behind each of a workspace's credential ids (for lists of accounts: the admin
 * view, the brand page), including whether X rejects it now and the instance tier. Pass the
 * account's credentialVersion to learn whether its tokens came from the credentials saved now.
 */
export async function nameApps(workspaceId: string, refs: { credentialId: string; credentialVersion?: number }[]): Promise<(ref: { credentialId: string; credentialVersion?: number }) => AppName> {
  const ids = [...new Set(refs.map((r) => r.credentialId))];
  const rows = ids.length
    ? await db.xCredential.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, brandId: true, scopeKey: true, clientIdPreview: true, version: true, rejectedAt: true, rejectedReason: true, rejectedXError: true },
      })
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ({ credentialId, credentialVersion }) => {
    const row = byId.get(credentialId);
    if (!row || (row.scopeKey === INSTANCE_SCOPE_KEY && !instanceApp())) {
      return { label: "An X app since removed", scope: "removed", clientIdPreview: row?.clientIdPreview ?? null, current: false, rejected: null };
    }
    const scope = row.scopeKey === INSTANCE_SCOPE_KEY ? "instance" : row.brandId ? "brand" : "workspace";
    return {
      label: scope === "instance" ? INSTANCE_APP_LABEL : scope === "brand" ? "Brand override" : "Workspace default",
      scope,
      clientIdPreview: row.clientIdPreview,
      current: credentialVersion === undefined || credentialVersion === row.version,
      rejected: row.rejectedAt ? { at: row.rejectedAt, reason: (row.rejectedReason ?? "credentials-rejected") as CredentialRejection, xError: row.rejectedXError } : null,
    };
  };
}

export async function getGuideProgress(workspaceId: string): Promise<string[]> {
  const row = await db.xGuideProgress.findUnique({ where: { workspaceId }, select: { stepsDone: true } });
  return row?.stepsDone ? row.stepsDone.split(",").filter(Boolean) : [];
}

/** Compare-and-set, so two steps ticked at once are both kept on SQLite and PostgreSQL alike. */
export async function setGuideStep(workspaceId: string, step: string, done: boolean): Promise<string[]> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const row = await db.xGuideProgress.findUnique({ where: { workspaceId }, select: { stepsDone: true } });
    const steps = new Set(row?.stepsDone ? row.stepsDone.split(",") : []);
    if (done) steps.add(step);
    else steps.delete(step);
    const stepsDone = [...steps].sort().join(",");
    if (!row) {
      try {
        await db.xGuideProgress.create({ data: { workspaceId, stepsDone } });
        return [...steps];
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
    }
    const { count } = await db.xGuideProgress.updateMany({ where: { workspaceId, stepsDone: row.stepsDone }, data: { stepsDone } });
    if (count === 1) return [...steps];
  }
  throw new Error("Could not save walkthrough progress under contention");
}

async function credentialIdFor({ workspaceId, brandId }: CredentialScope): Promise<string | null> {
  const row = await db.xCredential.findUnique({ where: { workspaceId_scopeKey: { workspaceId, scopeKey: scopeKey(brandId) } }, select: { id: true } });
  return row?.id ?? null;
}

async function userNames(ids: string[]) {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

export type CredentialRejection = "credentials-rejected" | "not-enrolled";

/**
 * X refused an app (its credentials, confirmed by a re-test; or it is not in a Project). Marks
 * the credential row once — only the version that was judged, only if not already marked — and,
 * for refused credentials, every account whose tokens it issued as needing reconnection, with
 * one `credentials.rejected` notification, all in one transaction. False when someone replaced
 * the credentials meanwhile or it was already marked (so the incident is announced once).
 */
export async function markCredentialRejected(input: {
  workspaceId: string;
  credentialId: string;
  version: number;
  reason: CredentialRejection;
  xError: string | null;
}): Promise<{ marked: boolean; accounts: number }> {
  const { workspaceId, credentialId, version, reason } = input;
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.xCredential.updateMany({
      where: { id: credentialId, workspaceId, version, rejectedAt: null },
      data: { rejectedAt: now, rejectedReason: reason, rejectedXError: input.xError },
    });
    if (count !== 1) return { marked: false, accounts: 0 };
    const row = await tx.xCredential.findFirstOrThrow({ where: { id: credentialId, workspaceId }, select: { brandId: true, clientIdPreview: true } });
    const brand = row.brandId ? await tx.brand.findFirst({ where: { id: row.brandId, workspaceId }, select: { id: true, name: true } }) : null;
    // An app outside a Project cannot call the API, but its grants are fine: fixing it in the
    // portal brings every account back without a reconnect, so only refused credentials mark them.
    const accounts =
      reason === "credentials-rejected"
        ? await transitionCredentialAccounts(tx, { workspaceId, credentialId, from: WORKING, to: "NEEDS_RECONNECT", reason: "app-credentials", xError: input.xError, at: now })
        : 0;
    const what = reason === "credentials-rejected" ? "X rejects the app's Client ID or Client Secret" : "X says the app is not attached to a Project (client-not-enrolled)";
    await recordNotification(tx, {
      workspaceId,
      event: "credentials.rejected",
      credentialId,
      brandId: row.brandId,
      // The same createdAt as the accounts' notifications: lib/notify folds them into one email.
      at: now,
      data: {
        app: { clientIdPreview: row.clientIdPreview, scope: row.brandId ? "brand" : "workspace", brand: brand ? { id: brand.id, name: brand.name } : null },
        reason,
        reasonText: what,
        xError: input.xError,
        accountsAffected: accounts,
        since: now.toISOString(),
        links: { settings: `${env.KEYPORT_PUBLIC_URL}${row.brandId ? `/brands/${encodeURIComponent(row.brandId)}` : "/settings/x"}` },
      },
    });
    await recordAudit(
      {
        workspaceId,
        actor: null,
        brand,
        action: "credentials.rejected",
        clientIdPreview: row.clientIdPreview,
        summary: `${what}${accounts ? `; ${accounts} connected account${accounts === 1 ? "" : "s"} marked to reconnect` : ""}.`,
        outcome: reason,
      },
      tx,
    );
    return { marked: true, accounts };
  }, BULK_MARK_TX);
}
