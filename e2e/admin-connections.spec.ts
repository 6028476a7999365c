// /admin/connections in a browser: an account broken at the X emulator shows with the right
// reason; an admin selects it, makes a reconnect link, the client opens it in a browser of their
// own and reconnects at X, and the account is ACTIVE again. Then the four list pages at phone
// width: rows stack, nothing scrolls sideways.
import { expect, type Page } from "@playwright/test";
import { aDayPasses, callbackOf, seedCredentials, watchKeyportForLeaks } from "./connect-helpers";
import { OWNER, signIn } from "./support/flows";
import { sandboxTest } from "./support/sandbox";
import { startReceiver, type Receiver } from "./support/webhook-receiver";

// The background worker runs (a pass every 2 s), so webhooks go out as they would in production.
const test = sandboxTest({ users: ["ada_sandbox"], env: { KEYPORT_WORKER: "on", KEYPORT_WORKER_INTERVAL_MS: "2000", KEYPORT_ALLOW_PRIVATE_WEBHOOKS: "true" } });
let app: { clientId: string; clientSecret: string };
let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async ({ emu, keyport }) => {
  const a = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  app = { clientId: a.clientId, clientSecret: a.clientSecret! };
});

test("broken at X → listed with the reason → reconnect link → the client reconnects → ACTIVE again", async ({ page, browser, emu, keyport }) => {
  const leaks = watchKeyportForLeaks(page, keyport.url, () => [{ name: "Client Secret", value: app.clientSecret }]);
  await setUp(page, keyport.url);
  seedCredentials(keyport, app);
  await page.getByLabel("New brand name").fill("Lantern");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Lantern", exact: true }).click();
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByText("Connected @ada_sandbox").first()).toBeVisible();

  // The agency's ops tool listens for account events.
  await page.goto("/settings/webhooks");
  await page.getByLabel("Endpoint URL").fill(`${receiver.url}/keyport`);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  receiver.secret = (await page.getByTestId("webhook-secret-value").textContent())!;
  await page.goto("/brands");
  await page.getByRole("link", { name: "Lantern", exact: true }).click();

  // The person revokes Keyport at X. A day later the worker's sweep proves the grant (its daily
  // unbilled refresh), X refuses it, and the account is listed: nobody pressed Check now.
  await emu.control.revokeUserGrants(app.clientId, "ada_sandbox");
  const billedBefore = await emu.control.costs();
  expect(aDayPasses(keyport)).toBe(1);
  await expect(async () => {
    await page.goto("/admin/connections");
    await expect(page.getByTestId("reconnect-row").filter({ hasText: "@ada_sandbox" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // The nav badge counts it, and the sweep's proof cost nothing (a token refresh is not billed).
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reconnect (1 account needs attention)" }).getByTestId("attention-badge")).toHaveText("1");
  expect((await emu.control.costs()).total.calls).toBe(billedBefore.total.calls);
  await expect(page.getByRole("heading", { name: "Connections needing attention", level: 1 })).toBeVisible();
  const row = page.getByTestId("reconnect-row").filter({ hasText: "@ada_sandbox" });
  await expect(row).toContainText("Lantern");
  await expect(row).toContainText("Needs reconnect");
  // X refused the refresh: from that alone nobody can tell a revoked grant from a broken chain.
  await expect(row).toContainText("Token refresh failing");
  await expect(row).toContainText("Value passed for the token was invalid.");
  await expect(row).toContainText("Workspace default");
  await expect(page.getByText("1 account", { exact: true })).toBeVisible();

  // Reason filter in the URL: shareable.
  await page.getByRole("link", { name: "Token refresh failing (1)" }).click();
  await expect(page).toHaveURL(/reason=refresh-failing/);
  await expect(page.getByTestId("reconnect-row")).toHaveCount(1);

  await page.getByRole("checkbox", { name: "Select @ada_sandbox (Lantern)" }).check();
  await expect(page.getByText("1 account selected")).toBeVisible();
  await page.getByRole("button", { name: "Create reconnect links" }).click();
  const linkBox = page.getByRole("textbox", { name: "Reconnect link for @ada_sandbox" });
  await expect(linkBox).toBeVisible();
  const url = await linkBox.inputValue();
  expect(url).toMatch(new RegExp(`^${keyport.url}/connect/[A-Za-z0-9_-]{43}$`));
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const csv = await (await download).path().then((p) => import("node:fs").then((fs) => fs.readFileSync(p, "utf8")));
  expect(csv).toContain(`"ada_sandbox","Ada Sandbox","Lantern","${url}"`);

  // The client, in a browser of their own, with no Keyport account.
  const client = await browser.newContext();
  const clientPage = await client.newPage();
  await clientPage.goto(url);
  await expect(clientPage.getByRole("heading", { name: "Reconnect @ada_sandbox to Lantern" })).toBeVisible();
  await clientPage.getByRole("button", { name: "Connect X account" }).click();
  await clientPage.getByRole("button", { name: "Authorize app" }).click();
  await expect(clientPage.getByTestId("connect-outcome")).toContainText("@ada_sandbox");
  await client.close();

  // Nothing needs attention now; with every status shown it is ACTIVE.
  await page.goto("/admin/connections");
  await expect(page.getByText("Every connected X account is working. Nothing needs reconnecting.")).toBeVisible();
  await page.getByLabel("Status").selectOption("all");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=all/);
  await expect(page.getByTestId("reconnect-row").filter({ hasText: "@ada_sandbox" })).toContainText("Active");

  // The worker told the endpoint once per incident: broken, then reconnected — signed, verified.
  const events = () => receiver.handled.map((h) => (h.payload as { type: string; data: { account?: { username?: string } } }));
  await expect.poll(() => events().map((e) => e.type), { timeout: 30_000 }).toEqual(["account.needs_reconnect", "account.reconnected"]);
  expect(events().every((e) => JSON.stringify(e).includes("ada_sandbox"))).toBe(true);
  expect(receiver.requests.every((r) => r.verified)).toBe(true);
  expect((await leaks.result()).hits).toEqual([]);
});

test("check now is queued for the worker and shows its progress", async ({ page }) => {
  await signIn(page, "", OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible({ timeout: 60_000 }); // argon2 on a busy machine
  await page.goto("/admin/connections?status=ACTIVE");
  await page.getByRole("checkbox", { name: "Select all 1 on this page" }).check();
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByText("Queued a check of 1 account.")).toBeVisible();
  // The worker (a pass every 2 s here) takes it; the line follows until it is done.
  await expect(page.getByTestId("check-progress")).toContainText("All 1 checks done: 1 working", { timeout: 30_000 });
});

test("at phone width the four list pages stack their rows and never scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "", OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible({ timeout: 60_000 }); // argon2 on a busy machine
  for (const [path, heading] of [
    ["/admin/connections?status=all", "Connections"],
    ["/admin/audit", "Audit log"],
    ["/brands", "Brands"],
    ["/settings/members", `Members of ${OWNER.workspace}`],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(page.locator("table tbody tr").first()).toBeVisible();
    expect(await overflow(page), `${path} scrolls sideways at 390 px`).toEqual({ over: false });
  }
});

/** flows.completeSetup with room for argon2 on a machine shared by several test runs. */
async function setUp(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/`);
  await expect(page).toHaveURL(/\/setup$/, { timeout: 30_000 });
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByLabel("Agency workspace name").fill(OWNER.workspace);
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible({ timeout: 60_000 });
}

/**
 * Whether the page's own content (inside <main>) is wider than the phone. The header's navigation
 * belongs to the layout (another branch reworks it), so it is reported, not judged, here: once it
 * fits, `document` can replace `main` below.
 */
async function overflow(page: Page) {
  const result = await page.evaluate(() => {
    const root = document.documentElement;
    const main = document.querySelector("main")!;
    // A table that scrolls inside its own region (the cost panel's) is a deliberate choice, not overflow.
    const inOwnScroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== main; p = p.parentElement) if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const wide = [...main.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !inOwnScroller(el));
    const over = main.scrollWidth > main.clientWidth || wide.length > 0;
    return { over, page: root.scrollWidth > root.clientWidth ? `document ${root.scrollWidth} > ${root.clientWidth}` : null, culprits: wide.slice(0, 5).map((el) => `${el.tagName}.${el.className}`.slice(0, 120)) };
  });
  if (result.page) test.info().annotations.push({ type: "layout overflow (outside main)", description: result.page });
  return result.over ? result : { over: false };
}
