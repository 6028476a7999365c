// Contract §2: an authorize request asking for scopes beyond the app's permission. Switch
// scopesBeyondPermission: "grant-less" (default) grants only what the permission allows and the
// token's scope says so; "refuse" strands the user on "Something went wrong". The permission is
// fixed at consent.
import { describe, expect, it } from "vitest";
import { bearer, connect, getCode, pkce, SANDBOX, sharedEmulator, token, tweet, wire, type Tokens } from "./test-helpers";
import type { AppPermission } from "./types";

const emulator = sharedEmulator();
const ALL = "tweet.read tweet.write users.read dm.read dm.write like.write media.write offline.access";
const me = (accessToken: string) => bearer(emulator(), "/2/users/me", accessToken);
const setPermission = (permission: AppPermission) => emulator().control.updateApp(SANDBOX.clientId, { permission });
const { verifier, challenge } = pkce();

function authorizeUrl(scope: string): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: SANDBOX.clientId,
    redirect_uri: SANDBOX.redirectUri,
    scope,
    state: "st-perm",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${emulator().authorizeUrl}?${query}`;
}

const get = (url: string) => fetch(url, { redirect: "manual" }).then(wire);

async function submit(nonce: string, decision: "allow" | "deny") {
  return fetch(`${emulator().url}/i/oauth2/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ nonce, decision }).toString(),
    redirect: "manual",
  }).then(wire);
}

function expectStranded(res: Awaited<ReturnType<typeof get>>, reason: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers.get("location")).toBeNull();
  expect(res.text).toContain("<h1>Something went wrong</h1>");
  expect(res.text).toMatch(reason);
}

describe("grant-less (default)", () => {
  it("a Read and write app asked for DMs: the token's scope leaves out dm.*, and posting works", async () => {
    await setPermission("read-write");
    const page = await get(authorizeUrl(ALL));
    expect(page.status).toBe(200);
    expect(page.text).toContain("(tweet.write)");
    expect(page.text).not.toContain("(dm.read)");

    const tokens = await connect(emulator(), { scope: ALL });
    expect(tokens.scope).toBe("tweet.read tweet.write users.read offline.access like.write media.write");
    expect(tokens.refresh_token).toBeDefined();
    expect((await emulator().control.grants())[0]).toMatchObject({ scopes: tokens.scope.split(" "), permission: "read-write" });
    const posted = await tweet(emulator(), tokens.access_token, { text: "granted less, still posting" });
    expect(posted.status).toBe(201);
    expect(posted.headers.get("x-access-level")).toBe("read-write");
    // A refresh reports the same, smaller set.
    const refreshed = (await token(emulator(), { grant_type: "refresh_token", refresh_token: tokens.refresh_token! })).body as Tokens;
    expect(refreshed.scope).toBe(tokens.scope);
  });

  it("a Read app asked to post: tweet.write is left out, so reading works and posting is 403", async () => {
    await setPermission("read");
    const tokens = await connect(emulator(), { scope: "tweet.read tweet.write users.read offline.access" });
    expect(tokens.scope).toBe("tweet.read users.read offline.access");
    expect((await me(tokens.access_token)).status).toBe(200);
    const denied = await tweet(emulator(), tokens.access_token, { text: "not allowed" });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-access-level")).toBe("read");
  });

  it("scopes within the permission are granted as asked", async () => {
    const tokens = await connect(emulator(), { scope: ALL }); // the sandbox app allows DMs
    expect(tokens.scope).toBe("tweet.read tweet.write users.read offline.access like.write dm.read dm.write media.write");
  });

  it("nothing left to grant: Something went wrong", async () => {
    await setPermission("read");
    expectStranded(await get(authorizeUrl("tweet.write dm.write")), /does not allow tweet\.write dm\.write/);
    await expect(getCode(emulator(), { scope: "tweet.write" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("refuse", () => {
  it("asking beyond the permission strands the user on Something went wrong; within it is fine", async () => {
    await emulator().control.setSwitches({ scopesBeyondPermission: "refuse" });
    await setPermission("read-write");
    expectStranded(await get(authorizeUrl(ALL)), /permission \(read-write\) does not allow dm\.read dm\.write/);
    await expect(getCode(emulator(), { scope: ALL })).rejects.toMatchObject({ status: 400, body: { error: "something_went_wrong" } });
    expect(await emulator().control.grants()).toEqual([]);

    const within = "tweet.read tweet.write users.read offline.access";
    const tokens = await connect(emulator(), { scope: within });
    expect(tokens.scope).toBe(within);
    expect((await tweet(emulator(), tokens.access_token, { text: "within the permission" })).status).toBe(201);
  });
});

describe("the permission is fixed at consent", () => {
  it("lowered while the consent page was open: grant-less grants what the new permission allows", async () => {
    const page = await get(authorizeUrl(ALL));
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.text)![1]!;
    await setPermission("read-write");
    const allowed = await submit(nonce, "allow");
    expect(allowed.status).toBe(302);
    const tokens = await exchange(allowed.headers.get("location")!);
    expect(tokens.scope).not.toMatch(/dm\./);
    expect((await emulator().control.grants())[0]!.permission).toBe("read-write");
  });

  it("lowered while the consent page was open, with refuse: Authorize app is refused, Cancel still returns", async () => {
    await emulator().control.setSwitches({ scopesBeyondPermission: "refuse" });
    const first = /name="nonce" value="([^"]+)"/.exec((await get(authorizeUrl(ALL))).text)![1]!;
    const second = /name="nonce" value="([^"]+)"/.exec((await get(authorizeUrl(ALL))).text)![1]!;
    await setPermission("read-write");
    expectStranded(await submit(first, "allow"), /does not allow dm\.read dm\.write/);
    const cancelled = await submit(second, "deny");
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get("location")).toBe(`${SANDBOX.redirectUri}?error=access_denied&state=st-perm`);
  });

  it("changed between consent and the code exchange: the grant keeps what was consented to", async () => {
    const { code, verifier } = await getCode(emulator(), { scope: ALL });
    await setPermission("read");
    const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier });
    const tokens = res.body as Tokens;
    expect(tokens.scope).toContain("dm.write");
    const posted = await tweet(emulator(), tokens.access_token, { text: "consented with DMs" });
    expect(posted.status).toBe(201);
    expect(posted.headers.get("x-access-level")).toBe("read-write-directmessages");
  });
});

/** Exchanges the code from a consent redirect (the pages above used this file's PKCE pair). */
async function exchange(location: string): Promise<Tokens> {
  const code = new URL(location).searchParams.get("code")!;
  const res = await token(emulator(), { grant_type: "authorization_code", code, redirect_uri: SANDBOX.redirectUri, code_verifier: verifier });
  expect(res.status).toBe(200);
  return res.body as Tokens;
}
