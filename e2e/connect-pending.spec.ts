// The controls that start a connection say they are working while Keyport prepares the trip to
// X, and a second click in that moment starts nothing more: on the brand page and on the hosted
// connect link page (both a form's button). Both are plain forms: they work before hydration too.
import { expect, type Page } from "@playwright/test";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup } from "./support/flows";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: ["ada_sandbox"] });
let app: { clientId: string; clientSecret: string };

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ emu, keyport }) => {
  const created = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  app = { clientId: created.clientId, clientSecret: created.clientSecret! };
});

/**
 * Keeps the page where it is after clicks and form submissions (as if Keyport were slow to answer),
 * recording for each whether the page itself had already cancelled it. Runs after the page's own
 * handlers: it listens on window, where events arrive last.
 */
async function stayOnPage(page: Page) {
  await page.evaluate(() => {
    const seen: boolean[] = [];
    (window as unknown as { __seen: boolean[] }).__seen = seen;
    for (const type of ["click", "submit"]) {
      window.addEventListener(type, (event) => {
        const target = event.target as Element;
        if (type === "click" && !target.closest("a")) return;
        seen.push(event.defaultPrevented);
        event.preventDefault();
      });
    }
  });
  return () => page.evaluate(() => (window as unknown as { __seen: boolean[] }).__seen);
}

test("Connect on the brand page: busy while Keyport starts, a second click starts nothing", async ({ page, keyport }) => {
  await completeSetup(page, keyport.url);
  seedCredentials(keyport, app);
  await page.getByLabel("New brand name").fill("Pending Brand");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Pending Brand", exact: true }).click();
  const connect = page.getByRole("button", { name: "Connect X account" });
  await expect(connect).toBeVisible();

  await page.waitForLoadState("networkidle"); // hydrated: the button listens for the submit
  const seen = await stayOnPage(page);
  await connect.click();
  await expect(connect).toHaveAttribute("aria-busy", "true");
  await expect(connect).toBeDisabled();
  // A second click while it is busy sends nothing more.
  await connect.dispatchEvent("click");
  expect(await seen()).toEqual([false]);

  // For real this time: the trip to X goes ahead.
  await page.reload();
  await connect.click();
  await expect(page.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();

  // Back from X (bfcache or not), the button works again.
  await page.goBack();
  await expect(connect).toBeVisible();
  await expect(connect).not.toHaveAttribute("aria-busy", "true");
});

test("Connect before the page has hydrated (no JavaScript at all): the form still goes to X", async ({ browser, keyport, emu }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  // Sign-in is a client form; without JavaScript, take the session of a signed-in browser.
  const signedIn = await browser.newContext();
  const helper = await signedIn.newPage();
  await helper.goto(`${keyport.url}/login`);
  await helper.getByLabel("Email").fill("owner@agency.test");
  await helper.getByLabel("Password").fill("correct horse battery");
  await helper.getByRole("button", { name: "Sign in" }).click();
  await expect(helper.getByRole("heading", { name: "Brands" })).toBeVisible();
  await context.addCookies(await signedIn.cookies());
  await signedIn.close();

  await page.goto(`${keyport.url}/brands`);
  await page.getByRole("link", { name: "Pending Brand", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await expect(page).toHaveURL(new RegExp(`^${emu.url}/i/oauth2/authorize`));
  await expect(page.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();

  await context.close();
});

test("Connect on a hosted link page: the button is busy and disabled once the form is sent", async ({ page, browser, keyport }) => {
  await page.goto(`${keyport.url}/login`);
  await page.getByLabel("Email").fill("owner@agency.test");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Pending Brand", exact: true }).click();
  await page.getByRole("button", { name: "Create connect link" }).click();
  const url = (await page.getByTestId("connect-link-url").textContent())!.trim();

  const client = await browser.newContext();
  const clientPage = await client.newPage();
  await clientPage.goto(url);
  await clientPage.waitForLoadState("networkidle"); // hydrated: the button listens for the submit
  const button = clientPage.getByRole("button", { name: "Connect X account" });
  const seen = await stayOnPage(clientPage);
  await button.click();
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute("aria-busy", "true");
  expect(await seen()).toEqual([false]);
  await clientPage.reload();
  await button.click();
  await expect(clientPage.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();
  await client.close();
});

test("Disconnect: when the request fails outright, the dialog stops spinning and says so", async ({ page, keyport }) => {
  await page.goto(`${keyport.url}/login`);
  await page.getByLabel("Email").fill("owner@agency.test");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Pending Brand", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("radio", { name: /@ada_sandbox/ }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByTestId("connect-outcome")).toContainText("Connected @ada_sandbox");

  // The server action's request never gets an answer (network down, proxy error).
  await page.route((url) => url.pathname.startsWith("/brands/"), (route) => (route.request().headers()["next-action"] ? route.abort() : route.continue()));
  await page.getByRole("button", { name: "Disconnect @ada_sandbox" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByRole("button", { name: "Disconnect @ada_sandbox" }).click();
  await expect(page.getByText("Disconnecting @ada_sandbox failed unexpectedly.", { exact: false })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Disconnect @ada_sandbox" })).toBeEnabled();
  await expect(dialog.getByRole("button", { name: "Disconnect @ada_sandbox" })).not.toHaveAttribute("aria-busy", "true");
});
