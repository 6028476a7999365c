// Contract §1, §4 and §5: refresh rotation and its switches, token lifetimes, secret regeneration,
// permission changes, and the revoke endpoint.
import { describe, expect, it } from "vitest";
import { basic, bearer, connect, revoke, SANDBOX, token, tweet, sharedEmulator, type Tokens } from "./test-helpers";

const emulator = sharedEmulator();
const INVALID_TOKEN = JSON.stringify({ error: "invalid_request", error_description: "Value passed for the token was invalid." });
const refreshWith = (refreshToken: string, authorization?: string) =>
  token(emulator(), { grant_type: "refresh_token", refresh_token: refreshToken }, authorization ? { authorization } : {});
const me = (accessToken: string) => bearer(emulator(), "/2/users/me", accessToken);

describe("refresh_token grant", () => {
  it("missing refresh_token: 400 Missing required parameter [refresh_token].", async () => {
    const res = await token(emulator(), { grant_type: "refresh_token" });
    expect(res.status).toBe(400);
    expect(res.text).toBe(JSON.stringify({ error: "invalid_request", error_description: "Missing required parameter [refresh_token]." }));
  });

  it("rotates: a new pair with the same scopes; the old refresh token is refused afterwards", async () => {
    const first = await connect(emulator());
    const res = await refreshWith(first.refresh_token!);
    expect(res.status).toBe(200);
    const second = res.body as Tokens;
    expect(Object.keys(second)).toEqual(["token_type", "expires_in", "access_token", "scope", "refresh_token"]);
    expect(second.scope).toBe(first.scope);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    const replay = await refreshWith(first.refresh_token!);
    expect(replay.status).toBe(400);
    expect(replay.text).toBe(INVALID_TOKEN);
  });

  it("reuseRevokesFamily on (default): a replayed refresh token ends the whole grant", async () => {
    const first = await connect(emulator());
    const second = (await refreshWith(first.refresh_token!)).body as Tokens;
    await refreshWith(first.refresh_token!);
    expect((await refreshWith(second.refresh_token!)).text).toBe(INVALID_TOKEN);
    expect((await me(second.access_token)).status).toBe(401);
  });

  it("reuseRevokesFamily off: the replay is refused but the newest pair still works", async () => {
    await emulator().control.setSwitches({ reuseRevokesFamily: false });
    const first = await connect(emulator());
    const second = (await refreshWith(first.refresh_token!)).body as Tokens;
    expect((await refreshWith(first.refresh_token!)).text).toBe(INVALID_TOKEN);
    expect((await me(second.access_token)).status).toBe(200);
    expect((await refreshWith(second.refresh_token!)).status).toBe(200);
  });

  it("an access token, a made-up value or another app's refresh token is invalid", async () => {
    const tokens = await connect(emulator());
    expect((await refreshWith(tokens.access_token)).text).toBe(INVALID_TOKEN);
    expect((await refreshWith("made-up")).text).toBe(INVALID_TOKEN);
    const other = await emulator().control.createApp({ name: "Other", callbackUrls: [SANDBOX.redirectUri] });
    const res = await refreshWith(tokens.refresh_token!, basic(other.clientId, other.clientSecret!));
    expect(res.text).toBe(INVALID_TOKEN);
    expect((await refreshWith(tokens.refresh_token!)).status).toBe(200);
  });

  it("refresh tokens expire after refreshTokenTtlSeconds (default about 180 days)", async () => {
    const longLived = await connect(emulator());
    await emulator().control.advanceClock(179 * 24 * 3600);
    expect((await refreshWith(longLived.refresh_token!)).status).toBe(200);
    await emulator().control.setSwitches({ refreshTokenTtlSeconds: 3600 });
    const shortLived = await connect(emulator());
    await emulator().control.advanceClock(3601);
    expect((await refreshWith(shortLived.refresh_token!)).text).toBe(INVALID_TOKEN);
  });

  it("the old access token keeps working until it expires after a refresh", async () => {
    const first = await connect(emulator());
    await refreshWith(first.refresh_token!);
    expect((await me(first.access_token)).status).toBe(200);
  });
});

describe("access token lifetime", () => {
  it("7200 s by default on the emulator clock", async () => {
    const tokens = await connect(emulator());
    expect(tokens.expires_in).toBe(7200);
    await emulator().control.advanceClock(7199);
    expect((await me(tokens.access_token)).status).toBe(200);
    await emulator().control.advanceClock(2);
    const res = await me(tokens.access_token);
    expect(res.status).toBe(401);
    expect(res.text).toBe(JSON.stringify({ title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" }));
  });

  it("accessTokenTtlSeconds switch changes expires_in and the lifetime", async () => {
    await emulator().control.setSwitches({ accessTokenTtlSeconds: 60 });
    const tokens = await connect(emulator());
    expect(tokens.expires_in).toBe(60);
    await emulator().control.advanceClock(61);
    expect((await me(tokens.access_token)).status).toBe(401);
    const refreshed = await refreshWith(tokens.refresh_token!);
    expect((refreshed.body as Tokens).expires_in).toBe(60);
  });
});

describe("regenerating the client secret", () => {
  it("the old secret fails at once at token and revoke; the new one works", async () => {
    const tokens = await connect(emulator());
    const newSecret = await emulator().control.regenerateSecret(SANDBOX.clientId);
    expect(newSecret).toMatch(/^[A-Za-z0-9_-]{50}$/);
    const old = basic(SANDBOX.clientId, SANDBOX.clientSecret);
    expect((await refreshWith(tokens.refresh_token!, old)).status).toBe(401);
    expect((await revoke(emulator(), { token: tokens.refresh_token!, token_type_hint: "refresh_token" }, { authorization: old })).status).toBe(401);
    expect((await refreshWith(tokens.refresh_token!, basic(SANDBOX.clientId, newSecret))).status).toBe(200);
  });

  it("secretRegenRevokesGrants off (default): issued tokens keep working", async () => {
    const tokens = await connect(emulator());
    await emulator().control.regenerateSecret(SANDBOX.clientId);
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it("secretRegenRevokesGrants on: issued tokens die with the old secret", async () => {
    await emulator().control.setSwitches({ secretRegenRevokesGrants: true });
    const tokens = await connect(emulator());
    const newSecret = await emulator().control.regenerateSecret(SANDBOX.clientId);
    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await refreshWith(tokens.refresh_token!, basic(SANDBOX.clientId, newSecret))).text).toBe(INVALID_TOKEN);
  });
});

describe("changing the app's permission", () => {
  it("does not change existing tokens' rights; a new authorization gets the new ones", async () => {
    const before = await connect(emulator());
    await emulator().control.updateApp(SANDBOX.clientId, { permission: "read" });
    const old = await tweet(emulator(), before.access_token, { text: "still allowed" });
    expect(old.status).toBe(201);
    expect(old.headers.get("x-access-level")).toBe("read-write-directmessages");
    const refreshed = (await refreshWith(before.refresh_token!)).body as Tokens;
    expect((await tweet(emulator(), refreshed.access_token, { text: "refreshed too" })).status).toBe(201);
    const after = await connect(emulator());
    const denied = await tweet(emulator(), after.access_token, { text: "not any more" });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-access-level")).toBe("read");
  });
});

describe("revoke", () => {
  it("without token_type_hint: 400 Missing required parameter [token_type_hint].", async () => {
    const tokens = await connect(emulator());
    const res = await revoke(emulator(), { token: tokens.access_token });
    expect(res.status).toBe(400);
    expect(res.text).toBe(JSON.stringify({ error: "invalid_request", error_description: "Missing required parameter [token_type_hint]." }));
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it("without token: 400 Missing required parameter [token].", async () => {
    const res = await revoke(emulator(), { token_type_hint: "access_token" });
    expect(res.status).toBe(400);
    expect(res.text).toBe(JSON.stringify({ error: "invalid_request", error_description: "Missing required parameter [token]." }));
  });

  it("needs client authentication", async () => {
    const res = await revoke(emulator(), { token: "x", token_type_hint: "access_token" }, { authorization: null });
    expect(res.status).toBe(401);
    expect((await revoke(emulator(), { token: "x", token_type_hint: "access_token" }, { authorization: basic(SANDBOX.clientId, "nope") })).status).toBe(401);
  });

  it("revoking the refresh token ends the whole grant (default): 200 {\"revoked\":true}", async () => {
    const tokens = await connect(emulator());
    const res = await revoke(emulator(), { token: tokens.refresh_token!, token_type_hint: "refresh_token" });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"revoked":true}');
    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await refreshWith(tokens.refresh_token!)).text).toBe(INVALID_TOKEN);
  });

  it("revoking the access token ends the whole grant too (default)", async () => {
    const tokens = await connect(emulator());
    expect((await revoke(emulator(), { token: tokens.access_token, token_type_hint: "access_token" })).status).toBe(200);
    expect((await refreshWith(tokens.refresh_token!)).text).toBe(INVALID_TOKEN);
  });

  it("unknown and already revoked tokens: 200 {\"revoked\":true}", async () => {
    const tokens = await connect(emulator());
    const params = { token: tokens.access_token, token_type_hint: "access_token" };
    expect((await revoke(emulator(), params)).text).toBe('{"revoked":true}');
    expect((await revoke(emulator(), params)).text).toBe('{"revoked":true}');
    expect((await revoke(emulator(), { token: "never-issued", token_type_hint: "refresh_token" })).text).toBe('{"revoked":true}');
  });

  it("revokeEndsGrant off: only the presented token dies", async () => {
    await emulator().control.setSwitches({ revokeEndsGrant: false });
    const tokens = await connect(emulator());
    await revoke(emulator(), { token: tokens.access_token, token_type_hint: "access_token" });
    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await refreshWith(tokens.refresh_token!)).status).toBe(200);
  });

  it("another app cannot revoke this app's tokens (answers 200, changes nothing)", async () => {
    const tokens = await connect(emulator());
    const other = await emulator().control.createApp({ name: "Other", callbackUrls: [SANDBOX.redirectUri] });
    const res = await revoke(emulator(), { token: tokens.access_token, token_type_hint: "access_token" }, { authorization: basic(other.clientId, other.clientSecret!) });
    expect(res.text).toBe('{"revoked":true}');
    expect((await me(tokens.access_token)).status).toBe(200);
  });
});

describe("the X user revokes the app", () => {
  it("every token of that user and app stops working", async () => {
    const tokens = await connect(emulator());
    expect(await emulator().control.revokeUserGrants(SANDBOX.clientId, "ada_sandbox")).toBe(1);
    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await refreshWith(tokens.refresh_token!)).text).toBe(INVALID_TOKEN);
  });
});
