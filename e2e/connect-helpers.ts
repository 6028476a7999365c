// Shared by the connect specs: reach into a running Keyport's database the way an operator's
// script would (the real data layer in a child process, with the instance's DATABASE_URL and
// key ring), and scan only Keyport's own responses for secrets.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page, Response } from "@playwright/test";
import { OUTPUT_DIR } from "./support/global-setup";
import type { Keyport } from "./support/keyport";
import { findSecrets, type Secret } from "./support/leaks";

export type Instance = { dataDir: string; databaseUrl?: string; env?: Record<string, string> };

export const callbackOf = (url: string) => `${url}/api/integrations/twitter/callback`;

/**
 * Runs `body` (an async function body with `lib` — a loader for files under lib/ — and `input` in
 * scope) in a child Node process pointed at the instance's database, and returns what it returns.
 * The child resolves the react-server condition so "server-only" modules load, as they do in Next.
 */
export function inKeyport<T>(instance: Instance, body: string, input: unknown = null): T {
  const dir = mkdtempSync(path.join(OUTPUT_DIR, "kp-script-"));
  const file = path.join(dir, "script.mjs");
  const root = pathToFileURL(process.cwd()).href;
  writeFileSync(
    file,
    `const lib = (p) => import(${JSON.stringify(root)} + "/lib/" + p + ".ts");
const input = JSON.parse(process.env.KP_INPUT);
const { db } = await lib("db");
try {
  const result = await (async () => { ${body} })();
  process.stdout.write("\\n@@RESULT@@" + JSON.stringify(result ?? null));
} finally {
  await db.$disconnect();
}
`,
  );
  const out = execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", file], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: instance.databaseUrl ?? `file:${path.join(instance.dataDir, "keyport.db")}`,
      KEYPORT_DATA_DIR: instance.dataDir,
      ...instance.env,
      KP_INPUT: JSON.stringify(input),
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out.slice(out.lastIndexOf("@@RESULT@@") + "@@RESULT@@".length)) as T;
}

/** Saves X app credentials through the data layer (workspace default, or a brand's override by name). */
export function seedCredentials(instance: Instance, app: { clientId: string; clientSecret: string }, brandName?: string) {
  return inKeyport<{ status: string }>(
    instance,
    `const { saveCredentials, dependentsFor } = await lib("data/x-credentials");
    const owner = await db.membership.findFirstOrThrow({ where: { role: "OWNER" }, include: { user: true } });
    const brand = input.brandName ? await db.brand.findFirstOrThrow({ where: { workspaceId: owner.workspaceId, name: input.brandName } }) : null;
    const scope = { workspaceId: owner.workspaceId, brandId: brand?.id };
    const dependents = await dependentsFor(scope);
    return saveCredentials({ ...scope, actor: { id: owner.userId, name: owner.user.name }, clientId: input.clientId, clientSecret: input.clientSecret,
      confirmAccountsMarked: dependents?.total, test: { status: "valid", message: "Seeded by the connect spec." } });`,
    { ...app, brandName },
  );
}

export type StoredAccount = {
  id: string;
  username: string;
  status: string;
  statusReason: string | null;
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
  accessToken: string | null;
  refreshToken: string | null;
};

/** A brand's accounts with their tokens opened, to check they are sealed at rest and work at X. */
export function storedAccounts(instance: Instance, brandName: string): StoredAccount[] {
  return inKeyport(
    instance,
    `const { openColumn, SEALED } = await lib("crypto/app-ring");
    const rows = await db.connectedAccount.findMany({ where: { brand: { name: input.brandName } }, orderBy: { connectedAt: "asc" } });
    return rows.map((r) => ({ id: r.id, username: r.username, status: r.status, statusReason: r.statusReason,
      accessTokenSealed: r.accessTokenSealed, refreshTokenSealed: r.refreshTokenSealed,
      accessToken: r.accessTokenSealed ? openColumn(SEALED.accessToken, r.id, r.accessTokenSealed) : null,
      refreshToken: r.refreshTokenSealed ? openColumn(SEALED.refreshToken, r.id, r.refreshTokenSealed) : null }));`,
    { brandName },
  );
}

/** Every PKCE verifier Keyport has made so far, opened: none may ever appear in a response or log. */
export function storedVerifiers(instance: Instance): string[] {
  return inKeyport(
    instance,
    `const { openColumn, SEALED } = await lib("crypto/app-ring");
    const rows = await db.connectAttempt.findMany({ select: { id: true, verifierSealed: true } });
    return rows.map((r) => openColumn(SEALED.pkceVerifier, r.id, r.verifierSealed));`,
  );
}

export function expireConnectLinks(instance: Instance) {
  return inKeyport(instance, `return (await db.connectLink.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } })).count;`);
}

/** Like support/leaks' watchForLeaks, but only for Keyport's responses: X's own redirect carries the code by design. */
export function watchKeyportForLeaks(page: Page, origin: string, secrets: () => Secret[]) {
  const hits: string[] = [];
  const pending: Promise<void>[] = [];
  let scanned = 0;
  const onResponse = (response: Response) => {
    if (!response.url().startsWith(origin)) return;
    pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders().catch(() => ({})));
        const body = await response.body().then((b) => b.toString("utf8"), () => "");
        scanned++;
        for (const hit of findSecrets(`${headers}\n${body}`, secrets())) hits.push(`${response.request().method()} ${new URL(response.url()).pathname}: ${hit}`);
      })(),
    );
  };
  page.on("response", onResponse);
  return {
    async result() {
      await Promise.all(pending);
      return { hits: [...hits], scanned };
    },
  };
}

/** Records the codes X hands to Keyport's callback in this page, so scans can look for them; returns the callback URLs seen. */
export function captureCodes(page: Page, keyport: Pick<Keyport, "url">, into: Secret[]): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.url().startsWith(callbackOf(keyport.url)) && url.searchParams.get("code")) {
      into.push({ name: "authorization code", value: url.searchParams.get("code")! });
      seen.push(request.url());
    }
  });
  return seen;
}
