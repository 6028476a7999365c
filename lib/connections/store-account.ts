// Writes a freshly connected X account: one record per (brand, X user), created or updated in
// place so a reconnect keeps its history; tokens sealed to the row; the connect link (if any)
// consumed in the same transaction, so a link connects at most one account.
import "server-only";
import { randomUUID } from "node:crypto";
import { SEALED, sealColumn } from "../crypto/app-ring";
import { recordAudit } from "../data/audit";
import { db, isUniqueViolation } from "../db";
import type { TokenSet } from "../x/oauth";
import type { XProfile } from "../x/api";
import { recordStatusChange, type AccountStatus } from "./status";

export type StoreInput = {
  workspaceId: string;
  brandId: string;
  profile: XProfile;
  tokens: TokenSet;
  missing: string[];
  credential: { id: string; version: number; clientIdPreview: string };
  connectedBy: { id: string; name: string } | null;
  link: { id: string; createdByName: string } | null;
};

export class LinkUnavailableError extends Error {
  override name = "LinkUnavailableError";
}

/** The app's credentials were replaced or removed while the tokens were being fetched. */
export class CredentialsChangedError extends Error {
  override name = "CredentialsChangedError";
}

export async function storeConnectedAccount(input: StoreInput): Promise<{ accountId: string; reconnected: boolean }> {
  try {
    return await write(input);
  } catch (error) {
    // Two callbacks for the same X user and brand raced to create the record: the loser
    // updates the winner's row instead.
    if (isUniqueViolation(error)) return write(input);
    throw error;
  }
}

async function write(input: StoreInput) {
  const { workspaceId, brandId, profile, tokens, missing } = input;
  const now = new Date();
  return db.$transaction(async (tx) => {
    if (input.link) {
      const { count } = await tx.connectLink.updateMany({
        where: { id: input.link.id, workspaceId, consumedAt: null, revokedAt: null },
        data: { consumedAt: now },
      });
      if (count !== 1) throw new LinkUnavailableError();
    }
    // The credential version that issued these tokens must still be current, checked with a write
    // to its row (a no-op that takes the row's lock on PostgreSQL): a replacement either commits
    // first, and we refuse, or waits for us, and then counts and marks this account too.
    const credential = await tx.xCredential.findFirst({
      where: { id: input.credential.id, workspaceId, version: input.credential.version },
      select: { updatedAt: true },
    });
    const { count: current } = credential
      ? await tx.xCredential.updateMany({ where: { id: input.credential.id, workspaceId, version: input.credential.version }, data: { updatedAt: credential.updatedAt } })
      : { count: 0 };
    if (current !== 1) throw new CredentialsChangedError();
    const brand = await tx.brand.findFirst({ where: { id: brandId, workspaceId }, select: { id: true, name: true } });
    if (!brand) throw new Error("The brand was deleted during the connection.");
    const existing = await tx.connectedAccount.findFirst({ where: { workspaceId, brandId, xUserId: profile.id }, select: { id: true, status: true } });
    const id = existing?.id ?? randomUUID();
    const flagged = missing.length > 0;
    const status: AccountStatus = flagged ? "NEEDS_RECONNECT" : "ACTIVE";
    const from = (existing?.status ?? null) as AccountStatus | null;
    const fields = {
      name: profile.name,
      username: profile.username,
      avatarUrl: safeAvatar(profile.profileImageUrl),
      grantedScopes: tokens.scopes.join(" "),
      accessTokenSealed: sealColumn(SEALED.accessToken, id, tokens.accessToken),
      refreshTokenSealed: tokens.refreshToken ? sealColumn(SEALED.refreshToken, id, tokens.refreshToken) : null,
      accessTokenExpiresAt: new Date(now.getTime() + tokens.expiresIn * 1000),
      credentialId: input.credential.id,
      credentialVersion: input.credential.version,
      status,
      statusReason: flagged ? "missing-scopes" : null,
      statusDetail: flagged ? `X did not grant ${missing.join(", ")}` : null,
      ...(from !== status ? { statusSince: now } : {}),
      lastXError: null,
      lastXErrorAt: null,
      // A fresh grant: X accepted it and its profile was just read.
      lastProvenAt: now,
      profileCheckedAt: now,
      failureCount: 0,
      failingSince: null,
      rateLimitedUntil: null,
      nextCheckAt: null,
      connectedById: input.connectedBy?.id ?? null,
      connectedAt: now,
    };
    if (existing) await tx.connectedAccount.update({ where: { id }, data: { ...fields, tokenVersion: { increment: 1 } } });
    else await tx.connectedAccount.create({ data: { id, workspaceId, brandId, xUserId: profile.id, ...fields } });
    await recordStatusChange(tx, {
      workspaceId,
      account: { id, brandId, brandName: brand.name, xUserId: profile.id, name: profile.name, username: profile.username, credentialId: input.credential.id },
      from,
      change: { to: status, reason: fields.statusReason, detail: fields.statusDetail },
      actor: input.connectedBy,
      at: now,
    });
    if (input.link) await tx.connectLink.update({ where: { id: input.link.id }, data: { accountId: id } });

    const how = input.link ? ` through a connect link created by ${input.link.createdByName}` : "";
    await recordAudit(
      {
        workspaceId,
        actor: input.connectedBy,
        brand,
        action: "account.connected",
        clientIdPreview: input.credential.clientIdPreview,
        summary: `${existing ? "Reconnected" : "Connected"} @${profile.username}${how}${flagged ? `; X did not grant ${missing.join(", ")}, so the account is flagged` : ""}.`,
        outcome: flagged ? "missing-scopes" : "connected",
      },
      tx,
    );
    return { accountId: id, reconnected: Boolean(existing) };
  });
}

/** Only http(s) image URLs reach an <img src>. */
function safeAvatar(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}
