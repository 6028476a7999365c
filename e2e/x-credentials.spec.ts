// The X app settings as a person uses them: walkthrough, paste, Test credentials, save,
// replace, brand override — with every response and the server log scanned for the secret.
import { expect, type Page } from "@playwright/test";
import { completeSetup, OWNER, signIn } from "./support/flows";
import { clientIdLeakProbe, findSecrets, watchForLeaks, type Secret } from "./support/leaks";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: [] });
let app: { clientId: string; clientSecret: string };
let brandApp: { clientId: string; clientSecret: string };
const secrets: Secret[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ emu, keyport }) => {
  const callbackUrls = [`${keyport.url}/api/integrations/twitter/callback`];
  const a = await emu.control.createApp({ name: "Agency app", callbackUrls });
  const b = await emu.control.createApp({ name: "Brand app", callbackUrls });
  app = { clientId: a.clientId, clientSecret: a.clientSecret! };
  brandApp = { clientId: b.clientId, clientSecret: b.clientSecret! };
  secrets.push(
    { name: "agency Client Secret", value: app.clientSecret },
    clientIdLeakProbe(app.clientId),
    { name: "brand Client Secret", value: brandApp.clientSecret },
    clientIdLeakProbe(brandApp.clientId),
  );
});

async function fillCredentials(page: Page, values: { clientId: string; clientSecret: string }, scope = page.locator("main")) {
  await scope.getByLabel("Client ID", { exact: true }).fill(values.clientId);
  await scope.getByLabel("Client Secret", { exact: true }).fill(values.clientSecret);
}

test("walkthrough → paste → test (invalid, then valid) → save → reload shows only the preview", async ({ page, emu, keyport }) => {
  const leaks = watchForLeaks(page, () => secrets);
  await completeSetup(page, keyport.url);
  await page.getByRole("link", { name: "X app" }).click();
  await expect(page.getByRole("heading", { name: "X app", level: 1 })).toBeVisible();

  // The guide: exact callback URL, steps that remember being ticked.
  await expect(page.getByTestId("callback-url")).toHaveText(`${keyport.url}/api/integrations/twitter/callback`);
  await expect(page.getByRole("button", { name: "Copy callback URL" })).toBeVisible();
  await expect(page.getByText("Native App and Single page App will not work", { exact: false })).toBeVisible();
  await page.getByRole("checkbox", { name: "Done: Create an app in the X Developer Console" }).check();
  await page.getByRole("checkbox", { name: "Done: Add the Callback URI / Redirect URL" }).check();
  await expect(page.getByText("2 of 8 steps ticked")).toBeVisible();
  await expect(page.getByText("(progress saved)")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Done: Add the Callback URI / Redirect URL" })).toBeChecked();

  // Client-side checks with specific messages; nothing reaches X.
  await page.getByRole("button", { name: "Test credentials" }).click();
  await expect(page.getByText("Paste the OAuth 2.0 Client ID.")).toBeVisible();
  await fillCredentials(page, { clientId: "xvz1evFS4wEEPTGEFPHBog1Ab", clientSecret: "abc def" });
  await expect(page.getByTestId("client-id-warning")).toContainText("OAuth 1.0a");
  await page.getByRole("button", { name: "Test credentials" }).click();
  await expect(page.getByText(/A Client Secret has only letters/)).toBeVisible();

  // Wrong secret: invalid, with the fix; the pending state shows while X answers.
  await emu.control.injectFault({ path: "/2/oauth2/token", delayMs: 800, times: 1 });
  await fillCredentials(page, { clientId: app.clientId, clientSecret: `${app.clientSecret.slice(0, -3)}zzz` });
  await page.getByRole("button", { name: "Test credentials" }).click();
  await expect(page.getByRole("button", { name: "Testing…" })).toBeDisabled();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-status", "invalid");
  await expect(page.getByTestId("test-result")).toContainText("unauthorized_client");

  // Right secret: the old verdict goes as soon as the field changes; testing again says valid.
  await page.getByLabel("Client Secret", { exact: true }).fill(app.clientSecret);
  await expect(page.getByTestId("test-result")).toHaveCount(0);
  await page.getByRole("button", { name: "Test credentials" }).click();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-status", "valid");

  await page.getByRole("button", { name: "Save credentials" }).click();
  await expect(page.getByText("Credentials saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("client-id-preview")).toHaveText(app.clientId.slice(0, 6));
  await expect(page.getByTestId("saved-credentials")).toContainText(OWNER.name);
  await expect(page.getByTestId("saved-credentials").getByTestId("test-result")).toHaveAttribute("data-status", "valid");
  await expect(page.getByLabel("Client Secret", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Client ID", { exact: true })).toHaveValue("");
  // Saved and tested: the guide folds away.
  await expect(page.locator("details#guide")).not.toHaveAttribute("open", "");

  // Retest the saved credentials; X down says inconclusive, not invalid.
  await emu.control.injectFault({ path: "/2/oauth2/token", status: 503, times: 1 });
  await page.getByRole("button", { name: "Test saved credentials" }).click();
  await expect(page.getByTestId("saved-credentials").getByTestId("test-result")).toHaveAttribute("data-status", "inconclusive");

  // The audit log has it all, without secrets.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-row")).toHaveCount(4);
  await page.getByLabel("Action").selectOption("credentials.created");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-row")).toHaveCount(1);

  const { hits, scanned } = await leaks.result();
  expect(scanned).toBeGreaterThan(10);
  expect(hits).toEqual([]);
});

test("brand override takes precedence; replacing shows the impact; removing falls back", async ({ page, emu, keyport }) => {
  const leaks = watchForLeaks(page, () => secrets);
  await signIn(page, keyport.url, OWNER.email, OWNER.password);
  await page.getByLabel("New brand name").fill("Northwind");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Northwind" }).click();
  await expect(page.getByTestId("effective-app")).toContainText("the workspace default X app");
  await expect(page.getByTestId("effective-app")).toContainText(app.clientId.slice(0, 6));

  await page.getByText("Use a different X app for this brand").click();
  const form = page.getByRole("form", { name: "X app credentials for Northwind" });
  await fillCredentials(page, brandApp, form);
  await form.getByRole("button", { name: "Save credentials" }).click();
  await expect(page.getByTestId("effective-app")).toContainText("this brand's own X app");
  await expect(page.getByTestId("client-id-preview")).toHaveText(brandApp.clientId.slice(0, 6));

  // Replace the brand's secret after regenerating it at X: the dialog shows the impact first.
  const newSecret = await emu.control.regenerateSecret(brandApp.clientId);
  secrets.push({ name: "regenerated brand secret", value: newSecret });
  await page.getByText("Replace this brand's app credentials").click();
  await fillCredentials(page, { clientId: brandApp.clientId, clientSecret: newSecret }, form);
  await form.getByRole("button", { name: "Replace credentials" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog.getByTestId("replace-impact")).toContainText("No connected accounts depend on the saved credentials.");
  await dialog.getByRole("button", { name: "Replace credentials" }).click();
  await expect(page.getByText("Credentials replaced.")).toBeVisible();

  await page.getByRole("button", { name: "Remove this brand's app" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("New connections will then use the workspace default app.");
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove this brand's app" }).click();
  await expect(page.getByTestId("effective-app")).toContainText("the workspace default X app");

  const { hits } = await leaks.result();
  expect(hits).toEqual([]);
});

test("the server log never contains a secret", async ({ keyport }) => {
  expect(findSecrets(keyport.logs(), secrets)).toEqual([]);
});
