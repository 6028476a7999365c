// Starting a connection: resolve which X app connects this brand, store an attempt, and build
// the URL of X's consent page. Everything the callback needs is in the database (state hashed,
// verifier sealed), so any Keyport instance can finish what another one started.
import "server-only";
import { randomUUID } from "node:crypto";
import { callbackUrl } from "../callback-url";
import { SEALED, sealColumn } from "../crypto/app-ring";
import { effectiveCredential, openCredential } from "../data/x-credentials";
import { db } from "../db";
import { env } from "../env";
import { xEndpoints } from "../x/endpoints";
import { buildAuthorizeUrl, newPkce } from "../x/oauth";
import { scopeParam } from "../x/scopes";
import { workspaceRequestedScopes } from "../data/workspace-scopes";
import type { StartError } from "./outcomes";
import { sha256Hex } from "../crypto/bearer";

export const ATTEMPT_TTL_MS = 10 * 60 * 1000;
/** Finished attempts are kept a while so a late second hit of the callback still finds its outcome. */
const ATTEMPT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export type StartInput = { workspaceId: string; brandId: string } & ({ userId: string; linkId?: never } | { linkId: string; userId?: never });
export type StartResult = { ok: true; attemptId: string; authorizeUrl: string } | { ok: false; error: StartError };

export async function startConnectAttempt(input: StartInput): Promise<StartResult> {
  const { workspaceId, brandId } = input;
  const brand = await db.brand.findFirst({ where: { id: brandId, workspaceId }, select: { id: true } });
  if (!brand) return { ok: false, error: "brand-not-found" };
  const effective = await effectiveCredential(workspaceId, brandId);
  if (!effective.credential) return { ok: false, error: "no-credentials" };
  // X said no to these credentials: its consent page would only end in a failure at the callback.
  // Nothing starts until they are replaced (the operator's env, for the instance app).
  if (effective.credential.rejected) return { ok: false, error: effective.source === "instance" ? "instance-app-rejected" : "credentials-rejected" };
  if (effective.credential.lastTest?.status === "invalid") return { ok: false, error: "credentials-invalid" };
  const credential = await openCredential(workspaceId, effective.credential.id);
  if (!credential) return { ok: false, error: "no-credentials" };

  const { verifier, state } = newPkce();
  const id = randomUUID();
  const redirectUri = callbackUrl(env.KEYPORT_PUBLIC_URL);
  const now = Date.now();
  await db.connectAttempt.create({
    data: {
      id,
      workspaceId,
      brandId,
      stateHash: sha256Hex(state),
      verifierSealed: sealColumn(SEALED.pkceVerifier, id, verifier),
      userId: input.userId ?? null,
      linkId: input.linkId ?? null,
      // The version the Client ID was read at: if the credentials change before the callback,
      // the code belongs to an app Keyport no longer holds and the callback stops.
      credentialId: credential.id,
      credentialVersion: credential.version,
      redirectUri,
      expiresAt: new Date(now + ATTEMPT_TTL_MS),
    },
  });
  await db.connectAttempt.deleteMany({ where: { workspaceId, expiresAt: { lt: new Date(now - ATTEMPT_RETENTION_MS) } } });
  // Least privilege (contract §2): the default set plus only what the workspace opted in to.
  const scope = scopeParam(await workspaceRequestedScopes(workspaceId));
  const authorizeUrl = await buildAuthorizeUrl(xEndpoints(), { clientId: credential.clientId, redirectUri, state, verifier, scope });
  return { ok: true, attemptId: id, authorizeUrl };
}
