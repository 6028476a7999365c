// "Check now" in the browser: an X account whose owner removed the app on X's side shows up as
// needing reconnection, with the reason, on the brand page and in the Reconnect list.
import { expect, test } from "@playwright/test";
import { startXEmulator, type XEmulator } from "./x-emulator/index";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";

let emu: XEmulator;
let keyport: Keyport;

test.beforeAll(async () => {
  emu = await startXEmulator({ seed: { apps: [], users: [{ id: "1790000000000000001", name: "Ada Sandbox", username: "ada_sandbox" }] } });
  keyport = await launchKeyport({ env: { X_AUTHORIZE_URL: emu.authorizeUrl, X_API_BASE_URL: emu.apiBaseUrl } });
});
test.afterAll(async () => {
  await keyport?.stop();
  await emu?.close();
});

test("a grant revoked at X is found by Check now and listed for reconnection", async ({ page }) => {
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)] });
  await completeSetup(page, keyport.url);
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.getByLabel("New brand name").fill("Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Lantern", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();

  await page.getByRole("button", { name: "Check @ada_sandbox with X now" }).click();
  await expect(page.getByText("@ada_sandbox works: X accepted its token.")).toBeVisible();

  await emu.control.revokeUserGrants(app.clientId, "ada_sandbox");
  await page.getByRole("button", { name: "Check all with X" }).click();
  await expect(page.getByText("Checked 1 account: 0 working, 1 needs reconnecting.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "@ada_sandbox" }).getByText("Access revoked at X").first()).toBeVisible();

  await page.getByRole("link", { name: "Reconnect", exact: true }).first().click();
  await expect(page).toHaveURL(/\/admin\/connections$/);
  await expect(page.getByText("@ada_sandbox").first()).toBeVisible();
  await expect(page.getByText("Access revoked at X").first()).toBeVisible();
});
