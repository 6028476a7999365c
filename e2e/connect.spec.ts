// Connecting X profiles per brand, in a browser against the X emulator: the brand page's Connect
// button, X's consent page, and back — for every way it can end — plus hosted links for signed-out
// clients and disconnect. Keyport's responses and server log are scanned for tokens, codes and
// PKCE verifiers throughout.
import { expect, type Page } from "@playwright/test";
import { callbackOf, captureCodes, expireConnectLinks, seedCredentials, storedAccounts, storedVerifiers, watchKeyportForLeaks } from "./connect-helpers";
import { completeSetup, OWNER, signIn } from "./support/flows";
import type { Keyport } from "./support/keyport";
import { findSecrets, type Secret } from "./support/leaks";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: ["ada_sandbox", "bluelanterncafe", "northwindstudio"] });
let app: { clientId: string; clientSecret: string };
let brandApp: { clientId: string; clientSecret: string };
const secrets: Secret[] = [];

// Each test is a dozen full page trips through Keyport and the emulator: on a loaded machine that
// outgrows the default minute.
test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async ({ emu, keyport }) => {
  const a = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  const b = await emu.control.createApp({ name: "Brand app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  app = { clientId: a.clientId, clientSecret: a.clientSecret! };
  brandApp = { clientId: b.clientId, clientSecret: b.clientSecret! };
  secrets.push({ name: "agency Client Secret", value: app.clientSecret }, { name: "brand Client Secret", value: brandApp.clientSecret });
});
test.beforeEach(async ({ emu }) => {
  await emu.control.clearFaults();
});

/** Tokens and verifiers only exist once Keyport made them: refresh the list from the database. */
function refreshSecrets(keyport: Keyport, brandNames: string[]) {
  for (const brand of brandNames) {
    for (const account of storedAccounts(keyport, brand)) {
      if (account.accessToken) secrets.push({ name: `access token of @${account.username}`, value: account.accessToken });
      if (account.refreshToken) secrets.push({ name: `refresh token of @${account.username}`, value: account.refreshToken });
    }
  }
  for (const verifier of storedVerifiers(keyport)) secrets.push({ name: "PKCE verifier", value: verifier });
}

async function signInOwner(page: Page) {
  await signIn(page, "", OWNER.email, OWNER.password); // "" + "/login": relative to the sandbox's baseURL
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
}

async function openBrand(page: Page, name: string) {
  await page.goto("/brands");
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
}

async function createBrand(page: Page, name: string) {
  await page.goto("/brands");
  await page.getByLabel("New brand name").fill(name);
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
}

async function authorizeAs(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`@${username}`) }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
}

const outcome = (page: Page) => page.getByTestId("connect-outcome");
const card = (page: Page, username: string) => page.getByRole("article", { name: new RegExp(`@${username}`) });

test("happy path: brand page → Connect → X consent → Authorize → back with the account shown; tokens sealed", async ({ page, emu, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  const callbacks = captureCodes(page, keyport, secrets);
  await completeSetup(page, keyport.url);
  await createBrand(page, "Blue Lantern");
  await openBrand(page, "Blue Lantern");
  await expect(page.getByText("No X app is set up yet")).toBeVisible();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await expect(outcome(page)).toContainText("No X app is set up for this brand");

  seedCredentials(keyport, app);
  await openBrand(page, "Blue Lantern");
  await expect(page.getByText("No X accounts are connected to this brand yet.")).toBeVisible();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await expect(page).toHaveURL(new RegExp(`^${emu.url}/i/oauth2/authorize`));
  await authorizeAs(page, "bluelanterncafe");

  await expect(page).toHaveURL(new RegExp(`^${keyport.url}/brands/[^/?]+\\?connect=[0-9a-f-]{36}$`));
  await expect(outcome(page)).toContainText("Connected @bluelanterncafe");
  const account = card(page, "bluelanterncafe");
  await expect(account).toContainText("Blue Lantern Café");
  await expect(account).toContainText("Active");
  await expect(account).toContainText(`by ${OWNER.name}`);
  await expect(account).toContainText(`Workspace default (Client ID ${app.clientId.slice(0, 6)}…)`);
  await expect(account).toContainText("tweet.write");
  await expect(account).toContainText("renewed when next used");
  await expect(account.getByText("Missing permissions").locator("..")).toContainText("None");

  // The browser's double hit (reload of the callback): same page, no second exchange.
  expect(callbacks).toHaveLength(1);
  const tokenCallsBefore = (await emu.control.requests({ path: "/2/oauth2/token" })).length;
  const landed = page.url();
  await page.goto(callbacks[0]!);
  await expect(page).toHaveURL(landed);
  await expect(outcome(page)).toContainText("Connected @bluelanterncafe");
  expect(await emu.control.requests({ path: "/2/oauth2/token" })).toHaveLength(tokenCallsBefore);

  // At rest the tokens are sealed; opened, they are what X issued.
  const [stored] = storedAccounts(keyport, "Blue Lantern");
  expect(stored!.accessTokenSealed).toMatch(/^v1\./);
  expect(stored!.accessTokenSealed).not.toContain(stored!.accessToken!);
  expect(stored!.refreshTokenSealed).not.toContain(stored!.refreshToken!);
  const me = await fetch(`${emu.apiBaseUrl}/2/users/me`, { headers: { authorization: `Bearer ${stored!.accessToken}` } });
  expect(((await me.json()) as { data: { username: string } }).data.username).toBe("bluelanterncafe");

  refreshSecrets(keyport, ["Blue Lantern"]);
  const { hits, scanned } = await leaks.result();
  expect(scanned).toBeGreaterThan(5);
  expect(hits).toEqual([]);
});

test("cancel at X ends on the brand page saying so", async ({ page, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  await signInOwner(page);
  await openBrand(page, "Blue Lantern");
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(outcome(page)).toContainText("Connection cancelled at X");
  await expect(outcome(page).getByRole("button", { name: "Connect again" })).toBeVisible();
  await page.getByRole("button", { name: "Dismiss this message" }).click();
  await expect(outcome(page)).toHaveCount(0);
  expect((await leaks.result()).hits).toEqual([]);
});

test("missing scopes: connected but flagged, naming what is missing, what breaks and the fix", async ({ page, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  captureCodes(page, keyport, secrets);
  await signInOwner(page);
  await openBrand(page, "Blue Lantern");
  // The person's X grants less than asked (an app with fewer permissions does this at X): the
  // redirect to X is rewritten on its way to the browser, which then asks X for less.
  const toX = (url: URL) => url.pathname === "/api/integrations/twitter/connect";
  // (The Connect form POSTs there; Keyport answers 303 to X, replayed here as a rewritten redirect.)
  await page.route(toX, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = new URL(response.headers().location!);
    location.searchParams.set("scope", location.searchParams.get("scope")!.split(" ").filter((s) => s !== "offline.access").join(" "));
    await route.fulfill({ status: 302, headers: { location: location.toString() } });
  });
  await page.getByRole("button", { name: "Connect X account" }).click();
  await authorizeAs(page, "ada_sandbox");
  await expect(outcome(page)).toContainText("Connected @ada_sandbox, but X granted fewer permissions than Keyport needs");
  await expect(outcome(page)).toContainText("Missing: offline.access");
  await expect(outcome(page)).toContainText("staying connected for more than two hours");
  await expect(outcome(page)).toContainText("Developer Console");
  const account = card(page, "ada_sandbox");
  await expect(account).toContainText("Needs reconnect: Permissions missing");
  await expect(account.getByText("Missing permissions").locator("..")).toContainText("offline.access");
  await page.unroute(toX);

  // Across brands: the connections page lists it with why, since when, and a reconnect link.
  await page.goto(`${keyport.url}/admin/connections`);
  const row = page.getByTestId("reconnect-row").filter({ hasText: "@ada_sandbox" });
  await expect(row).toContainText("Blue Lantern");
  await expect(row).toContainText("Permissions missing");
  await expect(row.getByRole("button", { name: "Reconnect @ada_sandbox (Blue Lantern)" })).toBeVisible();
  await page.getByRole("link", { name: "Permissions missing (1)" }).click();
  await expect(page.getByTestId("reconnect-row")).toHaveCount(1);
  refreshSecrets(keyport, ["Blue Lantern"]);
  expect((await leaks.result()).hits).toEqual([]);
});

test("redirect_uri not registered at the app: X's dead end, no redirect; the setup guide explains it", async ({ page, emu, keyport }) => {
  await signInOwner(page);
  await emu.control.updateApp(app.clientId, { callbackUrls: ["http://127.0.0.1:9/elsewhere/callback"] });
  try {
    await openBrand(page, "Blue Lantern");
    await page.getByRole("button", { name: "Connect X account" }).click();
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`^${emu.url}/`));
  } finally {
    await emu.control.updateApp(app.clientId, { callbackUrls: [callbackOf(keyport.url)] });
  }
  // The guide (folded once the app is set up) names that page and its cause.
  await page.goto(`${keyport.url}/settings/x`);
  await page.locator("details#guide > summary").click();
  const advice = page.getByText(/X shows “Something went wrong/);
  await expect(advice).toBeVisible();
  await expect(advice.locator("..")).toContainText("the callback URL above is not on the app's list");
  await expect(page.getByTestId("callback-url")).toHaveText(callbackOf(keyport.url));
});

test("X answers 500 at the token endpoint, then at users/me: X unreachable, try again; nothing connected", async ({ page, emu, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  captureCodes(page, keyport, secrets);
  await signInOwner(page);
  for (const fault of [{ method: "POST", path: "/2/oauth2/token" }, { method: "GET", path: "/2/users/me" }]) {
    await emu.control.injectFault({ ...fault, status: 500, times: 1 });
    await openBrand(page, "Blue Lantern");
    await page.getByRole("button", { name: "Connect X account" }).click();
    await authorizeAs(page, "northwindstudio");
    await expect(outcome(page)).toContainText("X could not be reached");
    await expect(outcome(page)).toContainText("Try again in a minute");
    await expect(card(page, "northwindstudio")).toHaveCount(0);
  }
  refreshSecrets(keyport, ["Blue Lantern"]);
  expect((await leaks.result()).hits).toEqual([]);
});

test("precedence and wrong secret: a brand override connects through its own app; a regenerated secret is explained", async ({ page, emu, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  captureCodes(page, keyport, secrets);
  await signInOwner(page);
  await createBrand(page, "Northwind");
  seedCredentials(keyport, brandApp, "Northwind");
  await emu.control.clearRequests();

  await openBrand(page, "Northwind");
  await expect(page.getByText(/New connections go through this brand's own X app/)).toBeVisible();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await authorizeAs(page, "northwindstudio");
  await expect(outcome(page)).toContainText("Connected @northwindstudio");
  await expect(card(page, "northwindstudio")).toContainText(`Brand override (Client ID ${brandApp.clientId.slice(0, 6)}…)`);
  // Which app X saw: the override at authorize and at the token endpoint; the default elsewhere.
  expect((await emu.control.requests({ path: "/i/oauth2/authorize", method: "GET" })).map((r) => r.clientId)).toEqual([brandApp.clientId]);
  expect((await emu.control.requests({ path: "/2/oauth2/token" })).map((r) => r.clientId)).toEqual([brandApp.clientId]);

  // The secret is regenerated in the portal while the person is on X's page.
  await page.getByRole("button", { name: "Reconnect @northwindstudio" }).click();
  await expect(page.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();
  secrets.push({ name: "regenerated brand secret", value: await emu.control.regenerateSecret(brandApp.clientId) });
  await authorizeAs(page, "northwindstudio");
  await expect(outcome(page)).toContainText("X rejected the app's credentials");
  await expect(outcome(page)).toContainText("unauthorized_client");
  await outcome(page).getByRole("link", { name: "Open the X app setup guide" }).click();
  await expect(page).toHaveURL(`${keyport.url}/settings/x`);

  await openBrand(page, "Blue Lantern");
  await emu.control.clearRequests();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await authorizeAs(page, "bluelanterncafe");
  await expect(outcome(page)).toContainText("Connected @bluelanterncafe");
  expect((await emu.control.requests({ path: "/2/oauth2/token" })).map((r) => r.clientId)).toEqual([app.clientId]);
  refreshSecrets(keyport, ["Blue Lantern", "Northwind"]);
  expect((await leaks.result()).hits).toEqual([]);
});

test("hosted link: a signed-out client connects through it; reuse and expiry are refused", async ({ page, browser, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  await signInOwner(page);
  await createBrand(page, "Café Client");
  await openBrand(page, "Café Client");
  await page.getByRole("button", { name: "Create connect link" }).click();
  const url = (await page.getByTestId("connect-link-url").textContent())!.trim();
  expect(url).toMatch(new RegExp(`^${keyport.url}/connect/[A-Za-z0-9_-]{43}$`));
  await expect(page.getByTestId("connect-link-row").first()).toContainText("Active");

  const client = await browser.newContext();
  const clientPage = await client.newPage();
  const clientLeaks = watchKeyportForLeaks(clientPage, keyport.url, () => secrets);
  captureCodes(clientPage, keyport, secrets);
  await clientPage.goto(url);
  await expect(clientPage.getByRole("heading", { name: "Connect your X account to Café Client" })).toBeVisible();
  await expect(clientPage.getByText("Acme Agency")).toBeVisible();
  await clientPage.getByRole("button", { name: "Connect X account" }).click();
  await authorizeAs(clientPage, "ada_sandbox");
  await expect(clientPage).toHaveURL(new RegExp(`^${url}\\?attempt=`));
  await expect(clientPage.getByTestId("connect-outcome")).toContainText("Connected @ada_sandbox");
  await expect(clientPage.getByText("You can close this page.")).toBeVisible();

  // Reuse: the same link in yet another browser.
  const again = await browser.newContext();
  const againPage = await again.newPage();
  await againPage.goto(url);
  await expect(againPage.getByText("This link has already been used")).toBeVisible();
  await expect(againPage.getByRole("button", { name: "Connect X account" })).toHaveCount(0);

  // Staff see the account, connected through the link, and the link as used.
  await page.reload();
  await expect(card(page, "ada_sandbox")).toContainText("The client, through a connect link");
  await expect(page.getByTestId("connect-link-row").first()).toContainText("Used — connected @ada_sandbox");

  // Expiry.
  await page.getByRole("button", { name: "Create connect link" }).click();
  const second = (await page.getByTestId("connect-link-url").textContent())!.trim();
  expect(second).not.toBe(url);
  expireConnectLinks(keyport);
  await againPage.goto(second);
  await expect(againPage.getByText("This link has expired")).toBeVisible();
  await expect(againPage.getByRole("button", { name: "Connect X account" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("connect-link-row").first()).toContainText("Expired");

  refreshSecrets(keyport, ["Café Client"]);
  expect((await clientLeaks.result()).hits).toEqual([]);
  expect((await leaks.result()).hits).toEqual([]);
  await client.close();
  await again.close();
});

test("disconnect: revoke calls reach X in order; with X down, tokens are still deleted and the person is told", async ({ page, emu, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => secrets);
  await signInOwner(page);
  await openBrand(page, "Blue Lantern");
  await emu.control.clearRequests();
  await page.getByRole("button", { name: "Disconnect @bluelanterncafe" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("revoke its access to @bluelanterncafe");
  await dialog.getByRole("button", { name: "Disconnect @bluelanterncafe" }).click();
  await expect(page.getByText("Disconnected @bluelanterncafe. X has revoked Keyport's access.")).toBeVisible();
  const revokes = await emu.control.requests({ path: "/2/oauth2/revoke" });
  expect(revokes.map((r) => [r.params?.token_type_hint, r.status])).toEqual([
    ["refresh_token", 200],
    ["access_token", 200],
  ]);
  await expect(card(page, "bluelanterncafe")).toHaveCount(0);
  await page.getByText("Disconnected accounts (1)").click();
  await expect(card(page, "bluelanterncafe")).toContainText("Disconnected");
  expect(storedAccounts(keyport, "Blue Lantern").find((a) => a.username === "bluelanterncafe")).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null, refreshTokenSealed: null });

  // X down: the other account.
  await emu.control.injectFault({ method: "POST", path: "/2/oauth2/revoke", status: 503 });
  await page.getByRole("button", { name: "Disconnect @ada_sandbox" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect @ada_sandbox" }).click();
  await expect(page.getByText(/Disconnected @ada_sandbox in Keyport, but revocation at X did not happen/)).toBeVisible();
  expect(storedAccounts(keyport, "Blue Lantern").find((a) => a.username === "ada_sandbox")).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null, refreshTokenSealed: null });
  expect((await leaks.result()).hits).toEqual([]);
});

test("no token, code or verifier in any server log line", async ({ keyport }) => {
  refreshSecrets(keyport, ["Blue Lantern", "Northwind", "Café Client"]);
  expect(secrets.filter((s) => s.name === "authorization code").length).toBeGreaterThan(3);
  expect(findSecrets(keyport.logs(), secrets)).toEqual([]);
});
