// Contract §6: users/me and tweets with user tokens: problem bodies, scope enforcement, the
// enrollment 403, rate-limit headers counting down to a 429 and resetting with the clock.
import { describe, expect, it } from "vitest";
import { bearer, connect, SANDBOX, tweet, sharedEmulator, USERS } from "./test-helpers";

const emulator = sharedEmulator();
const PROBLEM = {
  unauthorized: '{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}',
  forbidden: '{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}',
  tooMany: '{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}',
  duplicate: '{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}',
};
const me = (accessToken: string, query = "") => bearer(emulator(), `/2/users/me${query}`, accessToken);

describe("GET /2/users/me", () => {
  it("id, name and username always; nothing else unless asked", async () => {
    const { access_token } = await connect(emulator());
    const res = await me(access_token);
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify({ data: { id: USERS.ada, name: "Ada Sandbox", username: "ada_sandbox" } }));
  });

  it("user.fields adds profile_image_url, verified and friends", async () => {
    const { access_token } = await connect(emulator(), { userId: USERS.north });
    const res = await me(access_token, "?user.fields=profile_image_url,verified,created_at");
    const data = (res.body as { data: Record<string, unknown> }).data;
    expect(Object.keys(data).slice(0, 3)).toEqual(["id", "name", "username"]);
    expect(data).toMatchObject({ id: USERS.north, username: "northwindstudio", verified: true, created_at: expect.any(String) });
    expect(data.profile_image_url).toBe(`${emulator().url}/profile_images/${USERS.north}/avatar_normal.svg`);
    const avatar = await fetch(data.profile_image_url as string);
    expect(avatar.headers.get("content-type")).toBe("image/svg+xml");
  });

  it("an unknown user.fields value: 400 Invalid Request with an errors array", async () => {
    const { access_token } = await connect(emulator());
    const res = await me(access_token, "?user.fields=name,shoe_size");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ title: "Invalid Request", errors: [{ parameters: { "user.fields": ["shoe_size"] } }] });
  });

  it.each([
    ["no Authorization", null],
    ["a made-up token", "Bearer made-up"],
    ["Basic instead of Bearer", `Basic ${Buffer.from("a:b").toString("base64")}`],
  ])("%s: 401 problem+json", async (_name, authorization) => {
    const res = await fetch(`${emulator().apiBaseUrl}/2/users/me`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.text()).toBe(PROBLEM.unauthorized);
  });

  it.each(["tweet.read", "users.read", "tweet.read tweet.write offline.access"])("needs tweet.read and users.read: with only %s, 403", async (scope) => {
    const { access_token } = await connect(emulator(), { scope });
    const res = await me(access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.text).toBe(PROBLEM.forbidden);
  });

  it("an app not attached to a Project: 403 client-not-enrolled", async () => {
    const { access_token } = await connect(emulator());
    await emulator().control.updateApp(SANDBOX.clientId, { enrolled: false });
    const res = await me(access_token);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      title: "Client Forbidden",
      reason: "client-not-enrolled",
      type: "https://api.twitter.com/2/problems/client-forbidden",
      client_id: SANDBOX.clientId,
    });
  });
});

describe("POST /2/tweets", () => {
  it("201 with id, text and edit_history_tweet_ids", async () => {
    const { access_token } = await connect(emulator());
    const res = await tweet(emulator(), access_token, { text: "Hello from the sandbox" });
    expect(res.status).toBe(201);
    const { data } = res.body as { data: { id: string; text: string; edit_history_tweet_ids: string[] } };
    expect(Object.keys(data)).toEqual(["id", "text", "edit_history_tweet_ids"]);
    expect(data.id).toMatch(/^\d{18,19}$/);
    expect(data).toEqual({ id: data.id, text: "Hello from the sandbox", edit_history_tweet_ids: [data.id] });
    expect(await emulator().control.tweets({ userId: USERS.ada })).toMatchObject([{ id: data.id, text: "Hello from the sandbox" }]);
  });

  it("the same text again from the same user: 403 duplicate; from another user: fine", async () => {
    const ada = await connect(emulator());
    const blue = await connect(emulator(), { userId: USERS.blue });
    expect((await tweet(emulator(), ada.access_token, { text: "same" })).status).toBe(201);
    const again = await tweet(emulator(), ada.access_token, { text: "same" });
    expect(again.status).toBe(403);
    expect(again.text).toBe(PROBLEM.duplicate);
    expect((await tweet(emulator(), blue.access_token, { text: "same" })).status).toBe(201);
  });

  it.each([
    ["not JSON", "{text:"],
    ["an empty object", {}],
    ["a number as text", { text: 5 }],
    ["an unknown field", { text: "hi", colour: "blue" }],
  ])("a bad body (%s): 400 Invalid Request with errors", async (_name, body) => {
    const { access_token } = await connect(emulator());
    const res = await tweet(emulator(), access_token, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ title: "Invalid Request", errors: [expect.objectContaining({ message: expect.any(String) })] });
  });

  it.each([
    ["a form-encoded body", "application/x-www-form-urlencoded", "text=hello"],
    ["JSON sent as text/plain", "text/plain;charset=UTF-8", '{"text":"hello"}'],
    ["JSON with no content-type", null, '{"text":"hello"}'],
  ])("%s: 400 Requests with bodies must have content-type of application/json.", async (_name, contentType, body) => {
    const { access_token } = await connect(emulator());
    const res = await fetch(`${emulator().apiBaseUrl}/2/tweets`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, ...(contentType ? { "content-type": contentType } : {}) },
      // A Blob body carries no content-type of its own, so "untyped" really is untyped.
      body: contentType ? body : new Blob([body]),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({
      errors: [{ parameters: {}, message: "Requests with bodies must have content-type of application/json." }],
      title: "Invalid Request",
      detail: "One or more parameters to your request was invalid.",
      type: "https://api.twitter.com/2/problems/invalid-request",
    });
    expect(await emulator().control.tweets()).toEqual([]);
  });

  it("application/json with a charset is fine", async () => {
    const { access_token } = await connect(emulator());
    const res = await tweet(emulator(), access_token, '{"text":"with charset"}');
    expect(res.status).toBe(201);
    const charset = await bearer(emulator(), "/2/tweets", access_token, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: '{"text":"two"}' });
    expect(charset.status).toBe(201);
  });

  it.each(["tweet.read users.read", "tweet.write users.read", "tweet.read tweet.write"])("needs tweet.read tweet.write users.read: with %s, 403", async (scope) => {
    const { access_token } = await connect(emulator(), { scope });
    const res = await tweet(emulator(), access_token, { text: "nope" });
    expect(res.status).toBe(403);
    expect(res.text).toBe(PROBLEM.forbidden);
  });
});

describe("rate limits", () => {
  it("users/me: 75 per 15 min per user, counting down", async () => {
    const { access_token } = await connect(emulator());
    const first = await me(access_token);
    expect(first.headers.get("x-rate-limit-limit")).toBe("75");
    expect(first.headers.get("x-rate-limit-remaining")).toBe("74");
    const reset = Number(first.headers.get("x-rate-limit-reset"));
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 890);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 901);
    expect((await me(access_token)).headers.get("x-rate-limit-remaining")).toBe("73");
    const other = await connect(emulator(), { userId: USERS.blue });
    expect((await me(other.access_token)).headers.get("x-rate-limit-remaining")).toBe("74");
  });

  it("429 at zero with X's body, then a fresh window after the clock passes the reset", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { rateLimits: { usersMe: { limit: 2, windowSeconds: 900 } } });
    const { access_token } = await connect(emulator());
    expect((await me(access_token)).headers.get("x-rate-limit-remaining")).toBe("1");
    expect((await me(access_token)).headers.get("x-rate-limit-remaining")).toBe("0");
    const limited = await me(access_token);
    expect(limited.status).toBe(429);
    expect(limited.text).toBe(PROBLEM.tooMany);
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    // The 429 says when to come back: the same window's limit and reset.
    expect(limited.headers.get("x-rate-limit-limit")).toBe("2");
    expect(Number(limited.headers.get("x-rate-limit-reset"))).toBeGreaterThan(Date.now() / 1000 + 890);
    await emulator().control.advanceClock(900);
    const fresh = await me(access_token);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("x-rate-limit-remaining")).toBe("1");
  });

  it("tweets: 15-minute user window plus the 24-hour user and app headers", async () => {
    const ada = await connect(emulator());
    const blue = await connect(emulator(), { userId: USERS.blue });
    const res = await tweet(emulator(), ada.access_token, { text: "one" });
    expect(Object.fromEntries([...res.headers].filter(([k]) => /^x-(rate|user|app)-limit/.test(k)).map(([k, v]) => [k, k.endsWith("reset") ? "reset" : v]))).toEqual({
      "x-rate-limit-limit": "100",
      "x-rate-limit-remaining": "99",
      "x-rate-limit-reset": "reset",
      "x-user-limit-24hour-limit": "2400",
      "x-user-limit-24hour-remaining": "2399",
      "x-user-limit-24hour-reset": "reset",
      "x-app-limit-24hour-limit": "10000",
      "x-app-limit-24hour-remaining": "9999",
      "x-app-limit-24hour-reset": "reset",
    });
    const second = await tweet(emulator(), blue.access_token, { text: "two" });
    expect(second.headers.get("x-rate-limit-remaining")).toBe("99");
    expect(second.headers.get("x-app-limit-24hour-remaining")).toBe("9998");
  });

  it("tweets: the app's 24-hour limit stops every user of that app, not other apps", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { rateLimits: { tweetsApp24h: { limit: 1, windowSeconds: 86400 } } });
    const ada = await connect(emulator());
    const blue = await connect(emulator(), { userId: USERS.blue });
    expect((await tweet(emulator(), ada.access_token, { text: "a" })).status).toBe(201);
    const limited = await tweet(emulator(), blue.access_token, { text: "b" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-app-limit-24hour-remaining")).toBe("0");
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("100");
    const other = await emulator().control.createApp({ name: "Other", callbackUrls: [SANDBOX.redirectUri] });
    const otherTokens = await connect(emulator(), { clientId: other.clientId, clientSecret: other.clientSecret!, userId: USERS.blue });
    expect((await tweet(emulator(), otherTokens.access_token, { text: "b" })).status).toBe(201);
    await emulator().control.advanceClock(86400);
    const later = await connect(emulator(), { userId: USERS.blue }); // the 2-hour token died meanwhile
    expect((await tweet(emulator(), later.access_token, { text: "c" })).status).toBe(201);
  });
  it("tweets: 429 when the user's 15-minute window is spent", async () => {
    await emulator().control.updateApp(SANDBOX.clientId, { rateLimits: { tweets: { limit: 1, windowSeconds: 900 } } });
    const { access_token } = await connect(emulator());
    expect((await tweet(emulator(), access_token, { text: "first" })).status).toBe(201);
    const limited = await tweet(emulator(), access_token, { text: "second" });
    expect(limited.status).toBe(429);
    expect(limited.text).toBe(PROBLEM.tooMany);
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    expect(limited.headers.get("x-user-limit-24hour-remaining")).toBe("2399");
  });

  it("403 answers carry the headers without spending the window", async () => {
    const { access_token } = await connect(emulator(), { scope: "tweet.read" });
    const denied = await me(access_token);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-rate-limit-remaining")).toBe("75");
    expect(denied.headers.get("x-access-level")).toBe("read-write-directmessages");
  });
});

describe("x-access-level switch", () => {
  it("on by default, reflecting the permission at consent; off removes the header", async () => {
    const { access_token } = await connect(emulator());
    expect((await me(access_token)).headers.get("x-access-level")).toBe("read-write-directmessages");
    await emulator().control.setSwitches({ accessLevelHeader: false });
    expect((await me(access_token)).headers.get("x-access-level")).toBeNull();
  });
});
