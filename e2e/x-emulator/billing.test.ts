// Contract §8: pay-per-use billing per app. User: Read once per app and user within 24 hours of
// the emulator clock, posts per request (13 times more with a link), nothing for OAuth or for a
// failed call; prices configurable; counters cleared by DELETE /costs and by reset.
import { describe, expect, it } from "vitest";
import { startXEmulator } from "./index";
import { bearer, connect, revoke, SANDBOX, sharedEmulator, token, tweet, USERS, type Tokens } from "./test-helpers";
import type { AppCosts, BillingCategory } from "./types";

const emulator = sharedEmulator();
const me = (accessToken: string, query = "") => bearer(emulator(), `/2/users/me${query}`, accessToken);
const sandboxCosts = () => emulator().control.appCosts(SANDBOX.clientId);
const refresh = async (tokens: Tokens) => (await token(emulator(), { grant_type: "refresh_token", refresh_token: tokens.refresh_token! })).body as Tokens;

/** calls / billedUnits / microUsd of one category, for compact assertions. */
function tally(costs: AppCosts, category: BillingCategory) {
  const { calls, billedUnits, cost } = costs.categories[category];
  return { calls, billedUnits, microUsd: cost.microUsd };
}

describe("User: Read (GET /2/users/me)", () => {
  it("the same user read twice within 24 hours is billed once; again once 24 hours have passed", async () => {
    let tokens = await connect(emulator());
    expect((await me(tokens.access_token)).status).toBe(200);
    expect((await me(tokens.access_token)).status).toBe(200);
    expect(tally(await sandboxCosts(), "userRead")).toEqual({ calls: 2, billedUnits: 1, microUsd: 10_000 });

    await emulator().control.advanceClock(23 * 3600 + 3599);
    tokens = await refresh(tokens); // the access token died after two hours; refreshing is free
    expect((await me(tokens.access_token)).status).toBe(200);
    expect(tally(await sandboxCosts(), "userRead")).toEqual({ calls: 3, billedUnits: 1, microUsd: 10_000 });

    await emulator().control.advanceClock(1);
    expect((await me(tokens.access_token)).status).toBe(200);
    const costs = await sandboxCosts();
    expect(tally(costs, "userRead")).toEqual({ calls: 4, billedUnits: 2, microUsd: 20_000 });
    expect(costs.categories.userRead).toMatchObject({ label: "User: Read", cost: { microUsd: 20_000, usd: 0.02 } });
    expect(costs).toMatchObject({ calls: 4, billedUnits: 2, cost: { microUsd: 20_000, usd: 0.02 } });
  });

  it("de-duplicates per app and per user: another user, or the same user through another app, is billed", async () => {
    const other = await emulator().control.createApp({ name: "Other", callbackUrls: [SANDBOX.redirectUri] });
    const ada = await connect(emulator());
    const blue = await connect(emulator(), { userId: USERS.blue });
    const adaOther = await connect(emulator(), { clientId: other.clientId, clientSecret: other.clientSecret! });
    for (const accessToken of [ada.access_token, blue.access_token, adaOther.access_token, ada.access_token]) {
      expect((await me(accessToken)).status).toBe(200);
    }
    const report = await emulator().control.costs();
    const byApp = Object.fromEntries(report.apps.map((a) => [a.clientId, a]));
    expect(tally(byApp[SANDBOX.clientId]!, "userRead")).toEqual({ calls: 3, billedUnits: 2, microUsd: 20_000 });
    expect(tally(byApp[other.clientId]!, "userRead")).toEqual({ calls: 1, billedUnits: 1, microUsd: 10_000 });
    expect(report.total).toEqual({ calls: 4, billedUnits: 3, cost: { microUsd: 30_000, usd: 0.03 } });
  });

  it("a failed read is not billed and does not start the 24 hours: the next successful one is billed", async () => {
    // Two requests per window: the 400 below spends one (X counts it), the success the other.
    await emulator().control.updateApp(SANDBOX.clientId, { rateLimits: { usersMe: { limit: 2, windowSeconds: 900 } } });
    const tokens = await connect(emulator());
    const narrow = await connect(emulator(), { scope: "tweet.read offline.access" });
    await emulator().control.injectFault({ path: "/2/users/me", status: 503, times: 1 });
    expect((await me(tokens.access_token)).status).toBe(503);
    expect((await me(tokens.access_token, "?user.fields=shoe_size")).status).toBe(400);
    expect((await me("made-up-token")).status).toBe(401);
    expect((await me(narrow.access_token)).status).toBe(403);
    await emulator().control.updateApp(SANDBOX.clientId, { enrolled: false });
    expect((await me(tokens.access_token)).status).toBe(403);
    await emulator().control.updateApp(SANDBOX.clientId, { enrolled: true });
    expect(tally(await sandboxCosts(), "userRead")).toEqual({ calls: 0, billedUnits: 0, microUsd: 0 });

    expect((await me(tokens.access_token)).status).toBe(200);
    expect((await me(tokens.access_token)).status).toBe(429);
    expect(tally(await sandboxCosts(), "userRead")).toEqual({ calls: 1, billedUnits: 1, microUsd: 10_000 });
  });

  it("a reply lost on the way back was still served, so it is billed", async () => {
    const tokens = await connect(emulator());
    await emulator().control.injectFault({ path: "/2/users/me", loseReply: true, times: 1 });
    await expect(me(tokens.access_token)).rejects.toThrow();
    expect(tally(await sandboxCosts(), "userRead")).toEqual({ calls: 1, billedUnits: 1, microUsd: 10_000 });
  });
});

describe("Content: Create (POST /2/tweets)", () => {
  it("a plain post costs $0.015, a post with a link $0.200; each request is billed", async () => {
    const { access_token } = await connect(emulator());
    expect((await tweet(emulator(), access_token, { text: "Plain words only." })).status).toBe(201);
    expect((await tweet(emulator(), access_token, { text: "More plain words." })).status).toBe(201);
    expect((await tweet(emulator(), access_token, { text: "Menu at https://example.com/menu" })).status).toBe(201);
    expect((await tweet(emulator(), access_token, { text: "Or just bluelantern.cafe.example.com" })).status).toBe(201);
    const costs = await sandboxCosts();
    expect(tally(costs, "contentCreate")).toEqual({ calls: 2, billedUnits: 2, microUsd: 30_000 });
    expect(tally(costs, "contentCreateWithUrl")).toEqual({ calls: 2, billedUnits: 2, microUsd: 400_000 });
    expect(costs.categories.contentCreateWithUrl.label).toBe("Content: Create with a URL");
    expect(costs.cost).toEqual({ microUsd: 430_000, usd: 0.43 });

    const log = await emulator().control.requests({ path: "/2/tweets" });
    expect(log.map((r) => r.billing)).toEqual([
      { category: "contentCreate", billedUnits: 1, cost: { microUsd: 15_000, usd: 0.015 } },
      { category: "contentCreate", billedUnits: 1, cost: { microUsd: 15_000, usd: 0.015 } },
      { category: "contentCreateWithUrl", billedUnits: 1, cost: { microUsd: 200_000, usd: 0.2 } },
      { category: "contentCreateWithUrl", billedUnits: 1, cost: { microUsd: 200_000, usd: 0.2 } },
    ]);
  });

  it("refused posts (duplicate, bad body, missing scope, no token) cost nothing", async () => {
    const { access_token } = await connect(emulator());
    const readOnly = await connect(emulator(), { scope: "tweet.read users.read" });
    expect((await tweet(emulator(), access_token, { text: "see https://example.com" })).status).toBe(201);
    expect((await tweet(emulator(), access_token, { text: "see https://example.com" })).status).toBe(403);
    expect((await tweet(emulator(), access_token, { text: "https://example.com", colour: "blue" })).status).toBe(400);
    expect((await tweet(emulator(), readOnly.access_token, { text: "https://example.com/2" })).status).toBe(403);
    expect((await tweet(emulator(), "made-up", { text: "https://example.com/3" })).status).toBe(401);
    await emulator().control.injectFault({ path: "/2/tweets", status: 500, times: 1 });
    expect((await tweet(emulator(), access_token, { text: "https://example.com/4" })).status).toBe(500);
    expect(tally(await sandboxCosts(), "contentCreateWithUrl")).toEqual({ calls: 1, billedUnits: 1, microUsd: 200_000 });
    const log = await emulator().control.requests({ path: "/2/tweets" });
    expect(log.map((r) => r.billing?.category ?? null)).toEqual(["contentCreateWithUrl", null, null, null, null, null]);
  });
});

describe("unbilled", () => {
  it("authorize, token (code and refresh) and revoke cost nothing", async () => {
    const tokens = await connect(emulator());
    const refreshed = await refresh(tokens);
    await revoke(emulator(), { token: refreshed.refresh_token!, token_type_hint: "refresh_token" });
    const report = await emulator().control.costs();
    expect(report.total).toEqual({ calls: 0, billedUnits: 0, cost: { microUsd: 0, usd: 0 } });
    expect(report.apps.map((a) => a.name)).toEqual(["Keyport Sandbox", "Sandbox Native App"]);
    expect((await emulator().control.requests()).every((r) => r.billing === null)).toBe(true);
  });
});

describe("prices", () => {
  it("X's documented prices by default, in micro-dollars and USD", async () => {
    expect(await emulator().control.prices()).toEqual({
      userRead: { label: "User: Read", per: "resource", microUsd: 10_000, usd: 0.01 },
      contentCreate: { label: "Content: Create", per: "request", microUsd: 15_000, usd: 0.015 },
      contentCreateWithUrl: { label: "Content: Create with a URL", per: "request", microUsd: 200_000, usd: 0.2 },
    });
  });

  it("a partial update applies to later calls only; earlier costs keep their price", async () => {
    const { access_token } = await connect(emulator());
    await tweet(emulator(), access_token, { text: "first https://example.com" });
    const prices = await emulator().control.setPrices({ contentCreateWithUrl: { usd: 0.25 }, userRead: { microUsd: 7_500 } });
    expect(prices.contentCreateWithUrl).toMatchObject({ microUsd: 250_000, usd: 0.25 });
    expect(prices.userRead).toMatchObject({ microUsd: 7_500, usd: 0.0075 });
    expect(prices.contentCreate).toMatchObject({ microUsd: 15_000 });
    await tweet(emulator(), access_token, { text: "second https://example.com" });
    await me(access_token);
    const costs = await sandboxCosts();
    expect(tally(costs, "contentCreateWithUrl")).toEqual({ calls: 2, billedUnits: 2, microUsd: 450_000 });
    expect(tally(costs, "userRead")).toEqual({ calls: 1, billedUnits: 1, microUsd: 7_500 });
    expect(costs.cost).toEqual({ microUsd: 457_500, usd: 0.4575 });
  });

  it("keeps money exact: sums of fractional USD prices do not drift", async () => {
    await emulator().control.setPrices({ contentCreate: { usd: 0.001 } });
    const { access_token } = await connect(emulator());
    for (let i = 0; i < 3; i++) expect((await tweet(emulator(), access_token, { text: `post ${i}` })).status).toBe(201);
    // 0.001 + 0.001 + 0.001 in floating point is 0.0030000000000000005.
    expect((await sandboxCosts()).cost).toEqual({ microUsd: 3_000, usd: 0.003 });
  });

  it.each<[string, unknown]>([
    ["an unknown category", { postsRead: { usd: 0.005 } }],
    ["a bare number", { userRead: 0.01 }],
    ["a negative price", { userRead: { usd: -0.01 } }],
    ["finer than a micro-dollar", { userRead: { usd: 0.0000001 } }],
    ["fractional micro-dollars", { userRead: { microUsd: 1.5 } }],
    ["both units at once", { userRead: { usd: 0.01, microUsd: 10_000 } }],
    ["a string", { userRead: { usd: "0.01" } }],
  ])("refuses %s with 400 and changes nothing", async (_name, patch) => {
    await expect(emulator().control.setPrices(patch as never)).rejects.toMatchObject({ status: 400 });
    expect((await emulator().control.prices()).userRead.microUsd).toBe(10_000);
  });
});

describe("resetting", () => {
  it("DELETE /costs zeroes the counters and forgets the 24-hour memory; prices stay", async () => {
    await emulator().control.setPrices({ userRead: { microUsd: 5_000 } });
    const { access_token } = await connect(emulator());
    await me(access_token);
    await emulator().control.resetCosts();
    expect((await emulator().control.costs()).total.calls).toBe(0);
    await me(access_token);
    expect(tally(await sandboxCosts(), "userRead")).toEqual({ calls: 1, billedUnits: 1, microUsd: 5_000 });
  });

  it("POST /reset zeroes them too and restores the start-up prices", async () => {
    await emulator().control.setPrices({ userRead: { microUsd: 5_000 } });
    const { access_token } = await connect(emulator());
    await me(access_token);
    await emulator().control.reset();
    expect((await emulator().control.costs()).total).toEqual({ calls: 0, billedUnits: 0, cost: { microUsd: 0, usd: 0 } });
    expect((await emulator().control.prices()).userRead.microUsd).toBe(10_000);
  });

  it("start-up prices come from the seed and the prices option, and survive reset", async () => {
    const seed = { ...emulator().seed, prices: { userRead: { usd: 0.002 } } };
    const own = await startXEmulator({ seed, prices: { contentCreate: { microUsd: 20_000 } } });
    try {
      await own.control.setPrices({ userRead: { usd: 1 } });
      await own.control.reset();
      const prices = await own.control.prices();
      expect(prices.userRead.microUsd).toBe(2_000);
      expect(prices.contentCreate.microUsd).toBe(20_000);
      expect(prices.contentCreateWithUrl.microUsd).toBe(200_000);
    } finally {
      await own.close();
    }
    await expect(startXEmulator({ prices: { userRead: { usd: -1 } } })).rejects.toThrow(/non-negative/);
  });
});

describe("GET /costs", () => {
  it("?clientId= narrows the report to one app; an unknown client id is a 400", async () => {
    const { access_token } = await connect(emulator());
    await me(access_token);
    const report = await emulator().control.costs({ clientId: SANDBOX.clientId });
    expect(report.apps.map((a) => a.clientId)).toEqual([SANDBOX.clientId]);
    expect(report.total.cost.microUsd).toBe(10_000);
    await expect(emulator().control.appCosts("no-such-client")).rejects.toMatchObject({ status: 400 });
  });

  it("a deleted app's costs stay in the report, without a name", async () => {
    const other = await emulator().control.createApp({ name: "Short-lived", callbackUrls: [SANDBOX.redirectUri] });
    const tokens = await connect(emulator(), { clientId: other.clientId, clientSecret: other.clientSecret! });
    await tweet(emulator(), tokens.access_token, { text: "hello" });
    await emulator().control.deleteApp(other.clientId);
    expect(await emulator().control.appCosts(other.clientId)).toMatchObject({ name: null, calls: 1, cost: { microUsd: 15_000 } });
  });
});
