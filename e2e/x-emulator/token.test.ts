// Contract §4, row by row: client authentication first, then grant_type, then parameters, then
// the code, verifier and redirect; PKCE methods; code reuse and expiry; byte-exact error bodies.
import { describe, expect, it } from "vitest";
import { basic, connect, getCode, KEYPORT_SCOPES, PUBLIC_CLIENT_ID, SANDBOX, token, sharedEmulator } from "./test-helpers";

const emulator = sharedEmulator();
const error = (code: string, description: string) => JSON.stringify({ error: code, error_description: description });
const UNAUTHORIZED = error("unauthorized_client", "Missing valid authorization header");
const INVALID_CODE = error("invalid_request", "Value passed for the authorization code was invalid.");
const missing = (name: string) => error("invalid_request", `Missing required parameter [${name}].`);
const MADE_UP = { grant_type: "authorization_code", code: "made-up", redirect_uri: SANDBOX.redirectUri, code_verifier: "v".repeat(43) };

describe("client authentication comes first", () => {
  it("no Authorization header and no client_id: 401 unauthorized_client", async () => {
    const res = await token(emulator(), MADE_UP, { authorization: null });
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });

  it.each([
    ["not base64", "Basic !!!!"],
    ["no colon", `Basic ${Buffer.from("justanid").toString("base64")}`],
    ["a Bearer token", "Bearer abc"],
    ["empty Basic", "Basic "],
  ])("malformed Authorization (%s): 401 unauthorized_client", async (_name, authorization) => {
    const res = await token(emulator(), MADE_UP, { authorization });
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });

  it("wrong secret: 401 unauthorized_client, even with a made-up code", async () => {
    const res = await token(emulator(), MADE_UP, { authorization: basic(SANDBOX.clientId, "wrong-secret") });
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });

  it("secret only in the body: 401 unauthorized_client", async () => {
    const res = await token(emulator(), { ...MADE_UP, client_id: SANDBOX.clientId, client_secret: SANDBOX.clientSecret }, { authorization: null });
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });

  it("unknown client_id: 401 unauthorized_client by default, invalid_client under the switch", async () => {
    const unknown = basic(Buffer.from("AAAAAAAAAAAAAAAAAAAA:1:ci").toString("base64url"), "whatever");
    const before = await token(emulator(), MADE_UP, { authorization: unknown });
    expect(before.status).toBe(401);
    expect(before.text).toBe(UNAUTHORIZED);
    await emulator().control.setSwitches({ unknownClientError: "invalid_client" });
    const after = await token(emulator(), MADE_UP, { authorization: unknown });
    expect(after.status).toBe(401);
    expect(after.text).toBe(error("invalid_client", "Missing valid authorization header"));
    const inBody = await token(emulator(), { ...MADE_UP, client_id: "nobody" }, { authorization: null });
    expect(inBody.text).toBe(error("invalid_client", "Missing valid authorization header"));
  });

  it("an app without OAuth 2.0 set up answers like an unknown client", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { oauth2Enabled: false });
    const res = await token(emulator(), MADE_UP);
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });

  it("client auth is checked before grant_type", async () => {
    const res = await token(emulator(), {}, { authorization: basic(SANDBOX.clientId, "wrong") });
    expect(res.status).toBe(401);
  });

  it("client_id in the body that differs from Basic: 401", async () => {
    const res = await token(emulator(), { ...MADE_UP, client_id: PUBLIC_CLIENT_ID });
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });

  it("valid credentials with a made-up code: 400 about the code (the credentials probe)", async () => {
    const res = await token(emulator(), MADE_UP);
    expect(res.status).toBe(400);
    expect(res.text).toBe(INVALID_CODE);
  });

  it("Basic credentials form-encoded per RFC 6749 §2.3.1 are accepted too", async () => {
    const encoded = `Basic ${Buffer.from(`${encodeURIComponent(SANDBOX.clientId)}:${encodeURIComponent(SANDBOX.clientSecret)}`).toString("base64")}`;
    const res = await token(emulator(), MADE_UP, { authorization: encoded });
    expect(res.text).toBe(INVALID_CODE);
  });
});

describe("public clients", () => {
  it("send client_id in the body and no secret", async () => {
    const { code, verifier } = await getCode(emulator(), { clientId: PUBLIC_CLIENT_ID });
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier, client_id: PUBLIC_CLIENT_ID }, { authorization: null });
    expect(res.status).toBe(200);
  });

  it("a public client presenting a secret in Basic is refused", async () => {
    const res = await token(emulator(), MADE_UP, { authorization: basic(PUBLIC_CLIENT_ID, "some-secret") });
    expect(res.status).toBe(401);
    expect(res.text).toBe(UNAUTHORIZED);
  });
});

describe("grant_type", () => {
  it("missing: 400 Missing required parameter [grant_type].", async () => {
    const res = await token(emulator(), { code: "x" });
    expect(res.status).toBe(400);
    expect(res.text).toBe(missing("grant_type"));
  });

  it.each(["client_credentials", "password", "implicit"])("%s: 400 grant type invalid", async (grantType) => {
    const res = await token(emulator(), { grant_type: grantType });
    expect(res.status).toBe(400);
    expect(res.text).toBe(error("invalid_request", "Value passed for the grant type was invalid. Grant type should be one of [authorization_code, refresh_token]."));
  });
});

describe("authorization_code", () => {
  it.each(["code", "redirect_uri", "code_verifier"])("missing %s: 400 Missing required parameter", async (name) => {
    const params: Record<string, string> = { ...MADE_UP };
    delete params[name];
    const res = await token(emulator(), params);
    expect(res.status).toBe(400);
    expect(res.text).toBe(missing(name));
  });

  it("S256: 200 with exactly X's body, keys in X's order, scopes in X's order", async () => {
    const { code, verifier } = await getCode(emulator(), { scope: "offline.access users.read tweet.read" });
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = res.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["token_type", "expires_in", "access_token", "scope", "refresh_token"]);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 7200, scope: "tweet.read users.read offline.access" });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.access_token).not.toBe(body.refresh_token);
  });

  it("Keyport's default scope set comes back in X's order", async () => {
    const tokens = await connect(emulator(), { scope: KEYPORT_SCOPES.split(" ").reverse().join(" ") });
    expect(tokens.scope).toBe("tweet.read tweet.write tweet.moderate.write users.read offline.access like.write dm.read dm.write");
  });

  it("without offline.access there is no refresh_token", async () => {
    const tokens = await connect(emulator(), { scope: "tweet.read users.read" });
    expect(Object.keys(tokens)).toEqual(["token_type", "expires_in", "access_token", "scope"]);
  });

  it("lowercase s256 works", async () => {
    const { code, verifier } = await getCode(emulator(), { method: "s256" });
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier });
    expect(res.status).toBe(200);
  });

  it("plain works, and a different plain verifier is refused", async () => {
    const first = await getCode(emulator(), { method: "plain" });
    const wrong = await token(emulator(), { grant_type: "authorization_code", code: first.code, redirect_uri: SANDBOX.redirectUri, code_verifier: `${first.verifier}x` });
    expect(wrong.text).toBe(error("invalid_request", "Value passed for the code verifier did not match the code challenge."));
    const res = await token(emulator(), { grant_type: "authorization_code", code: first.code, redirect_uri: SANDBOX.redirectUri, code_verifier: first.verifier });
    expect(res.status).toBe(200);
  });

  it("verifier that does not match the S256 challenge: 400", async () => {
    const { code } = await getCode(emulator());
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: "a".repeat(43) });
    expect(res.status).toBe(400);
    expect(res.text).toBe(error("invalid_request", "Value passed for the code verifier did not match the code challenge."));
  });

  it("redirect_uri different from authorize (even a trailing slash): 400", async () => {
    const { code, verifier } = await getCode(emulator());
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: `${SANDBOX.redirectUri}/`, code_verifier: verifier });
    expect(res.status).toBe(400);
    expect(res.text).toBe(error("invalid_request", "Value passed for the redirect uri did not match the uri of the authorization code."));
  });

  it("a code is single-use", async () => {
    const { code, verifier } = await getCode(emulator());
    const params = { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier };
    expect((await token(emulator(), params)).status).toBe(200);
    const again = await token(emulator(), params);
    expect(again.status).toBe(400);
    expect(again.text).toBe(INVALID_CODE);
  });

  it("a code expires after 30 s of emulator time", async () => {
    const fresh = await getCode(emulator());
    const stale = await getCode(emulator());
    await emulator().control.advanceClock(29);
    expect((await token(emulator(), { grant_type: "authorization_code", code: fresh.code, redirect_uri: SANDBOX.redirectUri, code_verifier: fresh.verifier })).status).toBe(200);
    await emulator().control.advanceClock(2);
    const res = await token(emulator(), { grant_type: "authorization_code", code: stale.code, redirect_uri: SANDBOX.redirectUri, code_verifier: stale.verifier });
    expect(res.status).toBe(400);
    expect(res.text).toBe(INVALID_CODE);
  });

  it("codeTtlSeconds switch lengthens the code's life", async () => {
    await emulator().control.setSwitches({ codeTtlSeconds: 300 });
    const { code, verifier } = await getCode(emulator());
    await emulator().control.advanceClock(299);
    expect((await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier })).status).toBe(200);
  });

  it("a code issued to another app is invalid for this one", async () => {
    const other = await emulator().control.createApp({ name: "Other", callbackUrls: [SANDBOX.redirectUri] });
    const { code, verifier } = await getCode(emulator(), { clientId: other.clientId });
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier });
    expect(res.text).toBe(INVALID_CODE);
  });

  it("accepts JSON bodies and query-string parameters as well as forms", async () => {
    const a = await getCode(emulator());
    const json = await token(emulator(), { grant_type: "authorization_code", code: a.code, redirect_uri: SANDBOX.redirectUri, code_verifier: a.verifier }, { json: true });
    expect(json.status).toBe(200);
    const b = await getCode(emulator());
    const query = await token(emulator(), { grant_type: "authorization_code", code: b.code, redirect_uri: SANDBOX.redirectUri, code_verifier: b.verifier }, { query: true });
    expect(query.status).toBe(200);
  });
});

describe("requireClientIdInBody switch", () => {
  it("off (default): Basic alone is enough", async () => {
    expect((await connect(emulator())).access_token).toBeTruthy();
  });

  it("on: without client_id in the body, 400 Missing required parameter [client_id].; with it, 200", async () => {
    await emulator().control.setSwitches({ requireClientIdInBody: true });
    const a = await getCode(emulator());
    const without = await token(emulator(), { grant_type: "authorization_code", code: a.code, redirect_uri: SANDBOX.redirectUri, code_verifier: a.verifier });
    expect(without.status).toBe(400);
    expect(without.text).toBe(missing("client_id"));
    const withId = await token(emulator(), { grant_type: "authorization_code", code: a.code, redirect_uri: SANDBOX.redirectUri, code_verifier: a.verifier, client_id: SANDBOX.clientId });
    expect(withId.status).toBe(200);
  });
});
