// The Content-Security-Policy in a real browser: every page Keyport serves (dashboard pages with
// real content — an X account with its avatar, connect links, the audit log —, sign-in, setup,
// invite and hosted-link pages, not-found, the callback's refusal page, a whole connect trip to X
// and back) runs with it and reports no violation, neither as a `securitypolicyviolation` event
// in the page nor as a report to Keyport's report endpoint. A script injected into a page is
// blocked, reported and logged without secrets. (A script that already runs may add scripts:
// 'strict-dynamic' trusts those by design; what it stops is markup that was never ours.)
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { startXEmulator, type XEmulator } from "./x-emulator/index";
import { callbackOf, seedCredentials } from "./connect-helpers";
import { completeSetup, OWNER } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";

let emu: XEmulator;
let keyport: Keyport;

test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  emu = await startXEmulator({ seed: { apps: [], users: [{ id: "1790000000000000001", name: "Ada Sandbox", username: "ada_sandbox" }] } });
  keyport = await launchKeyport({ env: { X_AUTHORIZE_URL: emu.authorizeUrl, X_API_BASE_URL: emu.apiBaseUrl } });
});
test.afterAll(async () => {
  await keyport?.stop();
  await emu?.close();
});

type Violation = { page: string; directive: string; blocked: string };

/** Collects every CSP violation event of every page in the context, across navigations. */
async function watchViolations(context: BrowserContext): Promise<Violation[]> {
  const seen: Violation[] = [];
  await context.exposeBinding("__cspViolation", (_source, v: Violation) => void seen.push(v));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __cspViolation: (v: unknown) => void }).__cspViolation({ page: location.pathname, directive: e.effectiveDirective, blocked: e.blockedURI });
    });
  });
  return seen;
}

function reportsLogged() {
  return keyport.logs().split("\n").filter((l) => l.includes("[csp]"));
}

async function visit(page: Page, path: string, heading: string | RegExp) {
  const response = await page.goto(`${keyport.url}${path}`);
  await expect(page.getByRole("heading", { name: heading, level: 1 }).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  return response!;
}

test("every page works under the policy and nothing is reported", async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  const violations = await watchViolations(context);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));

  // Setup (first run) and the dashboard it lands on.
  await completeSetup(page, keyport.url);
  const app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)], permission: "read-write-dm" });
  seedCredentials(keyport, { clientId: app.clientId, clientSecret: app.clientSecret! });
  await page.getByLabel("New brand name").fill("Policy Brand");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Policy Brand", exact: true }).click();

  // A whole connect trip: the form posts, Keyport redirects to X (form-action), X back to Keyport.
  await page.getByRole("button", { name: "Connect X account" }).click();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByTestId("connect-outcome")).toContainText("Connected @ada_sandbox");
  // The avatar comes from the emulator (X's own are https:) and loads.
  const avatar = page.getByRole("article", { name: /@ada_sandbox/ }).locator("img");
  await expect(avatar).toHaveJSProperty("complete", true);
  expect(await avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  // Client-side interactions: a toast, a server action, a dialog.
  await page.getByRole("button", { name: "Create connect link" }).click();
  const linkUrl = (await page.getByTestId("connect-link-url").textContent())!.trim();
  await page.getByRole("button", { name: "Check now: @ada_sandbox" }).click();
  await expect(page.getByText("@ada_sandbox works: X accepted its token.")).toBeVisible();
  await page.getByRole("button", { name: "Disconnect @ada_sandbox" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();

  const brandPath = new URL(page.url()).pathname;
  const first = await visit(page, brandPath, "Policy Brand");
  await visit(page, "/brands", "Brands");
  await visit(page, "/settings/x", "X app");
  await page.locator("details#guide > summary").click();
  await visit(page, "/settings/members", /Members of/);
  await page.getByLabel("Email").fill("new.person@agency.test");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const inviteUrl = (await page.getByTestId("invite-link").textContent())!.trim();
  await visit(page, "/admin/connections", "Connections needing attention");
  await visit(page, "/admin/audit", "Audit log");
  await visit(page, "/no-such-page", "Not found");
  await page.goto(`${keyport.url}/api/integrations/twitter/callback?state=nothing`);
  await expect(page.getByRole("heading", { name: "This connection can't be finished" })).toBeVisible();

  // The same pages for someone signed out: a client on the hosted link, an invitee, sign-in.
  const client = await browser.newContext();
  const clientViolations = await watchViolations(client);
  const clientPage = await client.newPage();
  await visit(clientPage, new URL(linkUrl).pathname, /Connect your X account/);
  await clientPage.getByRole("button", { name: "Connect X account" }).click();
  await expect(clientPage.getByRole("heading", { name: /wants to access your X account/ })).toBeVisible();
  await clientPage.getByRole("button", { name: "Cancel" }).click();
  await expect(clientPage.getByTestId("connect-outcome")).toContainText("cancelled");
  await visit(clientPage, new URL(inviteUrl).pathname, "Join Acme Agency");
  await visit(clientPage, "/login", "Sign in");
  await clientPage.getByLabel("Email").fill(OWNER.email);
  await clientPage.getByLabel("Password").fill("wrong password!!");
  await clientPage.getByRole("button", { name: "Sign in" }).click();
  await expect(clientPage.getByText("Email or password is incorrect.")).toBeVisible();

  // The policy itself, on a page's response (the browser has the headers, but fetch the HTML anew).
  const fresh = await page.request.get(`${keyport.url}${brandPath}`);
  const policy = fresh.headers()["content-security-policy"]!;
  expect(first.headers()["content-security-policy"]).toMatch(/^default-src 'self'; script-src 'self' 'nonce-/);
  const directives: Record<string, string[]> = Object.fromEntries(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  expect(directives["script-src"]).toEqual(expect.arrayContaining(["'strict-dynamic'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]{16,}'$/)]));
  expect(policy).not.toContain("unsafe-eval");
  expect(directives["script-src"]).not.toContain("'unsafe-inline'");
  expect(directives["frame-ancestors"]).toEqual(["'none'"]);
  expect(directives["object-src"]).toEqual(["'none'"]);
  expect(directives["base-uri"]).toEqual(["'self'"]);
  expect(directives["form-action"]).toEqual(["'self'", new URL(emu.authorizeUrl).origin]);
  expect(directives["img-src"]).toContain("https:");
  expect(directives["report-uri"]).toEqual(["/api/csp-report"]);
  // The headers that were there before stay.
  expect(first.headers()).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" });
  // Next's scripts carry this response's nonce, and the nonce is new on every response.
  const html = await fresh.text();
  const nonce = directives["script-src"]!.find((v) => v.startsWith("'nonce-"))!.slice(7, -1);
  expect(html.match(/<script\b[^>]*>/g)!.every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true);
  const again = await page.request.get(`${keyport.url}/login`);
  expect(again.headers()["content-security-policy"]).not.toContain(nonce);

  await page.waitForTimeout(1_000); // reports are sent asynchronously
  expect(violations).toEqual([]);
  expect(clientViolations).toEqual([]);
  expect(requests.filter((u) => u.includes("/api/csp-report"))).toEqual([]);
  expect(reportsLogged()).toEqual([]);
  await context.close();
  await client.close();
});

test("an injected script is blocked, the page reports it, and the log says what without secrets", async ({ browser }) => {
  const context = await browser.newContext();
  const violations = await watchViolations(context);
  const page = await context.newPage();
  await page.goto(`${keyport.url}/login`);
  const reported = page.waitForRequest((r) => r.url() === `${keyport.url}/api/csp-report` && r.method() === "POST");
  // Markup an attacker got into the page: an inline event handler and a javascript: link.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __ran?: number };
    document.body.insertAdjacentHTML("beforeend", `<img src="data:," onerror="window.__ran = 1"><a id="js-link" href="javascript:window.__ran = 2">x</a>`);
    (document.getElementById("js-link") as HTMLAnchorElement).click();
    await new Promise((r) => setTimeout(r, 300));
    return w.__ran ?? 0;
  });
  expect(ran).toBe(0);
  await reported;
  await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
  expect(violations.map((v) => v.directive)).toEqual(expect.arrayContaining(["script-src-attr", "script-src-elem"]));
  const where = new URL(page.url()).pathname; // /login (or /setup, run alone on a fresh Keyport)
  expect(violations.map((v) => v.page)).toEqual(violations.map(() => where));
  await expect.poll(() => reportsLogged().length).toBeGreaterThanOrEqual(2);
  expect(reportsLogged().sort()).toEqual([`[csp] blocked inline (script-src-attr) on ${where}`, `[csp] blocked inline (script-src-elem) on ${where}`]);
  await context.close();

  // A report naming a page with a token and a code, and a sample of the script: none of it is logged.
  const before = reportsLogged().length;
  const secretPage = `${keyport.url}/connect/${"T".repeat(43)}?code=SECRET-CODE-123#frag`;
  const response = await fetch(`${keyport.url}/api/csp-report`, {
    method: "POST",
    headers: { "content-type": "application/csp-report" },
    body: JSON.stringify({ "csp-report": { "document-uri": secretPage, "effective-directive": "img-src", "blocked-uri": "https://evil.example/leak?token=SECRET-TOKEN-456", "script-sample": "SECRET-SAMPLE-789" } }),
  });
  expect(response.status).toBe(204);
  await expect.poll(() => reportsLogged().length).toBe(before + 1);
  const line = reportsLogged().at(-1)!;
  expect(line).toBe("[csp] blocked https://evil.example (img-src) on /connect/:token");
  expect(keyport.logs()).not.toMatch(/SECRET-|TTTTTTTTTTTTTTTTTTTTTTTT/);
  // Junk is refused quietly.
  expect((await fetch(`${keyport.url}/api/csp-report`, { method: "POST", body: "{{{" })).status).toBe(400);
  expect((await fetch(`${keyport.url}/api/csp-report`, { method: "POST", body: "x".repeat(100_000) })).status).toBe(413);
});
