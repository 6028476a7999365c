// Notifications in the browser: an account broken at the X emulator shows as a count on the
// Reconnect navigation item and as a banner on its brand's page; an admin adds a webhook
// endpoint, sees its secret once, sends a test event and finds it delivered in the log — signed
// so that the standardwebhooks library verifies it at the receiver.
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startXEmulator, type XEmulator } from "./x-emulator/index";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup, OWNER, signIn } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";
import { watchForLeaks } from "./support/leaks";
import { startReceiver, type Receiver } from "./support/webhook-receiver";

let emu: XEmulator;
let keyport: Keyport;
let receiver: Receiver;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  emu = await startXEmulator({ seed: { apps: [], users: [{ id: "1790000000000000001", name: "Ada Sandbox", username: "ada_sandbox" }] } });
  receiver = await startReceiver();
  // The receiver runs on 127.0.0.1: only the test flag lets webhooks go there.
  keyport = await launchKeyport({ env: { X_AUTHORIZE_URL: emu.authorizeUrl, X_API_BASE_URL: emu.apiBaseUrl, KEYPORT_ALLOW_PRIVATE_WEBHOOKS: "true" } });
});
test.afterAll(async () => {
  await keyport?.stop();
  await receiver?.close();
  await emu?.close();
});

test("a broken account shows on the Reconnect item and as a banner on its brand's page", async ({ page }) => {
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  await completeSetup(page, keyport.url);
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.getByLabel("New brand name").fill("Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Lantern", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Reconnect", exact: true })).toBeVisible();
  await expect(page.getByTestId("attention-banner")).toHaveCount(0);

  await emu.control.revokeUserGrants(app.clientId, "ada_sandbox");
  await page.getByRole("button", { name: "Check all with X" }).click();
  await expect(page.getByText("Checked 1 account: 0 working, 1 needs reconnecting.")).toBeVisible();

  await expect(nav.getByRole("link", { name: "Reconnect (1 account needs attention)" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Reconnect (1 account needs attention)" }).getByTestId("attention-badge")).toHaveText("1");
  const banner = page.getByRole("region", { name: "This brand's X account needs attention" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("1 · Access revoked at X");
  await banner.getByRole("link", { name: "Reconnect it below" }).click();
  await expect(page).toHaveURL(/#accounts-heading$/);

  // The badge is on every page, and the banner's other link leads to the list.
  await banner.getByRole("link", { name: "Everything that needs attention" }).click();
  await expect(page).toHaveURL(/\/admin\/connections$/);
  await expect(page.getByText("@ada_sandbox").first()).toBeVisible();
  await expect(nav.getByRole("link", { name: "Reconnect (1 account needs attention)" }).getByTestId("attention-badge")).toHaveText("1");
});

test("add a webhook endpoint, see its secret once, send a test event and find it delivered", async ({ page }) => {
  await signIn(page, keyport.url, OWNER.email, OWNER.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByText("No endpoints yet. Add one below.")).toBeVisible();

  // A bad URL gets a specific error and loses nothing typed.
  await page.getByLabel("Endpoint URL").fill("ftp://example.com/hooks");
  await page.getByLabel("Description (optional)").fill("Ops alerts");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText("Enter a full URL, starting with https://.")).toBeVisible();
  await expect(page.getByLabel("Description (optional)")).toHaveValue("Ops alerts");

  await page.getByLabel("Endpoint URL").fill(`${receiver.url}/keyport`);
  await page.getByLabel("account.recovered").uncheck();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secretBox = page.getByTestId("webhook-secret-value");
  await expect(secretBox).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const secret = (await secretBox.textContent())!;
  receiver.secret = secret;
  await expect(page.getByTestId("endpoint-row")).toHaveCount(1);
  await expect(page.getByTestId("endpoint-row")).toContainText("No deliveries yet");

  // From here on, the secret must never reach the browser again.
  const leaks = watchForLeaks(page, () => [{ name: "webhook secret", value: secret }]);
  await page.getByRole("link", { name: "Open the endpoint to send a test event" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${receiver.url}/keyport`);
  await expect(page.getByText("Nothing sent yet.")).toBeVisible();
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("test-result")).toContainText("Test event delivered: the endpoint answered 204");
  const row = page.getByTestId("delivery-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("webhook.test");
  await expect(row).toContainText("Delivered");
  await expect(row).toContainText("204");

  // The receiver verified it with the standardwebhooks library, with the secret shown once.
  expect(receiver.requests).toHaveLength(1);
  const [request] = receiver.requests;
  expect(request!.verified).toBe(true);
  expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toMatchObject({ type: "webhook.test" });
  await row.getByText("Attempts and webhook-id").click();
  await expect(row).toContainText(String(request!.headers["webhook-id"]));

  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Healthy");
  expect(await page.content()).not.toContain(secret);
  await page.goto(`${keyport.url}/settings/webhooks`);
  await expect(page.getByTestId("endpoint-row")).toContainText("Healthy");
  const { hits, scanned } = await leaks.result();
  expect(scanned).toBeGreaterThan(3);
  expect(hits).toEqual([]);
  expect(keyport.logs()).not.toContain(secret);
});
