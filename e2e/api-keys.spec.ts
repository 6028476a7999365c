// API keys in a real browser against `next start`: create one, see it once, use it from outside
// (fetch, as a script would), revoke it, see it refused. Then, with a valid key and no session,
// walk every page, route and server action the build has: none of them accepts the key.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { completeSetup } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";
import { watchForLeaks } from "./support/leaks";

let keyport: Keyport;
let workingKey = "";
let brandId = "";
const BRAND = "Acme Client Co";

test.beforeAll(async () => {
  keyport = await launchKeyport();
});
test.afterAll(async () => keyport?.stop());
test.describe.configure({ mode: "serial" });

const api = (pathname: string, key: string | null, init: RequestInit = {}) =>
  fetch(`${keyport.url}/api/v1${pathname}`, { ...init, headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(init.headers as Record<string, string>) } });

async function createKey(page: import("@playwright/test").Page, name: string, scopes: string[]) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  for (const scope of ["accounts:read", "posts:write", "links:write"]) {
    const box = page.getByRole("checkbox", { name: new RegExp(scope) });
    if (scopes.includes(scope)) await box.check();
    else await box.uncheck();
  }
  await page.getByLabel("Expires").selectOption("30");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toBeVisible();
  return (await shown.textContent())!.trim();
}

test("create a key, see it once, call the API with it, revoke it, and it is refused", async ({ page }) => {
  test.setTimeout(180_000); // a whole journey, on a shared 2-core machine
  await completeSetup(page, keyport.url);
  await page.getByLabel("New brand name").fill(BRAND);
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name: BRAND })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  // Nothing chosen: a clear error, nothing created.
  await page.getByLabel("Name", { exact: true }).fill("Nothing");
  await page.getByRole("checkbox", { name: /accounts:read/ }).uncheck();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Choose at least one permission.")).toBeVisible();

  const key = await createKey(page, "CRM sync", ["accounts:read", "links:write"]);
  expect(key).toMatch(/^kp_live_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("will never show it again")).toBeVisible();

  // Used from outside Keyport, as a script would.
  const brands = await api("/brands", key);
  expect(brands.status).toBe(200);
  expect(brands.headers.get("ratelimit-limit")).toBe("120");
  expect(brands.headers.get("ratelimit-remaining")).toBe("119");
  const body = (await brands.json()) as { data: { id: string; name: string }[] };
  expect(body.data.map((b) => b.name)).toEqual([BRAND]);
  brandId = body.data[0]!.id;
  const link = await api(`/brands/${brandId}/connect-links`, key, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  // No X app yet: the link would only fail for the client, so it is refused, clearly.
  expect(link.status).toBe(409);
  expect(link.headers.get("content-type")).toBe("application/problem+json");
  expect(await link.json()).toMatchObject({ code: "no_x_app", status: 409 });

  // Shown once: after "Done" and on every later visit, only the last four characters remain.
  const leaks = watchForLeaks(page, () => [{ name: "API key", value: key.slice(8) }]);
  await page.getByRole("button", { name: "Done, I have copied it" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await page.reload();
  const row = page.getByTestId("api-key-row").filter({ hasText: "CRM sync" });
  await expect(row).toContainText(`kp_live_…${key.slice(-4)}`);
  await expect(row).toContainText("accounts:read");
  await expect(row).toContainText("links:write");
  await expect(row).toContainText("by Olivia Owner");
  await expect(row.getByRole("cell").nth(3)).not.toHaveText("Never");
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(key.slice(8));

  // Revoke, with confirmation; then the key is refused.
  await row.getByRole("button", { name: "Revoke CRM sync" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`kp_live_…${key.slice(-4)}`);
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  const refused = await api("/brands", key);
  expect(refused.status).toBe(401);
  expect(refused.headers.get("content-type")).toBe("application/problem+json");
  expect(await refused.json()).toMatchObject({ code: "api_key_revoked", status: 401 });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  for (const label of ["API key created", "API key revoked", "Revoked API key used"]) await expect(page.getByTestId("audit-row").filter({ hasText: label }).first()).toBeVisible();
  const { hits } = await leaks.result();
  expect(hits).toEqual([]);
  expect(keyport.logs()).not.toContain(key.slice(8));

  // A key for the walk below: every permission.
  await page.goto(`${keyport.url}/settings/api-keys`);
  workingKey = await createKey(page, "Walker", ["accounts:read", "posts:write", "links:write"]);
  expect((await api("/brands", workingKey)).status).toBe(200);
});

test("with a valid key and no session, every page, route and server action refuses", async () => {
  test.setTimeout(180_000);
  expect(workingKey).not.toBe("");
  const auth = { Authorization: `Bearer ${workingKey}` };
  const problems: string[] = [];
  const routes = discoverRoutes();
  expect(routes.length).toBeGreaterThan(15);

  for (const route of routes) {
    if (route.pattern.startsWith("/api/v1")) continue; // where keys do work (their own tests)
    const url = `${keyport.url}${route.sample}`;
    for (const method of route.methods) {
      const response = await fetch(url, { method, headers: { ...auth, origin: keyport.url }, redirect: "manual", body: method === "GET" ? undefined : "" });
      const text = await response.text();
      const location = response.headers.get("location") ?? "";
      const toLogin = response.status >= 300 && response.status < 400 && new URL(location, keyport.url).pathname === "/login";
      const refused = [401, 403, 404].includes(response.status) || toLogin;
      const publicPage = PUBLIC[route.pattern];
      const verdict = refused || (publicPage ? publicPage(response.status, location) : false);
      if (!verdict) problems.push(`${method} ${route.pattern} → ${response.status} ${location}`);
      // Whatever a public page answers, nothing of the workspace is in it.
      // (The brand's id may be echoed from the URL it was asked with; its name must not appear.)
      if (text.includes(BRAND) || (!route.sample.includes(brandId) && text.includes(brandId))) problems.push(`${method} ${route.pattern} shows workspace data`);
    }
  }

  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { workers: Record<string, unknown>; exportedName: string }> };
  const actions = Object.entries(manifest.node);
  expect(actions.length).toBeGreaterThan(15);
  expect(actions.map(([, a]) => a.exportedName)).toEqual(expect.arrayContaining(["createApiKeyAction", "revokeApiKeyAction", "saveXCredentialsAction", "createInviteAction"]));
  const outcomes = { login: 0, signedOut: 0, refused: 0, other: 0 };
  for (const [id, action] of actions) {
    const page = Object.keys(action.workers)[0]!;
    const url = `${keyport.url}${samplePath(page.replace(/^app/, "").replace(/\/page$/, ""))}`;
    const args = ACTION_ARGS[action.exportedName] ?? [{ brandId, accountId: "x", keyId: "x", linkId: "x", inviteId: "x", membershipId: "x", name: "Hijacked", scopes: ["accounts:read"], email: "evil@example.com", role: "OWNER" }];
    const response = await fetch(url, {
      method: "POST",
      headers: { ...auth, origin: keyport.url, "next-action": id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      body: JSON.stringify(args),
      redirect: "manual",
    });
    const text = await response.text();
    const redirectTo = response.headers.get("x-action-redirect") ?? response.headers.get("location") ?? "";
    const toLogin = redirectTo.split(";")[0]!.endsWith("/login");
    const refusedResult = response.status === 200 && (/"ok":false/.test(text) || (PUBLIC_ACTIONS.has(action.exportedName) && /"error":"/.test(text))) && !/"ok":true/.test(text);
    const signedOut = /You are signed out/.test(text);
    // The action must really have run and refused (a 404 "unknown action" would prove nothing):
    // session-bound actions answer "signed out", public ones (sign-in, setup, invite) fail on
    // their own terms, sign-out sends to /login.
    const ok = toLogin || (refusedResult && (PUBLIC_ACTIONS.has(action.exportedName) || signedOut));
    outcomes[toLogin ? "login" : signedOut ? "signedOut" : refusedResult ? "refused" : "other"]++;
    if (!ok) problems.push(`action ${action.exportedName} → ${response.status} ${redirectTo} ${text.slice(0, 200)}`);
    if (text.includes("kp_live_")) problems.push(`action ${action.exportedName} answered a key`);
  }
  expect(problems).toEqual([]);
  expect(outcomes).toEqual({ login: 1, signedOut: actions.length - 1 - PUBLIC_ACTIONS.size, refused: PUBLIC_ACTIONS.size, other: 0 });

  // Nothing changed: the brand is there under its name, and only the two keys exist.
  const after = (await (await api("/brands", workingKey)).json()) as { data: { name: string }[] };
  expect(after.data.map((b) => b.name)).toEqual([BRAND]);
});

test("the API reference at /docs/api works offline and matches openapi.json", async ({ page }) => {
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== keyport.url) {
      foreign.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  await page.goto(`${keyport.url}/docs/api`);
  await expect(page.getByRole("heading", { name: "Keyport API reference", level: 1 })).toBeVisible();
  const doc = (await (await fetch(`${keyport.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary: string; operationId: string }>> };
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const section = page.locator(`#op-${op.operationId}`);
      await expect(section).toContainText(method.toUpperCase());
      await expect(section).toContainText(`/api/v1${p}`);
      await expect(section).toContainText(op.summary);
    }
  }
  await expect(page.locator("#problem-rate_limited")).toContainText("429");
  await page.getByRole("link", { name: "rate_limited" }).first().click();
  await expect(page).toHaveURL(/#problem-rate_limited$/);
  expect(foreign).toEqual([]);
  const html = await (await fetch(`${keyport.url}/docs/api`)).text();
  for (const [, src] of html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)) expect(src!.startsWith("/") && !src!.startsWith("//"), src).toBe(true);
});

// ---------------------------------------------------------------------------------------------

/** Pages and routes open to anyone by design, and what they may answer a stranger. */
const PUBLIC: Record<string, (status: number, location: string) => boolean> = {
  "/login": (s) => s === 200,
  "/setup": (s) => s === 200, // "Keyport is already set up"
  "/docs/api": (s) => s === 200,
  "/connect/[token]": (s) => s === 200, // "This link isn't valid"
  "/invite/[token]": (s) => s === 200, // "This invite isn't valid"
  "/api/health": (s) => s === 200,
  "/api/auth/[...nextauth]": (s) => s === 200 || s === 400 || s === 302, // Auth.js: an empty session, or its own error page
  // Without a session or link cookie the OAuth endpoints only send the browser back to a page.
  "/api/integrations/twitter/callback": (s) => s === 302 || s === 400,
  "/api/integrations/twitter/connect-link": (s, l) => s === 303 && l.includes("/connect/"),
  // Browsers post CSP violation reports without credentials; an empty one is refused.
  "/api/csp-report": (s) => s === 400 || s === 204,
};
// Actions that answer a form's state ({ error }) rather than an ActionResult: sign-in, setup and
// the invite forms take FormData and refuse anything else before looking any further.
const PUBLIC_ACTIONS = new Set(["signInAction", "setupAction", "acceptInviteAction", "joinInviteAction"]);
const ACTION_ARGS: Record<string, unknown[]> = {
  switchWorkspaceAction: ["x"],
  signOutAction: [],
  signInAction: [{ email: "owner@agency.test", password: "" }],
};

type Route = { pattern: string; sample: string; methods: string[] };

function discoverRoutes(dir = "app"): Route[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return discoverRoutes(full);
    const pattern = urlPattern(path.dirname(full));
    if (entry === "page.tsx") return [{ pattern, sample: samplePath(pattern), methods: ["GET"] }];
    if (entry === "route.ts") {
      const source = readFileSync(full, "utf8");
      const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => new RegExp(`export (async function ${m}\\b|const \\{[^}]*\\b${m}\\b|const ${m}\\b)`).test(source) || new RegExp(`export const \\{[^}]*\\} = handlers`).test(source) && ["GET", "POST"].includes(m));
      return [{ pattern, sample: samplePath(pattern), methods }];
    }
    return [];
  });
}

function urlPattern(dir: string) {
  const segments = path.relative("app", dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

function samplePath(pattern: string) {
  return pattern
    .split("/")
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (s === "[brandId]" ? brandId : s === "[...nextauth]" ? "session" : s === "[[...path]]" ? "anything" : s === "[token]" ? "not-a-valid-token-000000000000000000000" : s.replace(/^\[.*\]$/, "x")))
    .join("/");
}
