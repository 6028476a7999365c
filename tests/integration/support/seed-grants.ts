// Many connected accounts at once, without the connect pages: for each, a new X user at the
// emulator, consent through its authorize-direct control route, a real authorization-code
// exchange at its token endpoint, and the row Keyport would have stored (tokens sealed to it).
// For the storm test and bench/storm.ts, where connecting 100 accounts through the routes would
// take most of the time budget. Tokens are set due (expired) unless told otherwise.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { XEmulatorControl } from "@/e2e/x-emulator/control-client";
import { SEALED, sealColumn } from "@/lib/crypto/app-ring";
import { db } from "@/lib/db";

export type SeedInput = {
  control: XEmulatorControl;
  apiBaseUrl: string;
  app: { clientId: string; clientSecret: string };
  redirectUri: string;
  workspaceId: string;
  brandId: string;
  credential: { id: string; version: number };
  count: number;
  /** Access token expiry of the stored rows (default: a minute ago, so every one is due). */
  expiresAt?: Date;
};

const SCOPE = "tweet.read tweet.write users.read offline.access";

export async function seedGrants(input: SeedInput): Promise<string[]> {
  const tag = randomBytes(3).toString("hex");
  const ids: string[] = [];
  for (let start = 0; start < input.count; start += 10) {
    const batch = Array.from({ length: Math.min(10, input.count - start) }, (_, k) => seedOne(input, `s${tag}${start + k}`));
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

async function seedOne(input: SeedInput, username: string): Promise<string> {
  const user = await input.control.createUser({ name: `Storm ${username}`, username });
  const verifier = randomBytes(32).toString("base64url");
  const consent = await input.control.authorizeDirect({
    clientId: input.app.clientId,
    redirectUri: input.redirectUri,
    scope: SCOPE,
    state: randomBytes(8).toString("hex"),
    codeChallenge: createHash("sha256").update(verifier).digest("base64url"),
    method: "S256",
    userId: user.id,
  });
  if (!consent.code) throw new Error(`consent failed: ${consent.error}`);
  const response = await fetch(`${input.apiBaseUrl}/2/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${input.app.clientId}:${input.app.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code: consent.code, redirect_uri: input.redirectUri, code_verifier: verifier, client_id: input.app.clientId }),
  });
  const tokens = (await response.json()) as { access_token: string; refresh_token: string; scope: string };
  if (!response.ok) throw new Error(`token exchange failed: ${response.status}`);
  const id = randomUUID();
  await db.connectedAccount.create({
    data: {
      id,
      workspaceId: input.workspaceId,
      brandId: input.brandId,
      xUserId: user.id,
      name: user.name,
      username: user.username,
      grantedScopes: tokens.scope,
      accessTokenSealed: sealColumn(SEALED.accessToken, id, tokens.access_token),
      refreshTokenSealed: sealColumn(SEALED.refreshToken, id, tokens.refresh_token),
      accessTokenExpiresAt: input.expiresAt ?? new Date(Date.now() - 60_000),
      credentialId: input.credential.id,
      credentialVersion: input.credential.version,
    },
  });
  return id;
}
