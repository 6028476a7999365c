// The emulator's consent page in a real browser: Authorize app and Cancel land on the client's
// callback with the right parameters; a bad request strands the user on "Something went wrong".
// Needs only the emulator: a tiny local server stands in for the client's callback.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { startXEmulator, type EmulatorApp, type XEmulator } from "./x-emulator/index";

let emulator: XEmulator;
let callbackServer: Server;
let callbackUrl: string;
let app: EmulatorApp;
const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");

test.beforeAll(async () => {
  emulator = await startXEmulator({ port: 0 });
  callbackServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>Callback</title><h1>Callback received</h1>");
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  const { port } = callbackServer.address() as { port: number };
  callbackUrl = `http://127.0.0.1:${port}/api/integrations/twitter/callback`;
  app = await emulator.control.createApp({ name: "Consent Spec App", callbackUrls: [callbackUrl], permission: "read-write" });
});

test.afterAll(async () => {
  await emulator?.close();
  await new Promise<void>((resolve) => (callbackServer ? callbackServer.close(() => resolve()) : resolve()));
});

function authorizeUrl(overrides: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: callbackUrl,
    scope: "tweet.read users.read offline.access",
    state: "spec-state-123",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...overrides,
  });
  return `${emulator.authorizeUrl}?${params}`;
}

test("Authorize app sends the browser to the callback with code and state, for the chosen user", async ({ page }) => {
  await page.goto(authorizeUrl());
  await expect(page.getByRole("heading", { name: "Consent Spec App wants to access your X account." })).toBeVisible();
  await expect(page.getByRole("radio", { name: /@ada_sandbox/ })).toBeChecked();
  await expect(page.getByText("(offline.access)")).toBeVisible();
  await page.getByRole("radio", { name: /@bluelanterncafe/ }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();

  await expect(page.getByRole("heading", { name: "Callback received" })).toBeVisible();
  const landed = new URL(page.url());
  expect(`${landed.origin}${landed.pathname}`).toBe(callbackUrl);
  expect(landed.searchParams.get("state")).toBe("spec-state-123");
  const code = landed.searchParams.get("code");
  expect(code).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(landed.searchParams.get("error")).toBeNull();

  // The code is real: it exchanges for tokens of the user picked on the page.
  const tokenResponse = await fetch(`${emulator.apiBaseUrl}/2/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: callbackUrl, code_verifier: verifier }).toString(),
  });
  expect(tokenResponse.status).toBe(200);
  const tokens = (await tokenResponse.json()) as { access_token: string; scope: string };
  expect(tokens.scope).toBe("tweet.read users.read offline.access");
  const me = await fetch(`${emulator.apiBaseUrl}/2/users/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(((await me.json()) as { data: { username: string } }).data.username).toBe("bluelanterncafe");
});

test("Cancel sends the browser to the callback with error=access_denied and state, no code", async ({ page }) => {
  await page.goto(authorizeUrl({ state: "cancel-state" }));
  await page.getByRole("button", { name: "Cancel" }).click();

  await expect(page.getByRole("heading", { name: "Callback received" })).toBeVisible();
  const landed = new URL(page.url());
  expect(`${landed.origin}${landed.pathname}`).toBe(callbackUrl);
  expect(landed.searchParams.get("error")).toBe("access_denied");
  expect(landed.searchParams.get("state")).toBe("cancel-state");
  expect(landed.searchParams.has("code")).toBe(false);
});

test("an unregistered redirect_uri strands the user on Something went wrong", async ({ page }) => {
  const response = await page.goto(authorizeUrl({ redirect_uri: `${callbackUrl}/` }));
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expect(page.getByText("You weren't able to give access to the App.")).toBeVisible();
  expect(page.url().startsWith(emulator.authorizeUrl)).toBe(true);
  const log = await emulator.control.requests({ path: "/i/oauth2/authorize" });
  expect(log.at(-1)).toMatchObject({ status: 400, location: null });
});
