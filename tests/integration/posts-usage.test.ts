// Quotas and cost per X app (issue 9 §4): after a series of posts, GET /api/v1/apps/usage shows
// exactly what X's (the emulator's) rate-limit headers said, warns under 10 % and after a 429,
// and the cost of the posts equals the emulator's cost counter, a post with a URL included.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as usageRoute from "@/app/api/v1/apps/usage/route";
import * as postsRoute from "@/app/api/v1/posts/route";
import * as previewRoute from "@/app/api/v1/posts/preview/route";
import { flushRateWindows } from "@/lib/connections/quota";
import { db } from "@/lib/db";
import { call, expectProblem, makeKey } from "./api-helpers";
import { agency, connectOnce, emulatorForThisFile, newApp, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
// Rate-limit figures are written shortly after each post: write them before the database goes away.
afterAll(() => flushRateWindows());

/** The rate-limit headers of X's answers to POST /2/tweets, as Keyport's fetch received them. */
let seen: Headers[] = [];
beforeEach(() => {
  seen = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const response = await real(input, init);
    if (String(input).endsWith("/2/tweets")) seen.push(response.headers);
    return response;
  });
});
afterEach(() => vi.restoreAllMocks());

async function setup(rateLimits: Record<string, { limit: number; windowSeconds: number }>) {
  const app: App = await newApp(ctx.emu, `Quota app ${Math.random().toString(36).slice(2, 6)}`);
  await ctx.emu.control.updateApp(app.clientId, { rateLimits });
  const a = await agency(app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
  const post = (await makeKey(a.owner, a.workspaceId, ["posts:write"])).key;
  const read = (await makeKey(a.owner, a.workspaceId, ["accounts:read"])).key;
  await ctx.emu.control.clearRequests();
  return { app, account, post, read, ...a };
}

type Setup = Awaited<ReturnType<typeof setup>>;
let n = 0;
const publish = (s: Setup, text = `Post number ${++n} ${Math.random().toString(36).slice(2, 8)}`) => call(postsRoute.POST, "/posts", { key: s.post, json: { accountId: s.account.id, text } });
async function usage(s: Setup) {
  const result = await call(usageRoute.GET, "/apps/usage", { key: s.read });
  expect(result.status).toBe(200);
  return (result.json!.data as { usage: Record<string, any> }[])[0]!.usage; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const fromHeaders = (h: Headers, prefix: string) => ({
  limit: Number(h.get(`${prefix}-limit`)),
  remaining: Number(h.get(`${prefix}-remaining`)),
  resetAt: new Date(Number(h.get(`${prefix}-reset`)) * 1000).toISOString(),
});

describe("quota per app", () => {
  it("after a series of posts the figures equal X's last headers, per app and per account", async () => {
    const s = await setup({ tweetsApp24h: { limit: 50, windowSeconds: 86_400 }, tweetsUser24h: { limit: 30, windowSeconds: 86_400 }, tweets: { limit: 20, windowSeconds: 900 } });
    for (let i = 0; i < 4; i++) expect((await publish(s)).status).toBe(201);
    const last = seen.at(-1)!;
    const u = await usage(s);
    expect(u.posts24h).toEqual({ ...fromHeaders(last, "x-app-limit-24hour"), limited: false, warning: false });
    expect(u.posts24h.remaining).toBe(46);
    expect(u.accounts).toEqual([
      {
        id: s.account.id,
        username: "ada_sandbox",
        posts24h: { ...fromHeaders(last, "x-user-limit-24hour"), limited: false, warning: false },
        postsWindow: { ...fromHeaders(last, "x-rate-limit"), limited: false, warning: false },
      },
    ]);
    expect(u.accounts[0].postsWindow.remaining).toBe(16);
    expect(u.endpoints).toEqual([
      { endpoint: "POST /2/tweets", windowLabel: "15 minutes, per account", account: { id: s.account.id, username: "ada_sandbox" }, window: u.accounts[0].postsWindow },
      // The connect's own profile read (GET /2/users/me), its window still open.
      { endpoint: "GET /2/users/me", windowLabel: "profile reads, 15 minutes, per account", account: { id: s.account.id, username: "ada_sandbox" }, window: expect.objectContaining({ limit: 75, remaining: 74, limited: false }) },
    ]);
    expect(u.warning).toBe(false);
  });

  it("warns under 10 % left and after a 429, with X's reset time", async () => {
    const s = await setup({ tweetsApp24h: { limit: 12, windowSeconds: 86_400 } });
    for (let i = 0; i < 10; i++) expect((await publish(s)).status).toBe(201);
    expect((await usage(s)).posts24h).toMatchObject({ remaining: 2, warning: false }); // 16 % left
    expect((await publish(s)).status).toBe(201);
    expect((await usage(s)).posts24h).toMatchObject({ remaining: 1, warning: true, limited: false }); // 8 % left
    expect((await publish(s)).status).toBe(201);
    expectProblem(await publish(s), 429, "x_rate_limited");
    const u = await usage(s);
    expect(u.posts24h).toMatchObject({ ...fromHeaders(seen.at(-1)!, "x-app-limit-24hour"), remaining: 0, limited: true, warning: true });
    expect(u.warning).toBe(true);
  });

  it("the cost of the posts equals the emulator's cost counter, a post with a URL included", async () => {
    const s = await setup({});
    expect((await publish(s, "A plain post")).status).toBe(201);
    const withUrl = await publish(s, "Read this: https://example.com/news");
    expect(withUrl.status).toBe(201);
    expect(withUrl.json!.costClass).toBe("url");
    expect((await publish(s, "Another plain one")).status).toBe(201);
    expectProblem(await publish(s, "Another plain one"), 403, "duplicate_content"); // refused: not billed
    const costs = await ctx.emu.control.appCosts(s.app.clientId);
    const emulatorPosts = costs.categories.contentCreate.cost.microUsd + costs.categories.contentCreateWithUrl.cost.microUsd;
    expect(emulatorPosts).toBe(2 * 15_000 + 200_000);
    const u = await usage(s);
    for (const period of [u.cost.thisMonth, u.cost.last30Days]) {
      expect(period).toMatchObject({ posts: 3, urlPosts: 1, postsCost: { microUsd: emulatorPosts, usd: emulatorPosts / 1e6 } });
    }
  });

  it("the API says before publishing when a post contains a URL, and what it will cost", async () => {
    const s = await setup({});
    const plain = await call(previewRoute.POST, "/posts/preview", { key: s.post, json: { text: "Hello 世界 🎉" } });
    expect(plain.json).toEqual({ weightedLength: 13, maxWeightedLength: 280, fits: true, urls: [], doubled: ["世", "界", "🎉"], costClass: "standard", expectedCost: { microUsd: 15_000, usd: 0.015 }, warning: null });
    const linked = await call(previewRoute.POST, "/posts/preview", { key: s.post, json: { text: "see example.com" } });
    expect(linked.json).toMatchObject({ weightedLength: 27, costClass: "url", expectedCost: { microUsd: 200_000 }, warning: expect.stringContaining("13 times") });
    expect(await ctx.emu.control.requests({ path: "/2/tweets" })).toHaveLength(0);
  });
});
