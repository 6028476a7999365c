import { expect, test } from "@playwright/test";
import { completeSetup, formAlert, OWNER, signIn, signOut } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";

let keyport: Keyport;
test.beforeAll(async () => {
  keyport = await launchKeyport();
});
test.afterAll(async () => keyport?.stop());

test.describe.configure({ mode: "serial" });

test("first-run setup, then brands: create, rename, delete", async ({ page }) => {
  await completeSetup(page, keyport.url);

  await page.getByLabel("New brand name").fill("Blue Bottle");
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name: "Blue Bottle" })).toBeVisible();

  await page.getByRole("button", { name: "Rename Blue Bottle" }).click();
  await page.getByLabel("New name for Blue Bottle").fill("Blue Bottle Coffee");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("link", { name: "Blue Bottle Coffee" })).toBeVisible();

  // From the keyboard: focus moves into the dialog (its code loads on first use), Escape closes it
  // and focus is back on the button that opened it.
  const deleteButton = page.getByRole("button", { name: "Delete Blue Bottle Coffee" });
  await deleteButton.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();

  await deleteButton.click();
  await expect(dialog).toContainText("“Blue Bottle Coffee”");
  await dialog.getByRole("button", { name: "Delete Blue Bottle Coffee" }).click();
  await expect(page.getByText("No brands yet")).toBeVisible();
});

test("setup is closed once the owner exists", async ({ page }) => {
  await page.goto(`${keyport.url}/setup`);
  await expect(page.getByRole("heading", { name: "Keyport is already set up" })).toBeVisible();
  await expect(page.getByLabel("Agency workspace name")).toHaveCount(0);
});

test("brand names with markup are shown as text; empty and over-long names get a field error", async ({ page }) => {
  await signIn(page, keyport.url, OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  const markup = `<img src=x onerror=alert(1)><script>alert(2)</script> Café ☕`;
  await page.getByLabel("New brand name").fill(markup);
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name: markup })).toBeVisible();
  expect(await page.locator("img[src=x]").count()).toBe(0);
  expect(dialogs).toBe(0);

  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByText("Give the brand a name.")).toBeVisible();
  await page.getByLabel("New brand name").fill("x".repeat(10_000));
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByText("Keep brand names to 80 characters.")).toBeVisible();
});

test("invite a member, who signs up and sees brands without manage buttons", async ({ page, browser }) => {
  await signIn(page, keyport.url, OWNER.email, OWNER.password);
  await page.getByLabel("New brand name").fill("Northwind");
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name: "Northwind" })).toBeVisible();

  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email").fill("mia@agency.test");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();
  expect(link).toMatch(new RegExp(`^${keyport.url}/invite/[A-Za-z0-9_-]{40,}$`));

  const invitee = await browser.newContext();
  const member = await invitee.newPage();
  await member.goto(link);
  await expect(member.getByRole("heading", { name: "Join Acme Agency" })).toBeVisible();
  await member.getByLabel("Your name").fill("Mia Member");
  await member.getByLabel("Choose a password").fill("another long password");
  await member.getByRole("button", { name: "Create account and join" }).click();
  await expect(member.getByRole("heading", { name: "Brands" })).toBeVisible();
  await expect(member.getByRole("link", { name: "Northwind" })).toBeVisible();
  await expect(member.getByRole("button", { name: /Rename|Delete|Create brand/ })).toHaveCount(0);
  await expect(member.getByLabel("New brand name")).toHaveCount(0);

  // The link was single-use.
  const other = await browser.newContext();
  const stranger = await other.newPage();
  await stranger.goto(link);
  await expect(stranger.getByText("This invite link has already been used.")).toBeVisible();
  await other.close();

  await member.goto(`${keyport.url}/settings/members`);
  await expect(member.getByRole("button", { name: /Remove/ })).toHaveCount(0);
  await expect(member.getByText("Invite someone")).toHaveCount(0);
  await invitee.close();
});

test("wrong password and unknown email get the same message; sign-out ends the session", async ({ page }) => {
  await signIn(page, keyport.url, OWNER.email, "not the password");
  await expect(formAlert(page)).toHaveText("Email or password is incorrect.");
  await signIn(page, keyport.url, "nobody@agency.test", "whatever password");
  await expect(formAlert(page)).toHaveText("Email or password is incorrect.");

  await signIn(page, keyport.url, OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  await signOut(page);
  await page.goto(`${keyport.url}/brands`);
  await expect(page).toHaveURL(/\/login$/);
});

test("repeated failures lock the email out with a clear message, even with the right password", async ({ page }) => {
  test.slow();
  const email = "mia@agency.test";
  for (let i = 0; i < 5; i++) {
    await signIn(page, keyport.url, email, `wrong guess ${i}`);
    await expect(formAlert(page)).toHaveText("Email or password is incorrect.", { timeout: 15_000 });
  }
  await signIn(page, keyport.url, email, "another long password");
  await expect(formAlert(page)).toHaveText(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./);
  await expect(page).toHaveURL(/\/login$/);
});

test("a session survives a server restart", async ({ page }) => {
  await signIn(page, keyport.url, OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  await keyport.restart();
  await page.goto(`${keyport.url}/brands`);
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  await expect(page.getByText(OWNER.name)).toBeVisible();
});

test("every page names the favicon, and it is served as an SVG", async ({ page, request }) => {
  await page.goto(`${keyport.url}/login`);
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await request.get(`${keyport.url}${href}`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect(await icon.text()).toContain("<svg");
});
