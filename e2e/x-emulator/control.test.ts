// The control API itself: faults (status, delay, a lost reply that keeps its effect), the
// redacted request log, switches, reset, and start-up options.
import { afterEach, describe, expect, it, vi } from "vitest";
import { startXEmulator } from "./index";
import { basic, bearer, connect, getCode, post, revoke, SANDBOX, token, sharedEmulator, type Tokens } from "./test-helpers";

const emulator = sharedEmulator();
const refreshWith = (refreshToken: string) => token(emulator(), { grant_type: "refresh_token", refresh_token: refreshToken });

describe("faults", () => {
  it("status: answers with the injected status and body without doing the work", async () => {
    const { code, verifier } = await getCode(emulator());
    await emulator().control.injectFault({ path: "/2/oauth2/token", status: 503, body: { title: "Service Unavailable" }, headers: { "retry-after": "1" } });
    const params = { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier };
    const faulted = await token(emulator(), params);
    expect(faulted.status).toBe(503);
    expect(faulted.body).toEqual({ title: "Service Unavailable" });
    expect(faulted.headers.get("retry-after")).toBe("1");
    await emulator().control.clearFaults();
    expect((await token(emulator(), params)).status).toBe(200);
  });

  it("times and method limit which requests are hit", async () => {
    const tokens = await connect(emulator());
    await emulator().control.injectFault({ method: "GET", path: "/2/users/me", status: 500, body: "oops", times: 1 });
    const first = await bearer(emulator(), "/2/users/me", tokens.access_token);
    expect(first.status).toBe(500);
    expect(first.text).toBe("oops");
    expect((await bearer(emulator(), "/2/users/me", tokens.access_token)).status).toBe(200);
    expect(await emulator().control.faults()).toEqual([]);
  });

  it("delayMs: the answer comes late but is otherwise normal", async () => {
    const tokens = await connect(emulator());
    await emulator().control.injectFault({ path: "/2/users/me", delayMs: 300 });
    const started = Date.now();
    const res = await bearer(emulator(), "/2/users/me", tokens.access_token);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(200);
  });

  it("delayMs with a status: a slow error", async () => {
    await emulator().control.injectFault({ path: "/2/oauth2/revoke", delayMs: 200, status: 502 });
    const started = Date.now();
    const res = await revoke(emulator(), { token: "x", token_type_hint: "access_token" });
    expect(res.status).toBe(502);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("loseReply: the refresh happens (old token rotated) but the client gets no answer", async () => {
    await emulator().control.setSwitches({ reuseRevokesFamily: false });
    const tokens = await connect(emulator());
    await emulator().control.injectFault({ path: "/2/oauth2/token", loseReply: true, times: 1 });
    await expect(refreshWith(tokens.refresh_token!)).rejects.toThrow();
    const retry = await refreshWith(tokens.refresh_token!);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual({ error: "invalid_request", error_description: "Value passed for the token was invalid." });
    const [lost] = await emulator().control.requests({ path: "/2/oauth2/token", method: "POST" }).then((r) => r.slice(-2));
    expect(lost).toMatchObject({ status: null, grantType: "refresh_token", fault: { kind: "lose-reply" } });
    // The new pair exists server-side: the grant is alive, the client just never saw it.
    expect((await emulator().control.grants({ clientId: SANDBOX.clientId }))[0]).toMatchObject({ revoked: false });
  });

  it("the control API answers only at its literal prefix: a path that normalizes onto it is an unknown X path", async () => {
    await emulator().control.setSwitches({ codeTtlSeconds: 5 });
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      // fetch would normalize the dot segments itself; a raw request sends them as written.
      const req = request(`${emulator().url}/2/oauth2/../../__emulator/reset`, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.path = "/2/oauth2/../../__emulator/reset";
      req.end();
    });
    expect(status).toBe(404);
    expect((await emulator().control.switches()).codeTtlSeconds).toBe(5);
  });

  it("removeFault takes away one fault and leaves the others", async () => {
    const tokens = await connect(emulator());
    const first = await emulator().control.injectFault({ path: "/2/users/me", status: 500 });
    await emulator().control.injectFault({ path: "/2/tweets", status: 502 });
    await emulator().control.removeFault(first.id);
    expect((await emulator().control.faults()).map((f) => f.path)).toEqual(["/2/tweets"]);
    expect((await bearer(emulator(), "/2/users/me", tokens.access_token)).status).toBe(200);
  });

  it("the control API cannot be faulted, and a fault needs something to do", async () => {
    await expect(emulator().control.injectFault({ path: "/__emulator/apps", status: 500 })).rejects.toMatchObject({ status: 400 });
    await expect(emulator().control.injectFault({ path: "/2/tweets" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("request log", () => {
  it("records every API request with client id and grant type, and redacts every secret", async () => {
    const { code, verifier } = await getCode(emulator());
    const exchanged = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier });
    const tokens = exchanged.body as Tokens;
    const refreshed = (await refreshWith(tokens.refresh_token!)).body as Tokens;
    await bearer(emulator(), "/2/users/me", refreshed.access_token);
    await token(emulator(), { grant_type: "refresh_token", refresh_token: "x", client_id: SANDBOX.clientId, client_secret: SANDBOX.clientSecret }, { authorization: null, json: true });
    await token(emulator(), { grant_type: "refresh_token", refresh_token: refreshed.refresh_token!, code: "abc", code_verifier: verifier }, { authorization: basic(SANDBOX.clientId, "wrong"), query: true });
    await revoke(emulator(), { token: refreshed.refresh_token!, token_type_hint: "refresh_token" });
    const consent = await fetch(`${emulator().authorizeUrl}?response_type=code&client_id=${SANDBOX.clientId}&redirect_uri=${encodeURIComponent(SANDBOX.redirectUri)}&scope=tweet.read&state=s&code_challenge=c&code_challenge_method=plain`).then((r) => r.text());
    const nonce = /name="nonce" value="([^"]+)"/.exec(consent)![1]!;
    await post(`${emulator().url}/i/oauth2/authorize`, { nonce, decision: "allow" });

    const log = await emulator().control.requests();
    const serialized = JSON.stringify(log);
    for (const secret of [SANDBOX.clientSecret, code, verifier, tokens.access_token, tokens.refresh_token!, refreshed.access_token, refreshed.refresh_token!, nonce]) {
      expect(serialized).not.toContain(secret);
    }
    expect(serialized).not.toContain(Buffer.from(`${SANDBOX.clientId}:${SANDBOX.clientSecret}`).toString("base64"));
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /2/oauth2/token 200",
      "POST /2/oauth2/token 200",
      "GET /2/users/me 200",
      "POST /2/oauth2/token 401",
      "POST /2/oauth2/token 401",
      "POST /2/oauth2/revoke 200",
      "GET /i/oauth2/authorize 200",
      "POST /i/oauth2/authorize 302",
    ]);
    expect(log[0]).toMatchObject({ clientId: SANDBOX.clientId, grantType: "authorization_code", authorization: "Basic [redacted]", params: { code: "[redacted]", code_verifier: "[redacted]" } });
    expect(log[2]).toMatchObject({ clientId: SANDBOX.clientId, authorization: "Bearer [redacted]" });
    expect(log[3]).toMatchObject({ clientId: SANDBOX.clientId, params: { client_secret: "[redacted]", refresh_token: "[redacted]" } });
    expect(log[4]!.query).toMatchObject({ refresh_token: "[redacted]", code: "[redacted]", code_verifier: "[redacted]", grant_type: "refresh_token" });
    expect(log[7]!.location).toBe(`${SANDBOX.redirectUri}?state=s&code=[redacted]`);
  });

  it("redacts secrets sent in unexpected places: a text/plain JSON body, swapped id and secret, odd names, a plain challenge", async () => {
    const tokens = await connect(emulator());
    const auth = basic(SANDBOX.clientId, SANDBOX.clientSecret);
    // fetch with a string body and no content-type sends text/plain: the JSON is read as one form key.
    await fetch(`${emulator().apiBaseUrl}/2/oauth2/token`, { method: "POST", headers: { authorization: auth }, body: JSON.stringify({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }) });
    // The secret pasted into the Client ID field: Basic carries secret:id.
    await token(emulator(), { grant_type: "refresh_token", refresh_token: "x" }, { authorization: basic(SANDBOX.clientSecret, SANDBOX.clientId) });
    // Secrets under names the redactor does not list, and an access token as a plain value.
    await token(emulator(), { grant_type: "refresh_token", refreshToken: tokens.refresh_token!, clientSecret2: SANDBOX.clientSecret, note: `t=${tokens.access_token}` }, { json: true });
    // With code_challenge_method=plain (or none) the challenge is the verifier.
    const verifier = "plain-verifier-0123456789-0123456789-0123456789";
    await fetch(`${emulator().authorizeUrl}?response_type=code&client_id=${SANDBOX.clientId}&redirect_uri=${encodeURIComponent(SANDBOX.redirectUri)}&scope=tweet.read&state=s&code_challenge=${verifier}&code_challenge_method=plain`);
    await fetch(`${emulator().authorizeUrl}?response_type=code&client_id=${SANDBOX.clientId}&code_challenge=${verifier}`);
    // An old secret after regeneration is still a secret.
    await emulator().control.regenerateSecret(SANDBOX.clientId);
    await token(emulator(), { grant_type: "refresh_token", refresh_token: "x" }, { authorization: basic(SANDBOX.clientSecret, SANDBOX.clientId) });

    const log = await emulator().control.requests();
    const serialized = JSON.stringify(log);
    for (const secret of [SANDBOX.clientSecret, tokens.access_token, tokens.refresh_token!, verifier]) expect(serialized).not.toContain(secret);
    const [, textPlain, swapped, oddNames, plain, noMethod, swappedOld] = log;
    expect(textPlain!.params).toEqual({ "[body]": "[redacted]" });
    expect(swapped!.clientId).toBe("[redacted]");
    expect(oddNames!.params).toMatchObject({ grant_type: "refresh_token", refreshToken: "[redacted]", clientSecret2: "[redacted]", note: "t=[redacted]" });
    expect(plain!.query).toMatchObject({ code_challenge: "[redacted]", code_challenge_method: "plain" });
    expect(noMethod!.query).toMatchObject({ code_challenge: "[redacted]" });
    expect(swappedOld!.clientId).toBe("[redacted]");
  });

  it("keeps an S256 challenge (it reveals nothing) and non-secret parameters such as token_type_hint", async () => {
    await fetch(`${emulator().authorizeUrl}?response_type=code&client_id=${SANDBOX.clientId}&code_challenge=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG&code_challenge_method=S256`);
    await revoke(emulator(), { token: "never-issued-token", token_type_hint: "refresh_token" });
    const [authorize, revoked] = await emulator().control.requests();
    expect(authorize!.query.code_challenge).toBe("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    expect(revoked!.params).toEqual({ token: "[redacted]", token_type_hint: "refresh_token" });
  });

  it("filters by method, path and client id; DELETE clears; control calls are not logged", async () => {
    await token(emulator(), { grant_type: "client_credentials" });
    await fetch(`${emulator().apiBaseUrl}/2/users/me`);
    await emulator().control.apps();
    expect(await emulator().control.requests({ path: "/2/users/me" })).toHaveLength(1);
    expect(await emulator().control.requests({ method: "post" })).toHaveLength(1);
    expect(await emulator().control.requests({ clientId: SANDBOX.clientId })).toHaveLength(1);
    expect(await emulator().control.requests()).toHaveLength(2);
    await emulator().control.clearRequests();
    expect(await emulator().control.requests()).toEqual([]);
  });
});

describe("switches and reset", () => {
  it("reports the defaults and refuses unknown switches or wrong types", async () => {
    expect(await emulator().control.switches()).toEqual({
      unknownClientError: "unauthorized_client",
      secretRegenRevokesGrants: false,
      reuseRevokesFamily: true,
      requireClientIdInBody: false,
      revokeEndsGrant: true,
      cancelRedirect: "access_denied",
      codeTtlSeconds: 30,
      accessTokenTtlSeconds: 7200,
      refreshTokenTtlSeconds: 15552000,
      accessLevelHeader: true,
      scopesBeyondPermission: "grant-less",
    });
    await expect(emulator().control.setSwitches({ nope: true } as never)).rejects.toMatchObject({ status: 400 });
    await expect(emulator().control.setSwitches({ reuseRevokesFamily: "yes" } as never)).rejects.toMatchObject({ status: 400 });
    await expect(emulator().control.setSwitches({ unknownClientError: "bad_client" } as never)).rejects.toMatchObject({ status: 400 });
    await expect(emulator().control.setSwitches({ scopesBeyondPermission: "ignore" } as never)).rejects.toMatchObject({ status: 400 });
  });

  it("reset returns to the seed, default switches, real time; clears faults, log, tokens", async () => {
    const tokens = await connect(emulator());
    await emulator().control.createApp({ name: "Extra", callbackUrls: ["https://example.com/cb"] });
    await emulator().control.regenerateSecret(SANDBOX.clientId);
    await emulator().control.setSwitches({ codeTtlSeconds: 5 });
    await emulator().control.advanceClock(1000);
    await emulator().control.injectFault({ path: "/2/tweets", status: 500 });
    await emulator().control.reset();
    const apps = await emulator().control.apps();
    expect(apps.map((a) => a.name)).toEqual(["Keyport Sandbox", "Sandbox Native App"]);
    expect(apps[0]!.clientSecret).toBe(SANDBOX.clientSecret);
    expect((await emulator().control.switches()).codeTtlSeconds).toBe(30);
    expect((await emulator().control.clock()).offsetSeconds).toBe(0);
    expect(await emulator().control.faults()).toEqual([]);
    expect(await emulator().control.requests()).toEqual([]);
    expect((await bearer(emulator(), "/2/users/me", tokens.access_token)).status).toBe(401);
  });

  it("users can be added and signed in", async () => {
    const user = await emulator().control.createUser({ name: "New Person", username: "newperson" });
    expect(user.id).toMatch(/^\d+$/);
    await emulator().control.signInAs("newperson");
    const tokens = await connect(emulator());
    const me = await bearer(emulator(), "/2/users/me", tokens.access_token);
    expect((me.body as { data: { id: string } }).data.id).toBe(user.id);
    await expect(emulator().control.createUser({ name: "Dup", username: "NewPerson" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("startXEmulator options", () => {
  afterEach(() => vi.restoreAllMocks());

  it("start-up switches and a seed object survive reset; verbose output never carries parameters", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
    const own = await startXEmulator({
      seed: { apps: [{ name: "Solo", clientId: "c29sb0FwcDAwMDAwMDAwMDAwMDA6MTpjaQ", clientSecret: "solo-secret-0123456789", callbackUrls: ["https://example.com/cb"] }], users: [] },
      switches: { unknownClientError: "invalid_client" },
      verbose: true,
    });
    try {
      await own.control.reset();
      expect((await own.control.switches()).unknownClientError).toBe("invalid_client");
      expect((await own.control.apps()).map((a) => a.name)).toEqual(["Solo"]);
      await fetch(`${own.apiBaseUrl}/2/oauth2/token?client_secret=solo-secret-0123456789&code=zzz-code`, {
        method: "POST",
        headers: { authorization: basic("c29sb0FwcDAwMDAwMDAwMDAwMDA6MTpjaQ", "solo-secret-0123456789") },
      });
      expect(lines.join("\n")).toContain("POST /2/oauth2/token 400");
      expect(lines.join("\n")).not.toMatch(/solo-secret|zzz-code/);
    } finally {
      await own.close();
    }
  });

  it("a bad seed or bad switches fail at start", async () => {
    await expect(startXEmulator({ seed: { apps: [{ name: "Bad", callbackUrls: ["http://localhost/cb"] }], users: [] } })).rejects.toThrow(/localhost/);
    await expect(startXEmulator({ switches: { codeTtlSeconds: -1 } })).rejects.toThrow(/positive/);
  });
});
