// The brand page's composer: write, see X's weighted count and the link-cost warning, post, get the
// link to the post on X, and see the app's 24-hour post quota drop on /settings/x.
import { expect } from "@playwright/test";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: ["ada_sandbox"] });
test.setTimeout(180_000);

test("post from the composer: weighted counter, URL warning, link to the post, quota drops", async ({ page, emu, keyport }) => {
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  await completeSetup(page, keyport.url);
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.getByLabel("New brand name").fill("Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Lantern", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();

  const composer = page.getByRole("region", { name: "Post to X" });
  await expect(composer.getByLabel("Post as")).toHaveValue(/.+/);
  const text = composer.getByLabel("Post text");
  await text.fill("Grand opening 🎉 https://example.com/opening");
  // 13 + 1 + 2 (emoji) + 1 + 23 (link) = 40.
  await expect(composer.getByText("40 / 280")).toBeVisible();
  await expect(composer.getByText("Counting double here: 🎉")).toBeVisible();
  await expect(composer.getByRole("status").filter({ hasText: "about 13 times a plain post" })).toBeVisible();

  await text.fill("Hello from the Lantern café, posted with Keyport");
  await expect(composer.getByText("about 13 times a plain post")).toHaveCount(0);
  await composer.getByRole("button", { name: "Post to X" }).click();
  const link = composer.getByRole("link", { name: "view the post on X" });
  await expect(link).toBeVisible({ timeout: 30_000 });
  const [tweet] = await emu.control.tweets();
  expect(tweet?.text).toBe("Hello from the Lantern café, posted with Keyport");
  await expect(link).toHaveAttribute("href", `https://x.com/ada_sandbox/status/${tweet!.id}`);

  // The same text again: X refuses duplicates, and the composer says what to do.
  await text.fill("Hello from the Lantern café, posted with Keyport");
  await composer.getByRole("button", { name: "Post to X" }).click();
  await expect(composer.getByRole("alert")).toContainText("Change the text");

  // Both requests reached X and X counts both against the app's day (a refused duplicate too).
  await page.goto(`${keyport.url}/settings/x`);
  await expect(page.getByText("9,998 of 10,000 posts left")).toBeVisible();
  await expect(page.getByText("@ada_sandbox: 2,398 of 2,400 posts left")).toBeVisible();
});
