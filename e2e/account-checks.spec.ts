// "Check now" in the browser: an X account whose owner removed the app on X's side shows up as
// needing reconnection, with the reason, on the brand page and in the Reconnect list.
import { expect } from "@playwright/test";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: ["ada_sandbox"] });

test("a grant revoked at X is found by Check now and listed for reconnection", async ({ page, emu, keyport }) => {
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  await completeSetup(page, keyport.url);
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.getByLabel("New brand name").fill("Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Lantern", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();

  await page.getByRole("button", { name: "Check now: @ada_sandbox" }).click();
  await expect(page.getByText("@ada_sandbox works: X accepted its token.")).toBeVisible();

  await emu.control.revokeUserGrants(app.clientId, "ada_sandbox");
  await page.getByRole("button", { name: "Check all with X" }).click();
  await expect(page.getByText("Checked 1 account: 0 working, 1 needs reconnecting.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "@ada_sandbox" }).getByText("Access revoked at X").first()).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reconnect (1 account needs attention)" }).click();
  await expect(page).toHaveURL(/\/admin\/connections$/);
  await expect(page.getByText("@ada_sandbox").first()).toBeVisible();
  await expect(page.getByText("Access revoked at X").first()).toBeVisible();
});
