// Contract §1 and §3: developer apps as the portal accepts them, the consent page and its form,
// and X's "Something went wrong" dead end (400, never a redirect) for every bad request.
import { describe, expect, it } from "vitest";
import { XEmulatorControlError } from "./control-client";
import { bearer, pkce, PUBLIC_CLIENT_ID, SANDBOX, token, sharedEmulator, USERS, wire, type Tokens } from "./test-helpers";

const emulator = sharedEmulator();
const { verifier, challenge } = pkce();

function authorizeUrl(overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    response_type: "code",
    client_id: SANDBOX.clientId,
    redirect_uri: SANDBOX.redirectUri,
    scope: "tweet.read users.read offline.access",
    state: "st-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...overrides,
  };
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null));
  return `${emulator().authorizeUrl}?${query}`;
}

const get = (url: string) => fetch(url, { redirect: "manual" }).then(wire);

/** Loads the consent page and submits its form the way a browser would. */
async function submitConsent(url: string, decision: "allow" | "deny", userId?: string) {
  const page = await get(url);
  expect(page.status).toBe(200);
  const nonce = /name="nonce" value="([^"]+)"/.exec(page.text)![1]!;
  const form = new URLSearchParams({ nonce, decision, ...(userId ? { user_id: userId } : {}) });
  const response = await fetch(`${emulator().url}/i/oauth2/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  }).then(wire);
  return { response, nonce, location: response.headers.get("location") };
}

function expectSomethingWentWrong(res: Awaited<ReturnType<typeof get>>) {
  expect(res.status).toBe(400);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(res.text).toContain("<h1>Something went wrong</h1>");
  expect(res.text).toContain("You weren't able to give access to the App.");
}

describe("the Something went wrong page (no redirect)", () => {
  it.each<[string, Record<string, string | null>]>([
    ["an unregistered redirect_uri", { redirect_uri: "http://127.0.0.1:3999/api/integrations/twitter/callback" }],
    ["the localhost spelling of a registered callback", { redirect_uri: SANDBOX.redirectUri.replace("127.0.0.1", "localhost") }],
    ["a trailing slash the app did not register", { redirect_uri: `${SANDBOX.redirectUri}/` }],
    ["https instead of the registered http", { redirect_uri: SANDBOX.redirectUri.replace("http:", "https:") }],
    ["another port", { redirect_uri: SANDBOX.redirectUri.replace(":3000", ":3001") }],
    ["the port left out", { redirect_uri: SANDBOX.redirectUri.replace(":3000", "") }],
    ["a path in another case", { redirect_uri: SANDBOX.redirectUri.replace("/callback", "/Callback") }],
    ["a query string the app did not register", { redirect_uri: `${SANDBOX.redirectUri}?brand=1` }],
    ["a missing redirect_uri", { redirect_uri: null }],
    ["an unknown client", { client_id: Buffer.from("ZZZZZZZZZZZZZZZZZZZZ:1:ci").toString("base64url") }],
    ["a missing client_id", { client_id: null }],
    ["response_type=token", { response_type: "token" }],
    ["a missing response_type", { response_type: null }],
    ["a missing scope", { scope: null }],
    ["an unknown scope", { scope: "tweet.read users.read superpowers" }],
    ["a missing state", { state: null }],
    ["a state over 500 characters", { state: "s".repeat(501) }],
    ["a missing code_challenge", { code_challenge: null }],
    ["a missing code_challenge_method", { code_challenge_method: null }],
    ["an unsupported code_challenge_method", { code_challenge_method: "S512" }],
  ])("%s", async (_name, overrides) => {
    expectSomethingWentWrong(await get(authorizeUrl(overrides)));
  });

  it("an app without OAuth 2.0 set up", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { oauth2Enabled: false });
    expectSomethingWentWrong(await get(authorizeUrl()));
  });

  it("a reused or forged consent form", async () => {
    const { response, nonce } = await submitConsent(authorizeUrl(), "allow");
    expect(response.status).toBe(302);
    const again = await fetch(`${emulator().url}/i/oauth2/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ nonce, decision: "allow" }).toString(),
      redirect: "manual",
    }).then(wire);
    expectSomethingWentWrong(again);
  });

  it("the app's callbacks changed while the consent page was open", async () => {
    const page = await get(authorizeUrl());
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.text)![1]!;
    await emulator().control.updateApp(SANDBOX.clientId, { callbackUrls: ["http://127.0.0.1:3999/cb"] });
    const res = await fetch(`${emulator().url}/i/oauth2/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ nonce, decision: "allow" }).toString(),
      redirect: "manual",
    }).then(wire);
    expectSomethingWentWrong(res);
  });

  it("authorize-direct reports the same failures as a 400 with the reason", async () => {
    const attempt = emulator().control.authorizeDirect({ clientId: SANDBOX.clientId, redirectUri: "http://127.0.0.1:1/x", scope: "tweet.read", state: "s", codeChallenge: challenge });
    await expect(attempt).rejects.toBeInstanceOf(XEmulatorControlError);
    await expect(attempt).rejects.toMatchObject({ status: 400, body: { error: "something_went_wrong" } });
  });
});

describe("the consent page", () => {
  it("shows the app, the signed-in user (first by default), the scopes and the two buttons", async () => {
    const res = await get(authorizeUrl({ scope: "tweet.read+users.read" }).replace("tweet.read%2Busers.read", "tweet.read+users.read"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Keyport Sandbox wants to access your X account.");
    expect(res.text).toContain("@ada_sandbox");
    expect(res.text).toMatch(new RegExp(`value="${USERS.ada}" checked`));
    expect(res.text).toContain("(tweet.read)");
    expect(res.text).toContain("(users.read)");
    expect(res.text).toContain(">Authorize app</button>");
    expect(res.text).toContain(">Cancel</button>");
  });

  it("a state of exactly 500 characters is fine", async () => {
    expect((await get(authorizeUrl({ state: "s".repeat(500) }))).status).toBe(200);
  });

  it("login_hint or the control API's signed-in user preselects someone else", async () => {
    expect((await get(authorizeUrl({ login_hint: "bluelanterncafe" }))).text).toMatch(new RegExp(`value="${USERS.blue}" checked`));
    await emulator().control.signInAs("northwindstudio");
    expect((await get(authorizeUrl())).text).toMatch(new RegExp(`value="${USERS.north}" checked`));
  });

  it("escapes the app name", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { name: "<script>x</script>" });
    const res = await get(authorizeUrl());
    expect(res.text).not.toContain("<script>x</script>");
    expect(res.text).toContain("&#60;script&#62;");
  });
});

describe("the decision", () => {
  it("Authorize app: 302 to redirect_uri with state and code; the code works for the chosen user", async () => {
    const { response, location } = await submitConsent(authorizeUrl(), "allow", USERS.blue);
    expect(response.status).toBe(302);
    expect(location!.startsWith(`${SANDBOX.redirectUri}?`)).toBe(true);
    const query = new URL(location!).searchParams;
    expect(query.get("state")).toBe("st-1");
    const code = query.get("code")!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const tokens = (await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier })).body as Tokens;
    const me = await bearer(emulator(), "/2/users/me", tokens.access_token);
    expect((me.body as { data: { username: string } }).data.username).toBe("bluelanterncafe");
  });

  it("Cancel: 302 to redirect_uri with error=access_denied and state", async () => {
    const { response, location } = await submitConsent(authorizeUrl({ state: "a b&c" }), "deny");
    expect(response.status).toBe(302);
    expect(location).toBe(`${SANDBOX.redirectUri}?error=access_denied&state=a%20b%26c`);
  });

  it("cancelRedirect=bare: Cancel sends back only the state", async () => {
    await emulator().control.setSwitches({ cancelRedirect: "bare" });
    const { location } = await submitConsent(authorizeUrl(), "deny");
    expect(location).toBe(`${SANDBOX.redirectUri}?state=st-1`);
  });

  it("a redirect_uri with a query string gets the parameters appended with &", async () => {
    const withQuery = "http://127.0.0.1:3000/cb?brand=7";
    await emulator().control.updateApp(SANDBOX.clientId, { callbackUrls: [withQuery] });
    const { location } = await submitConsent(authorizeUrl({ redirect_uri: withQuery }), "allow");
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:3000\/cb\?brand=7&state=st-1&code=[A-Za-z0-9_-]+$/);
  });

  it("authorize-direct returns the Location for approve and deny", async () => {
    const input = { clientId: SANDBOX.clientId, redirectUri: SANDBOX.redirectUri, scope: ["tweet.read", "users.read"], state: "s1", codeChallenge: challenge };
    const approved = await emulator().control.authorizeDirect({ ...input, userId: "northwindstudio" });
    expect(approved).toMatchObject({ state: "s1", error: null });
    expect(approved.location).toBe(`${SANDBOX.redirectUri}?state=s1&code=${approved.code}`);
    const denied = await emulator().control.authorizeDirect({ ...input, deny: true });
    expect(denied).toEqual({ location: `${SANDBOX.redirectUri}?error=access_denied&state=s1`, code: null, state: "s1", error: "access_denied" });
  });
});

describe("developer apps", () => {
  it("client ids decode to <20 chars>:1:ci (confidential) or :1:na (public); secrets are ~50 chars", async () => {
    const confidential = await emulator().control.createApp({ name: "Web", callbackUrls: ["https://keyport.example/cb"] });
    expect(confidential.clientId).toMatch(/^[A-Za-z0-9_-]{34}$/);
    expect(Buffer.from(confidential.clientId, "base64url").toString()).toMatch(/^[A-Za-z0-9_-]{20}:1:ci$/);
    expect(confidential.clientSecret).toMatch(/^[A-Za-z0-9_-]{50}$/);
    const pub = await emulator().control.createApp({ name: "Native", type: "public", callbackUrls: ["myapp://cb"] });
    expect(Buffer.from(pub.clientId, "base64url").toString()).toMatch(/:1:na$/);
    expect(pub.clientSecret).toBeNull();
    expect(Buffer.from(SANDBOX.clientId, "base64url").toString()).toMatch(/^.{20}:1:ci$/);
    expect(Buffer.from(PUBLIC_CLIENT_ID, "base64url").toString()).toMatch(/^.{20}:1:na$/);
  });

  it.each([
    ["localhost", "http://localhost:3000/cb"],
    ["a .localhost name", "http://app.localhost/cb"],
    ["localhost with a trailing dot", "http://localhost.:3000/cb"],
    ["LOCALHOST in capitals", "http://LOCALHOST:3000/cb"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,hi"],
    ["file:", "file:///etc/passwd"],
    ["ftp:", "ftp://example.com/cb"],
    ["mailto:", "mailto:a@example.com"],
    ["telnet:", "telnet://example.com"],
    ["not a URL", "not a url"],
    ["a fragment", "https://example.com/cb#x"],
  ])("refuses a callback with %s", async (_name, url) => {
    await expect(emulator().control.createApp({ name: "Bad", callbackUrls: [url] })).rejects.toMatchObject({ status: 400 });
  });

  it("takes up to 10 callback URLs, not 11", async () => {
    const urls = Array.from({ length: 11 }, (_, i) => `https://keyport.example/cb${i}`);
    await expect(emulator().control.createApp({ name: "Ten", callbackUrls: urls.slice(0, 10) })).resolves.toMatchObject({ callbackUrls: urls.slice(0, 10) });
    await expect(emulator().control.createApp({ name: "Eleven", callbackUrls: urls })).rejects.toMatchObject({ status: 400 });
    await expect(emulator().control.updateApp(SANDBOX.clientId, { callbackUrls: urls })).rejects.toMatchObject({ status: 400 });
  });

  it("changing the type to public drops the secret; back to confidential issues a new one", async () => {
    const app = await emulator().control.updateApp(SANDBOX.clientId, { type: "public" });
    expect(app.clientSecret).toBeNull();
    const back = await emulator().control.updateApp(SANDBOX.clientId, { type: "confidential" });
    expect(back.clientSecret).toMatch(/^[A-Za-z0-9_-]{50}$/);
    expect(back.clientSecret).not.toBe(SANDBOX.clientSecret);
  });
});
