// Two Keyport processes on one PostgreSQL database, behind one public URL (as a load balancer
// would put them): a connection started on one instance is finished by the other, because the
// attempt (hashed state, sealed verifier) lives in the database, not in a process.
import { expect } from "@playwright/test";
import { callbackOf, captureCodes, seedCredentials, storedAccounts, storedVerifiers, watchKeyportForLeaks } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";
import { findSecrets, type Secret } from "./support/leaks";
import { sandboxTest } from "./support/sandbox";

// `keyport` is the second instance: its address is the public one, so everything X sends back
// goes there. The first shares its database and secrets but is reached only by the browser.
const test = sandboxTest({ users: ["bluelanterncafe"], database: "postgres" });
let first: Keyport;
let app: { clientId: string; clientSecret: string };
const secrets: Secret[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ emu, keyport: second }) => {
  first = await launchKeyport({ databaseUrl: second.databaseUrl, env: { ...second.env, KEYPORT_PUBLIC_URL: second.url } });
  const created = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(second.url)], permission: "read-write-dm" });
  app = { clientId: created.clientId, clientSecret: created.clientSecret! };
  secrets.push({ name: "Client Secret", value: app.clientSecret });
});

test.afterAll(async () => {
  await first?.stop();
});

test("an attempt started on one instance completes on the other", async ({ page, emu, keyport: second }) => {
  const leaksA = watchKeyportForLeaks(page, first.url, () => secrets);
  const leaksB = watchKeyportForLeaks(page, second.url, () => secrets);
  const callbacks = captureCodes(page, second, secrets);
  // Behind a load balancer both instances share the public origin, and so does the Origin header
  // of every form the browser posts. Here the browser reaches the first instance at an address of
  // its own, so its connect start goes out as the balancer's browser would send it (cookies are
  // per host, not per port: both instances see the same ones); otherwise it is (rightly) refused
  // as coming from another site.
  await page.route(`${first.url}/api/integrations/twitter/connect`, async (route) => {
    const response = await route.fetch({ headers: { ...route.request().headers(), origin: second.url }, maxRedirects: 0 });
    await route.fulfill({ response });
  });

  await completeSetup(page, first.url);
  await page.getByLabel("New brand name").fill("Blue Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  seedCredentials(second, app);
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

  const [account] = storedAccounts(second, "Blue Lantern");
  secrets.push({ name: "access token", value: account!.accessToken! }, { name: "refresh token", value: account!.refreshToken! });
  for (const verifier of storedVerifiers(second)) secrets.push({ name: "PKCE verifier", value: verifier });
  expect((await leaksA.result()).hits).toEqual([]);
  expect((await leaksB.result()).hits).toEqual([]);
  expect(findSecrets(first.logs() + second.logs(), secrets)).toEqual([]);
});
