// Every page on a 390 px phone, in the states a new agency meets them (empty, set up, with working
// and dead accounts): nothing wider than the screen, and axe (run offline from node_modules) finds
// nothing. Each page is judged on its own (soft assertions), so one report lists every page that
// fails. Also: the navigation marks the current page at phone and desktop widths, a dead account
// shows no renewal, Check all stays visible, the walkthrough's advice follows the scopes asked for.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { OWNER } from "./support/flows";
import { sandboxTest } from "./support/sandbox";

const test = sandboxTest({ users: ["ada_sandbox", "bluelanterncafe"] });
const PHONE = { width: 390, height: 844 };

test.use({ viewport: PHONE });

/** Horizontal overflow (with the widest offenders named) and axe violations on the page as it is now. */
async function problemsOn(page: Page): Promise<string[]> {
  await page.waitForLoadState("load");
  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const wide = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && el.getClientRects().length > 0)
      .slice(-5)
      .map((el) => `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : ""} "${(el.textContent ?? "").trim().slice(0, 40)}"`);
    return `scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}: ${wide.join(", ")}`;
  });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  return [
    ...(overflow ? [overflow] : []),
    ...axe.violations.map((v) => `axe ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
  ];
}

async function judge(page: Page, label: string) {
  expect.soft(await problemsOn(page), `${label} (${page.url()})`).toEqual([]);
}

test("every page at 390 px: no horizontal overflow, axe clean, in each state", async ({ page, emu, keyport }) => {
  test.setTimeout(600_000);
  const url = (path: string) => `${keyport.url}${path}`;

  await page.goto(url("/setup"));
  await judge(page, "setup");
  // The owner's password is hashed with argon2: on a loaded machine that alone can take seconds.
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByLabel("Agency workspace name").fill(OWNER.workspace);
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible({ timeout: 60_000 });
  await judge(page, "brands, empty");

  // Navigation: a compact menu naming the current page; the current item is marked.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByText("Menu")).toBeVisible();
  await nav.getByText("Menu").click();
  await expect(nav.getByRole("link", { name: "Brands" })).toHaveAttribute("aria-current", "page");
  await judge(page, "brands, menu open");
  await nav.getByRole("link", { name: "X app" }).click();
  await expect(page.getByRole("heading", { name: "X app", level: 1 })).toBeVisible();
  await expect(nav.getByText("Menu")).toContainText("X app");

  // The walkthrough, nothing saved: least privilege, so "Read and write" is the advice.
  await expect(page.getByTestId("permission-advice")).toContainText("Read and write.");
  await expect(page.getByRole("link", { name: /X Developer Console \(console\.x\.com\)/ })).toHaveAttribute("href", "https://console.x.com");
  await expect(page.getByTestId("jump-to-form")).toHaveCount(0);
  await judge(page, "X app, nothing saved");
  await page.getByRole("checkbox", { name: "Done: Create an app in the X Developer Console" }).check();
  await expect(page.getByTestId("jump-to-form")).toBeVisible();
  await judge(page, "X app, a step ticked");

  // Optional DM scopes: the advice follows.
  await page.getByText("Ask for more scopes (optional)").click();
  await page.getByRole("checkbox", { name: /^dm\.write —/ }).check();
  await page.getByRole("button", { name: "Save optional scopes" }).click();
  await expect(page.getByTestId("permission-advice")).toContainText("Read and write and Direct message");
  await expect(page.getByTestId("requested-scopes")).toContainText("dm.read");
  await page.getByRole("checkbox", { name: /^dm\.write —/ }).uncheck();
  await page.getByRole("checkbox", { name: /^dm\.read —/ }).uncheck();
  await page.getByRole("button", { name: "Save optional scopes" }).click();
  await expect(page.getByTestId("permission-advice")).toContainText("Read and write.");

  // Credentials saved (the app is only "Read and write": the default scopes need no more).
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write" });
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.reload();
  await expect(page.getByTestId("next-step")).toContainText("Create a brand");
  await judge(page, "X app, saved, next step");

  await page.goto(url("/brands"));
  await page.getByLabel("New brand name").fill("Lantern Coffee Roasters International Holdings");
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name: "Lantern Coffee Roasters International Holdings", exact: true })).toBeVisible();
  await judge(page, "brands, one brand");
  await page.getByRole("link", { name: "Lantern Coffee Roasters International Holdings", exact: true }).click();

  // No accounts yet: Check all is there, disabled, with its reason.
  await expect(page.getByRole("button", { name: "Check all with X" })).toBeDisabled();
  await expect(page.getByText("No accounts to check yet")).toBeVisible();
  await judge(page, "brand, no accounts");

  for (const who of ["ada_sandbox", "bluelanterncafe"]) {
    await page.getByRole("button", { name: "Connect X account" }).click();
    await page.getByRole("radio", { name: new RegExp(`@${who}`) }).check();
    await page.getByRole("button", { name: "Authorize app" }).click();
    await expect(page.getByText(`Connected @${who}`).first()).toBeVisible();
  }
  await expect(page.getByRole("button", { name: "Check now: @ada_sandbox" })).toBeVisible();
  await judge(page, "brand, two active accounts");

  // Both grants revoked at X: Check all marks them; the dead cards promise no renewal, and Check
  // all stays on the page, disabled, saying why.
  await emu.control.revokeUserGrants(app.clientId, "ada_sandbox");
  await emu.control.revokeUserGrants(app.clientId, "bluelanterncafe");
  await page.getByRole("button", { name: "Check all with X" }).click();
  await expect(page.getByText(/Checked 2 accounts/)).toBeVisible();
  await page.reload();
  const cards = page.getByTestId("account-card");
  await expect(cards.first()).toContainText("Access revoked at X");
  for (const card of await cards.all()) await expect(card).not.toContainText("renewed when next used");
  await expect(page.getByRole("button", { name: "Check all with X" })).toBeDisabled();
  await expect(page.getByText("No active account to check")).toBeVisible();
  await judge(page, "brand, accounts need reconnecting");

  await page.getByRole("button", { name: "Create connect link" }).click();
  const link = (await page.getByTestId("connect-link-url").textContent())!.trim();
  await judge(page, "brand, connect link shown");

  for (const [path, label] of [
    ["/admin/connections", "reconnect list (admin-owned)"],
    ["/admin/audit", "audit log (admin-owned)"],
    ["/settings/members", "members (admin-owned)"],
    ["/settings/api-keys", "API keys"],
    ["/settings/webhooks", "webhooks"],
    ["/settings/x", "X app, with accounts"],
  ] as const) {
    await page.goto(url(path));
    await judge(page, label);
  }

  await page.goto(url("/brands/no-such-brand"));
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.locator("main")).toHaveCount(1);
  await judge(page, "brand not found");

  // The hosted connect page, as the client sees it (signed out).
  const client = await page.context().browser()!.newContext({ viewport: PHONE });
  const clientPage = await client.newPage();
  await clientPage.goto(link);
  await expect(clientPage.getByRole("button", { name: "Connect X account" })).toBeVisible();
  await judge(clientPage, "hosted connect link");
  await clientPage.goto(url("/login"));
  await judge(clientPage, "sign-in");
  await client.close();

  // Desktop: the full navigation, current page marked.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(url("/settings/api-keys"));
  await expect(nav.getByText("Menu")).toBeHidden();
  await expect(nav.getByRole("link", { name: "API keys" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Brands" })).not.toHaveAttribute("aria-current", /.*/);
});
