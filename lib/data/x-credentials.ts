// X app credentials per workspace (default) or brand (override). Reads return DTOs without any
// sealed field; only openCredential() unseals, for server code about to call X.
import "server-only";
import { randomUUID } from "node:crypto";
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

export type CredentialSummary = {
  id: string;
  scope: "workspace" | "brand";
  clientIdPreview: string;
  clientKind: ClientKind;
  version: number;
  createdByName: string;
  updatedByName: string;
  createdAt: Date;
  updatedAt: Date;
  lastTest: { status: TestStatus; message: string; at: Date } | null;
};

export type Dependents = { total: number; brands: { brandId: string; brandName: string; count: number }[]; otherBrands: number };
export const NO_DEPENDENTS: Dependents = { total: 0, brands: [], otherBrands: 0 };

const scopeKey = (brandId?: string) => (brandId ? `brand:${brandId}` : "workspace");

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
} as const;

/** Null also when the brand does not belong to the workspace. */
export async function getCredentialSummary({ workspaceId, brandId }: CredentialScope): Promise<CredentialSummary | null> {
  const row = await db.xCredential.findUnique({
    where: { workspaceId_scopeKey: { workspaceId, scopeKey: scopeKey(brandId) } },
    select: SUMMARY_SELECT,
  });
  if (!row) return null;
  const names = await userNames([row.createdById, row.updatedById]);
  return {
    id: row.id,
    scope: row.brandId ? "brand" : "workspace",
    clientIdPreview: row.clientIdPreview,
    clientKind: row.clientKind as ClientKind,
    version: row.version,
    createdByName: names.get(row.createdById) ?? "A former member",
    updatedByName: names.get(row.updatedById) ?? "A former member",
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastTest:
      row.lastTestStatus && row.lastTestedAt
        ? { status: row.lastTestStatus as TestStatus, message: row.lastTestMessage ?? "", at: row.lastTestedAt }
        : null,
  };
}

export type EffectiveCredential =
  | { source: "brand" | "workspace"; credential: CredentialSummary; override: CredentialSummary | null; fallback: CredentialSummary | null }
  | { source: null; credential: null; override: null; fallback: null };

/** Which app connects accounts for a brand: its override, else the workspace default. */
// Cached per request: the brand page's X-app and accounts sections both ask.
export const effectiveCredential = cache(async (workspaceId: string, brandId: string): Promise<EffectiveCredential> => {
  const [override, fallback] = await Promise.all([getCredentialSummary({ workspaceId, brandId }), getCredentialSummary({ workspaceId })]);
  if (override) return { source: "brand", credential: override, override, fallback };
  if (fallback) return { source: "workspace", credential: fallback, override: null, fallback };
  return { source: null, credential: null, override: null, fallback: null };
});

/** The plaintext Client ID and Secret, for a call to X that is about to happen. Never return them to a client. */
export async function openCredential(workspaceId: string, credentialId: string) {
  const row = await db.xCredential.findFirst({
    where: { id: credentialId, workspaceId },
    select: { id: true, version: true, clientIdSealed: true, clientSecretSealed: true },
  });
  if (!row) return null;
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

/** Connected accounts whose tokens came from this credential and still work, by brand. */
export async function dependentAccounts(workspaceId: string, credentialId: string): Promise<Dependents> {
  const groups = await db.connectedAccount.groupBy({
    by: ["brandId"],
    where: { workspaceId, credentialId, status: { in: [...WORKING] } },
    _count: { _all: true },
  });
  if (groups.length === 0) return NO_DEPENDENTS;
  // Names only for the brands shown: a credential can span 10,000 brands, more than a query may bind.
  const top = groups.sort((a, b) => b._count._all - a._count._all).slice(0, DEPENDENT_BRANDS_LISTED);
  const brands = await db.brand.findMany({ where: { workspaceId, id: { in: top.map((g) => g.brandId) } }, select: { id: true, name: true } });
  const nameOf = new Map(brands.map((b) => [b.id, b.name]));
  return {
    total: groups.reduce((n, g) => n + g._count._all, 0),
    brands: top
      .map((g) => ({ brandId: g.brandId, brandName: nameOf.get(g.brandId) ?? "Deleted brand", count: g._count._all }))
      .sort((a, b) => b.count - a.count || a.brandName.localeCompare(b.brandName)),
    otherBrands: groups.length - top.length,
  };
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
    const accounts = await transitionCredentialAccounts(tx, { workspaceId, credentialId: existing.id, from: WORKING, to: "NEEDS_RECONNECT", reason, actor });
    if (accounts !== confirmed) throw new DependentsChangedError();
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
    const accounts = await transitionCredentialAccounts(tx, { workspaceId, credentialId: existing.id, from: WORKING, to: "NEEDS_RECONNECT", reason: "credentials-removed", actor });
    if (accounts !== confirmed) throw new DependentsChangedError();
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
