// Many connected accounts with real grants at the emulator, without a browser or Keyport's
// connect route (too slow for a thousand): X users created through the control API, consent via
// authorize-direct, the code exchanged at the emulator's token endpoint, and the pair stored
// sealed exactly as a connect stores it. Used by the sweep tests and bench/sweep.ts.
import { randomUUID } from "node:crypto";
import type { XEmulatorControl } from "../../../e2e/x-emulator/control-client";
import { sealColumn, SEALED } from "../../../lib/crypto/app-ring";
import { db } from "../../../lib/db";

export type SeedApp = { clientId: string; clientSecret: string; callbackUrl: string };
export type SeedTarget = { workspaceId: string; brandId: string; credentialId: string; credentialVersion: number };

const SCOPES = ["tweet.read", "tweet.write", "users.read", "offline.access"];

/**
 * `count` accounts on `target`, each with its own X user and grant. `due` makes each one due for
 * the unbilled proof (not proven for 25 hours, its access token expired) as after a quiet day.
 */
export async function seedAccounts(
  control: XEmulatorControl,
  apiBaseUrl: string,
  app: SeedApp,
  target: SeedTarget,
  count: number,
  options: { due?: boolean; prefix?: string; concurrency?: number } = {},
): Promise<string[]> {
  const prefix = options.prefix ?? randomUUID().slice(0, 6);
  const ids: string[] = [];
  let next = 0;
  const lanes = Array.from({ length: options.concurrency ?? 8 }, async () => {
    while (next < count) {
      const i = next++;
      ids.push(await seedOne(control, apiBaseUrl, app, target, `${prefix}${i}`, options.due ?? false));
    }
  });
  await Promise.all(lanes);
  return ids;
}

async function seedOne(control: XEmulatorControl, apiBaseUrl: string, app: SeedApp, target: SeedTarget, tag: string, due: boolean): Promise<string> {
  const username = `s${tag}`.replace(/[^A-Za-z0-9_]/g, "").slice(0, 15);
  const user = await control.createUser({ name: `Sweep ${tag}`, username });
  const verifier = `v${randomUUID()}${randomUUID()}`.replace(/-/g, "");
  const state = randomUUID();
  const consent = await control.authorizeDirect({
    clientId: app.clientId,
    redirectUri: app.callbackUrl,
    scope: SCOPES,
    state,
    codeChallenge: verifier,
    method: "plain",
    userId: user.id,
  });
  const response = await fetch(`${apiBaseUrl}/2/oauth2/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: consent.code!, redirect_uri: app.callbackUrl, code_verifier: verifier, client_id: app.clientId }),
  });
  if (response.status !== 200) throw new Error(`seed token exchange: ${response.status} ${await response.text()}`);
  const tokens = (await response.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string };
  const id = randomUUID();
  const now = Date.now();
  await db.connectedAccount.create({
    data: {
      id,
      workspaceId: target.workspaceId,
      brandId: target.brandId,
      xUserId: user.id,
      name: user.name,
      username: user.username,
      grantedScopes: tokens.scope,
      accessTokenSealed: sealColumn(SEALED.accessToken, id, tokens.access_token),
      refreshTokenSealed: sealColumn(SEALED.refreshToken, id, tokens.refresh_token),
      accessTokenExpiresAt: new Date(due ? now - 60_000 : now + tokens.expires_in * 1000),
      credentialId: target.credentialId,
      credentialVersion: target.credentialVersion,
      lastProvenAt: new Date(due ? now - 25 * 3_600_000 : now),
      profileCheckedAt: new Date(now),
    },
  });
  return id;
}
