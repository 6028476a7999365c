// Two Keyport processes on one PostgreSQL database, behind one public URL (as a load balancer
// would put them): a connection started on one instance is finished by the other, because the
// attempt (hashed state, sealed verifier) lives in the database, not in a process.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startXEmulator, type XEmulator } from "./x-emulator/index";
import { callbackOf, captureCodes, seedCredentials, storedAccounts, storedVerifiers, watchKeyportForLeaks, type Instance } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";
import { findSecrets, type Secret } from "./support/leaks";

const ADMIN_URL = process.env.KEYPORT_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const database = `keyport_e2e_${process.pid}_${Date.now().toString(36)}`;
const databaseUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
})();
const shared = { AUTH_SECRET: randomBytes(32).toString("base64url"), KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` };

let emu: XEmulator;
let first: Keyport;
let second: Keyport;
let instance: Instance;
let app: { clientId: string; clientSecret: string };
let reachable = true;
const secrets: Secret[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  reachable = await admin(`CREATE DATABASE ${database}`).then(() => true, () => false);
  if (!reachable) return;
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "pipe", env: { ...process.env, DATABASE_URL: databaseUrl } });
  emu = await startXEmulator({ seed: { apps: [], users: [{ id: "1790000000000000002", name: "Blue Lantern Café", username: "bluelanterncafe" }] } });
  const env = { ...shared, X_AUTHORIZE_URL: emu.authorizeUrl, X_API_BASE_URL: emu.apiBaseUrl };
  // The second instance's address is the public one: everything X sends back goes there.
  second = await launchKeyport({ databaseUrl, env });
  first = await launchKeyport({ databaseUrl, env: { ...env, KEYPORT_PUBLIC_URL: second.url } });
  const created = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(second.url)] });
  app = { clientId: created.clientId, clientSecret: created.clientSecret! };
  secrets.push({ name: "Client Secret", value: app.clientSecret });
  instance = { dataDir: first.dataDir, databaseUrl, env: shared };
});

test.afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await emu?.close();
  if (reachable) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
});

test("an attempt started on one instance completes on the other", async ({ page }) => {
  test.skip(!reachable, "PostgreSQL is not reachable at 127.0.0.1:5432");
  const leaksA = watchKeyportForLeaks(page, first.url, () => secrets);
  const leaksB = watchKeyportForLeaks(page, second.url, () => secrets);
  const callbacks = captureCodes(page, second, secrets);

  await completeSetup(page, first.url);
  await page.getByLabel("New brand name").fill("Blue Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  seedCredentials(instance, app);
  await page.getByRole("link", { name: "Blue Lantern", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${first.url}/brands/`));

  // Started on the first instance…
  await page.getByRole("button", { name: "Connect X account" }).click();
  await expect(page.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();
  expect(first.logs()).not.toContain("[connect] attempt");
  await page.getByRole("button", { name: "Authorize app" }).click();

  // …finished on the second, which never saw the start.
  await expect(page).toHaveURL(new RegExp(`^${second.url}/brands/[^/?]+\\?connect=`));
  await expect(page.getByTestId("connect-outcome")).toContainText("Connected @bluelanterncafe");
  await expect(page.getByRole("article", { name: /@bluelanterncafe/ })).toContainText("Active");
  expect(callbacks).toHaveLength(1);
  expect(second.logs()).toMatch(/\[connect\] attempt [0-9a-f-]{36} brand \S+: connected/);
  expect(first.logs()).not.toMatch(/\[connect\] attempt/);
  expect((await emu.control.requests({ path: "/2/oauth2/token" })).map((r) => r.status)).toEqual([200]);

  // The first instance shows the same account: one database.
  await page.goto(page.url().replace(second.url, first.url));
  await expect(page.getByRole("article", { name: /@bluelanterncafe/ })).toContainText("Active");

  const [account] = storedAccounts(instance, "Blue Lantern");
  secrets.push({ name: "access token", value: account!.accessToken! }, { name: "refresh token", value: account!.refreshToken! });
  for (const verifier of storedVerifiers(instance)) secrets.push({ name: "PKCE verifier", value: verifier });
  expect((await leaksA.result()).hits).toEqual([]);
  expect((await leaksB.result()).hits).toEqual([]);
  expect(findSecrets(first.logs() + second.logs(), secrets)).toEqual([]);
});

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
