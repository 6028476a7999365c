// The credentials form for keyboard and screen-reader users, and before its JavaScript loads:
// the Client ID warning is part of the field's description, focus comes back after the replace
// dialog, and a form submitted before hydration never puts the secret in a URL.
import { expect, type Page } from "@playwright/test";
import { completeSetup } from "./support/flows";
import { clientIdLeakProbe, findSecrets, type Secret } from "./support/leaks";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: [] });
let app: { clientId: string; clientSecret: string };
const secrets: Secret[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ emu, keyport }) => {
  const a = await emu.control.createApp({ name: "Agency app", callbackUrls: [`${keyport.url}/api/integrations/twitter/callback`] });
  app = { clientId: a.clientId, clientSecret: a.clientSecret! };
  secrets.push({ name: "Client Secret", value: app.clientSecret }, clientIdLeakProbe(app.clientId));
});

async function fill(page: Page, values: { clientId: string; clientSecret: string }) {
  await page.getByLabel("Client ID", { exact: true }).fill(values.clientId);
  await page.getByLabel("Client Secret", { exact: true }).fill(values.clientSecret);
}

test("the Client ID warning describes the field; focus returns after the replace dialog", async ({ page, keyport }) => {
  await completeSetup(page, keyport.url);
  await page.goto(`${keyport.url}/settings/x`);
  const clientId = page.getByLabel("Client ID", { exact: true });
  await clientId.fill("xvz1evFS4wEEPTGEFPHBog1Ab");
  await expect(page.getByTestId("client-id-warning")).toBeVisible();
  await expect(clientId).toHaveAccessibleDescription(/OAuth 1\.0a/);
  await clientId.fill(app.clientId);
  await expect(clientId).toHaveAccessibleDescription("OAuth 2.0 Client ID, about 34 characters.");

  await page.getByLabel("Client Secret", { exact: true }).fill(app.clientSecret);
  await page.getByRole("button", { name: "Save credentials" }).click();
  await expect(page.getByText("Credentials saved.")).toBeVisible();

  await fill(page, app);
  const replace = page.getByRole("button", { name: "Replace credentials" });
  await replace.click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(replace).toBeFocused();
});

test("submitting before the page's JavaScript runs keeps the secret out of the URL and the log", async ({ browser, page, keyport }) => {
  // Signed in by the previous test's setup: reuse its session in a browser without JavaScript.
  await page.goto(`${keyport.url}/login`);
  await page.getByLabel("Email").fill("owner@agency.test");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noJs = await context.newPage();
  const urls: string[] = [];
  noJs.on("request", (r) => urls.push(r.url()));
  await noJs.goto(`${keyport.url}/settings/x`);
  await fill(noJs, app);
  await noJs.getByLabel("Client Secret", { exact: true }).press("Enter");
  await noJs.waitForLoadState("load");
  await context.close();
  expect(urls.length).toBeGreaterThan(1);
  expect(findSecrets(urls.join("\n"), secrets)).toEqual([]);
  expect(findSecrets(keyport.logs(), secrets)).toEqual([]);
});
