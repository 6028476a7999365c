// Sign-in as an attacker and a script-less browser see it: forms POST even without JavaScript
// (nothing typed lands in a URL), a failure leaves one log line, and a client cannot reset the
// per-address limit by inventing X-Forwarded-For headers.
import { request as httpRequest } from "node:http";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { formAlert, OWNER } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";

let keyport: Keyport;
test.beforeAll(async () => {
  keyport = await launchKeyport();
});
test.afterAll(async () => keyport?.stop());
test.describe.configure({ mode: "serial" });

const INVITEE = { name: "Nora Nojs", password: "nora's long password" };

/** A browser with JavaScript off that records every URL it requests. */
async function scriptless(browser: Browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const requests: { method: string; url: string }[] = [];
  page.on("request", (r) => requests.push({ method: r.method(), url: r.url() }));
  return { context, page, requests };
}

function expectNoSecretInUrls(requests: { url: string }[], page: Page, secret: string) {
  const encoded = [secret, encodeURIComponent(secret), new URLSearchParams({ p: secret }).toString().slice(2)];
  for (const { url } of [...requests, { url: page.url() }]) {
    for (const e of encoded) expect(url, "a password in a URL").not.toContain(e);
  }
}

test("without JavaScript, first-run setup posts its form and signs the owner in", async ({ browser }) => {
  const { context, page, requests } = await scriptless(browser);
  await page.goto(`${keyport.url}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByLabel("Agency workspace name").fill(OWNER.workspace);
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  expect(requests.some((r) => r.method === "POST" && r.url.endsWith("/setup"))).toBe(true);
  expectNoSecretInUrls(requests, page, OWNER.password);
  await context.close();
});

test("without JavaScript, sign-in shows its errors, keeps the email, and signs in; the password never reaches a URL", async ({ browser }) => {
  const { context, page, requests } = await scriptless(browser);
  await page.goto(`${keyport.url}/login`);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(formAlert(page)).toHaveText("Email or password is incorrect.");
  await expect(page.getByLabel("Email")).toHaveValue(OWNER.email);
  await expect(page.getByLabel("Password")).toHaveValue("");
  expect(new URL(page.url()).search).toBe("");

  // The browser's own required-field checks are off (noValidate); the server's come back.
  await page.getByLabel("Email").fill("");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();

  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
  expect(requests.filter((r) => r.url.includes("/login")).every((r) => r.method === "POST" || !r.url.includes("?"))).toBe(true);
  expectNoSecretInUrls(requests, page, OWNER.password);
  expectNoSecretInUrls(requests, page, "not the password");
  await context.close();
});

test("without JavaScript, an invitee creates an account and joins", async ({ browser, page }) => {
  await page.goto(`${keyport.url}/login`);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email").fill("nora@agency.test");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();

  const { context, page: invitee, requests } = await scriptless(browser);
  await invitee.goto(link);
  await invitee.getByLabel("Your name").fill(INVITEE.name);
  await invitee.getByLabel("Choose a password").fill("short");
  await invitee.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(invitee.getByLabel("Your name")).toHaveValue(INVITEE.name);
  await invitee.getByLabel("Choose a password").fill(INVITEE.password);
  await invitee.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.getByRole("heading", { name: "Brands" })).toBeVisible();
  await expect(invitee.getByText(INVITEE.name)).toBeVisible();
  expectNoSecretInUrls(requests, invitee, INVITEE.password);
  await context.close();
});

test("a failed sign-in leaves exactly one structured log line, and no Auth.js 'Read more' noise", async ({ page }) => {
  const lines = () => keyport.logs().split("\n").filter((l) => l.includes("[auth]"));
  const before = lines().length;
  await page.goto(`${keyport.url}/login`);
  // With JavaScript, the shared schema answers in the browser first: nothing is posted.
  const posts: string[] = [];
  page.on("request", (r) => void (r.method() === "POST" && posts.push(r.url())));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  expect(posts).toEqual([]);
  await page.getByLabel("Email").fill("Logline@Agency.test");
  await page.getByLabel("Password").fill("a wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(formAlert(page)).toHaveText("Email or password is incorrect.");
  await expect.poll(() => lines().length).toBe(before + 1);
  const line = lines().at(-1)!;
  expect(line).toMatch(/^\[auth\] sign-in failed \{"outcome":"unknown-email","email":"[0-9a-f]{16}","ip":"127\.0\.0\.1"\}$/);
  expect(line).not.toMatch(/logline|wrong password/i);
  expect(keyport.logs()).not.toContain("Read more");
});

test("inventing X-Forwarded-For headers does not reset the per-address limit; another real address is unaffected", async ({ page }) => {
  test.slow();
  // Straight at Auth.js's credentials endpoint, as a script would, a new email and a new
  // made-up forwarded address on every try.
  let lockedAfter = 0;
  for (let i = 1; i <= 31 && !lockedAfter; i++) {
    const answer = await credentialsAttempt(keyport.url, `spray${i}@agency.test`, { "x-forwarded-for": `203.0.113.${i}, 198.51.100.${i}` });
    if (answer === "locked") lockedAfter = i;
    else expect(answer).toBe("wrong");
  }
  // 30 per address and window; a few failures from earlier tests came from this address too.
  expect(lockedAfter).toBeGreaterThan(20);
  expect(lockedAfter).toBeLessThanOrEqual(31);

  // The sign-in page, with yet another invented address, is locked too, even for the owner.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "192.0.2.200", "x-real-ip": "192.0.2.201" });
  await page.goto(`${keyport.url}/login`);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(formAlert(page)).toHaveText(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./);

  // A connection from another loopback address is another client: the limit is per socket address.
  expect(await credentialsAttempt(keyport.url, "other@agency.test", {}, "127.0.0.2")).toBe("wrong");

  // Lockouts too leave only the one structured line each; the invented addresses appear nowhere.
  const authLines = keyport.logs().split("\n").filter((l) => l.includes("[auth]"));
  expect(authLines.filter((l) => l.includes('"outcome":"locked"')).length).toBeGreaterThan(1);
  for (const line of authLines) expect(line).toMatch(/^\[auth\] sign-in failed \{"outcome":"[a-z-]+","email":"[0-9a-f]{16}","ip":"127\.0\.0\.[12]"\}$/);
  expect(keyport.logs()).not.toContain("Read more");
});

/** One POST to /api/auth/callback/credentials (with its CSRF token): "wrong", "locked" or what else came back. */
async function credentialsAttempt(base: string, email: string, headers: Record<string, string>, localAddress?: string) {
  const csrf = await raw(base, "GET", "/api/auth/csrf", { headers, localAddress });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookie = csrf.setCookie.map((c) => c.split(";")[0]).join("; ");
  const body = new URLSearchParams({ email, password: "guessing wrong", csrfToken }).toString();
  const answer = await raw(base, "POST", "/api/auth/callback/credentials", {
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
    localAddress,
  });
  const location = answer.location ?? "";
  if (/code=locked/.test(location)) return "locked";
  if (/error=CredentialsSignin&code=credentials/.test(location)) return "wrong";
  return `${answer.status} ${location}`;
}

function raw(base: string, method: string, path: string, options: { headers: Record<string, string>; body?: string; localAddress?: string }) {
  return new Promise<{ status: number; body: string; location?: string; setCookie: string[] }>((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method, headers: options.headers, localAddress: options.localAddress }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location, setCookie: res.headers["set-cookie"] ?? [] }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
