// One clear state when X rejects an app (issue 10 §3), in the browser: the secret is regenerated
// at X, Check all finds out, and every page says so — /settings/x shows "Rejected by X" with
// Replace credentials as the primary action, the brand page's Connect and Reconnect wait and say
// why — until the credentials are replaced, after which the accounts only need a reconnect.
import { expect } from "@playwright/test";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: ["ada_sandbox"] });

test("secret regenerated at X → Check all → Rejected by X everywhere → Replace → reconnect", async ({ page, emu, keyport }) => {
  test.setTimeout(180_000);
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  await completeSetup(page, keyport.url);
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.getByLabel("New brand name").fill("Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Lantern", exact: true }).click();
  await page.waitForURL(/\/brands\/[^/?#]+$/);
  const brandUrl = page.url();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();

  // The developer regenerates the secret in X's portal; this X also ends the grants it issued.
  await emu.control.setSwitches({ secretRegenRevokesGrants: true });
  const newSecret = await emu.control.regenerateSecret(app.clientId);
  await page.getByRole("button", { name: "Check all with X" }).click();
  await expect(page.getByText("Checked 1 account: 0 working, 1 needs reconnecting.")).toBeVisible();

  // /settings/x: not "Valid" with 0 accounts, but rejected, with the broken account counted.
  await page.goto("/settings/x");
  const saved = page.getByTestId("saved-credentials");
  await expect(saved.getByTestId("credentials-rejected")).toContainText("Rejected by X");
  await expect(saved.getByTestId("credentials-rejected")).toContainText("unauthorized_client");
  await expect(saved.getByTestId("test-result")).toHaveCount(0);
  await expect(saved.getByTestId("dependents-count")).toContainText("1 (1 needs reconnecting because X rejected these credentials)");
  const replaceLink = saved.getByRole("link", { name: "Replace credentials" });
  await expect(replaceLink).toHaveAttribute("href", "#replace-credentials");

  // The brand page: Connect and Reconnect wait, and say why; the way out is replacing the credentials.
  await page.goto(brandUrl);
  await expect(page.getByRole("button", { name: "Connect X account" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Reconnect @ada_sandbox" })).toBeDisabled();
  await expect(page.getByTestId("connect-blocked")).toContainText("Connecting waits: X rejects the workspace default X app's credentials");
  await expect(page.getByRole("button", { name: "Connect X account" })).toHaveAccessibleDescription(/Connecting waits/);
  await expect(page.getByTestId("account-card")).toContainText("replace the credentials first");
  await page.getByTestId("connect-blocked").getByRole("link", { name: "Replace credentials" }).click();
  await expect(page).toHaveURL(/\/settings\/x#replace-credentials$/);

  // Replace: the dialog counts the broken account; afterwards it is one reconnect away.
  const form = page.getByRole("form", { name: "X app credentials" });
  await form.getByLabel("Client ID", { exact: true }).fill(app.clientId);
  await form.getByLabel("Client Secret", { exact: true }).fill(newSecret);
  await form.getByRole("button", { name: "Replace credentials" }).click();
  await expect(page.getByTestId("replace-impact")).toContainText("1 connected account");
  await expect(page.getByTestId("replace-impact")).toContainText("it already does, because X rejects these credentials");
  await page.getByRole("alertdialog").getByRole("button", { name: "Replace credentials" }).click();
  await expect(page.getByText("Credentials replaced.")).toBeVisible();
  await expect(page.getByTestId("credentials-rejected")).toHaveCount(0);

  await page.goto(brandUrl);
  await expect(page.getByTestId("connect-blocked")).toHaveCount(0);
  await expect(page.getByTestId("account-card")).toContainText("have been replaced since X rejected them; reconnect");
  await page.getByRole("button", { name: "Reconnect @ada_sandbox" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();
});
