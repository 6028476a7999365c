// POST/GET /api/v1/posts against the X emulator: publishing through the account's own app,
// X's weighted length, X's refusals as stable codes, and exactly-once with Idempotency-Key.
import { createHash } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import * as postsRoute from "@/app/api/v1/posts/route";
import { flushRateWindows } from "@/lib/connections/quota";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { call, expectProblem, makeKey } from "./api-helpers";
import { agency, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
// Rate-limit figures are written shortly after each post: write them before the database goes away.
afterAll(() => flushRateWindows());
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  app ??= await newApp(ctx.emu);
});

async function connected(options: { dropScopes?: string[]; app?: App; userId?: string } = {}) {
  const a = await agency(options.app ?? app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { dropScopes: options.dropScopes, userId: options.userId });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
  const { key } = await makeKey(a.owner, a.workspaceId, ["posts:write"]);
  await ctx.emu.control.clearRequests();
  return { ...a, account, key };
}

type Who = Awaited<ReturnType<typeof connected>>;
const publish = (who: Who, text: string, idempotencyKey?: string) =>
  call(postsRoute.POST, "/posts", { key: who.key, json: { accountId: who.account.id, text }, headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} });
const tweetCalls = async () => ctx.emu.control.requests({ method: "POST", path: "/2/tweets" });
const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;

describe("publishing", () => {
  it("publishes through the account's app and lists it; the post exists at X", async () => {
    const who = await connected();
    const text = unique("Hello from Keyport");
    const result = await publish(who, text);
    expect(result.status).toBe(201);
    const tweets = await ctx.emu.control.tweets({ userId: X_USERS.ada });
    const tweet = tweets.find((t) => t.text === text)!;
    expect(tweet.clientId).toBe(app.clientId);
    expect(result.json).toEqual({
      id: tweet.id,
      url: `https://x.com/ada_sandbox/status/${tweet.id}`,
      account: { id: who.account.id, username: "ada_sandbox" },
      text,
      replyToPostId: null,
      quotePostId: null,
      createdAt: expect.stringMatching(/Z$/),
      costClass: "standard",
    });
    expect(result.text).not.toMatch(/token|secret/i);
    const list = await call(postsRoute.GET, `/posts?accountId=${who.account.id}`, { key: who.key });
    expect(list.status).toBe(200);
    expect(list.json!.data).toEqual([result.json]);
    expectProblem(await call(postsRoute.GET, "/posts?accountId=nope", { key: who.key }), 404, "not_found");
  });

  it("a second workspace cannot post as the account", async () => {
    const who = await connected();
    const other = await agency(app);
    const { key } = await makeKey(other.owner, other.workspaceId, ["posts:write"]);
    expectProblem(await call(postsRoute.POST, "/posts", { key, json: { accountId: who.account.id, text: "not yours" } }), 404, "not_found");
    expect(await tweetCalls()).toHaveLength(0);
  });

  it("duplicate content: X's 403 becomes duplicate_content", async () => {
    const who = await connected();
    const text = unique("Same words");
    expect((await publish(who, text)).status).toBe(201);
    expectProblem(await publish(who, text), 403, "duplicate_content");
    expect((await db.connectedAccount.findUniqueOrThrow({ where: { id: who.account.id } })).status).toBe("ACTIVE");
  });

  it("weighted length: URLs count 23, CJK and emoji 2; exactly 280 is published, 281 refused before X", async () => {
    const who = await connected();
    const url = `https://example.com/${"long-path/".repeat(20)}`;
    // 23 (URL) + 1 space + 2×20 (CJK) + 2×10 (emoji) + 196 letters = 280.
    const at280 = `${url} ${"漢".repeat(20)}${"🎉".repeat(10)}${"a".repeat(196)}`;
    const published = await publish(who, at280);
    expect(published.status).toBe(201);
    expect(published.json!.costClass).toBe("url");
    const over = expectProblem(await publish(who, `${at280}b`), 422, "text_too_long");
    expect(over.detail).toContain("281");
    expectProblem(await publish(who, "😀".repeat(141)), 422, "text_too_long");
    expectProblem(await publish(who, "字".repeat(141)), 422, "text_too_long");
    expect(await tweetCalls()).toHaveLength(1);
  });

  it("missing tweet.write: refused with missing_x_scope and the account is flagged with the scope it lacks", async () => {
    const who = await connected({ dropScopes: ["tweet.write"] });
    // Keyport believed the grant could post (say it was stored before scopes were checked): X's 403 decides.
    await db.connectedAccount.update({ where: { id: who.account.id }, data: { status: "ACTIVE", statusReason: null, grantedScopes: `${who.account.grantedScopes} tweet.write` } });
    const refused = expectProblem(await publish(who, unique("No permission")), 403, "missing_x_scope");
    expect(refused.detail).toContain("tweet.write");
    expect(await tweetCalls()).toHaveLength(1);
    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: who.account.id } });
    expect(row).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: "missing-scopes" });
    expect(row.statusDetail).toContain("tweet.write");
    // Known from now on without asking X again.
    expectProblem(await publish(who, unique("Still none")), 403, "missing_x_scope");
    expect(await tweetCalls()).toHaveLength(1);
  });

  it("an expired access token is refreshed transparently, before the call or after X's 401", async () => {
    const who = await connected();
    await db.connectedAccount.update({ where: { id: who.account.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    expect((await publish(who, unique("After expiry"))).status).toBe(201);
    // X stops accepting the access token while Keyport still thinks it valid: X answers 401.
    await ctx.emu.control.clearRequests();
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/tweets", status: 401, body: { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" }, times: 1 });
    expect((await publish(who, unique("After a 401"))).status).toBe(201);
    expect((await tweetCalls()).map((r) => r.status)).toEqual([401, 201]);
    expect((await ctx.emu.control.requests({ path: "/2/oauth2/token" })).filter((r) => r.grantType === "refresh_token")).toHaveLength(1);
    expect((await db.connectedAccount.findUniqueOrThrow({ where: { id: who.account.id } })).status).toBe("ACTIVE");
  });

  it("X's 429 becomes x_rate_limited with Retry-After from X's reset header", async () => {
    const limited = await newApp(ctx.emu, "Tight app");
    await ctx.emu.control.updateApp(limited.clientId, { rateLimits: { tweetsApp24h: { limit: 1, windowSeconds: 3600 } } });
    const who = await connected({ app: limited });
    expect((await publish(who, unique("First"))).status).toBe(201);
    const result = await publish(who, unique("Second"));
    const body = expectProblem(result, 429, "x_rate_limited");
    const retryAfter = Number(result.response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3601); // X's reset is whole seconds, rounded up
    expect(body.retryAfterSeconds).toBe(retryAfter);
  });

  it("X unreachable: x_unavailable and nothing sent", async () => {
    const who = await connected();
    const saved = env.X_API_BASE_URL;
    Object.assign(env, { X_API_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    try {
      const failed = expectProblem(await publish(who, unique("Nowhere"), "nowhere-1"), 503, "x_unavailable");
      expect(failed.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      Object.assign(env, { X_API_BASE_URL: saved });
    }
    expect(await tweetCalls()).toHaveLength(0);
  });

  it("X failing (5xx): x_unavailable, nothing posted, a retry with the same key posts", async () => {
    const who = await connected();
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/tweets", status: 503, times: 1 });
    const key = unique("k").replace(" ", "-");
    const text = unique("Retry me");
    const failed = expectProblem(await publish(who, text, key), 503, "x_unavailable");
    expect(failed.retryAfterSeconds).toBeGreaterThan(0);
    const retried = await publish(who, text, key);
    expect(retried.status).toBe(201);
    expect(retried.response.headers.get("idempotent-replayed")).toBeNull();
    expect((await ctx.emu.control.tweets({ userId: X_USERS.ada })).filter((t) => t.text === text)).toHaveLength(1);
    expect((await tweetCalls()).map((r) => r.status)).toEqual([503, 201]);
  });
});

describe("Idempotency-Key", () => {
  it("a retry with the same key and body replays the first result and posts once", async () => {
    const who = await connected();
    const text = unique("Once");
    const first = await publish(who, text, "order-4711");
    const again = await publish(who, text, "order-4711");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(await tweetCalls()).toHaveLength(1);
    expectProblem(await publish(who, `${text} (edited)`, "order-4711"), 422, "idempotency_key_reused");
    expect(await tweetCalls()).toHaveLength(1);
  });

  it("X's reply to the first attempt is lost: 409 outcome_unknown, and retries never post again", async () => {
    const who = await connected();
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/tweets", loseReply: true, times: 1 });
    const text = unique("Lost reply");
    const first = expectProblem(await publish(who, text, "lost-1"), 409, "outcome_unknown");
    expect(first.detail).toContain("@ada_sandbox");
    expectProblem(await publish(who, text, "lost-1"), 409, "outcome_unknown");
    expectProblem(await publish(who, text, "lost-1"), 409, "outcome_unknown");
    expect(await tweetCalls()).toHaveLength(1);
    expect((await ctx.emu.control.tweets({ userId: X_USERS.ada })).filter((t) => t.text === text)).toHaveLength(1);
  });

  it("the first attempt timed out at X (X posted late): 409 outcome_unknown, and the retry does not post again", async () => {
    const who = await connected();
    const saved = env.X_TIMEOUT_MS;
    Object.assign(env, { X_TIMEOUT_MS: 300 });
    try {
      await ctx.emu.control.injectFault({ method: "POST", path: "/2/tweets", delayMs: 800, times: 1 });
      const text = unique("Slow X");
      expectProblem(await publish(who, text, "slow-1"), 409, "outcome_unknown");
      await new Promise((resolve) => setTimeout(resolve, 800)); // X finishes the post meanwhile
      expectProblem(await publish(who, text, "slow-1"), 409, "outcome_unknown");
      expect((await ctx.emu.control.tweets({ userId: X_USERS.ada })).filter((t) => t.text === text)).toHaveLength(1);
      expect(await tweetCalls()).toHaveLength(1);
    } finally {
      Object.assign(env, { X_TIMEOUT_MS: saved });
    }
  });

  it("a claim whose holder died mid-call is never retried: its outcome is unknown", async () => {
    const who = await connected();
    const text = unique("Crashed");
    const hash = createHash("sha256").update(JSON.stringify([who.account.id, text, null, null])).digest("hex");
    await db.postAttempt.create({
      data: { id: "pst_crashed", workspaceId: who.workspaceId, brandId: who.brandId, accountId: who.account.id, idempotencyKey: "crash-1", requestHash: hash, text, costClass: "standard", state: "PENDING", claimedUntil: new Date(Date.now() - 1000), username: "ada_sandbox", actorKind: "api-key", actorId: "k", actorName: "k" },
    });
    expectProblem(await publish(who, text, "crash-1"), 409, "outcome_unknown");
    expect(await tweetCalls()).toHaveLength(0);
    expect((await db.postAttempt.findUniqueOrThrow({ where: { id: "pst_crashed" } })).state).toBe("UNKNOWN");
  });

  it("two racing requests with one key post once; both get the same post", async () => {
    const who = await connected();
    await ctx.emu.control.injectFault({ method: "POST", path: "/2/tweets", delayMs: 400, times: 1 });
    const text = unique("Race");
    const results = await Promise.all([publish(who, text, "race-1"), publish(who, text, "race-1"), publish(who, text, "race-1")]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.json!.id)).size).toBe(1);
    expect(results.filter((r) => r.response.headers.get("idempotent-replayed") === "true")).toHaveLength(2);
    expect(await tweetCalls()).toHaveLength(1);
    expect(await db.postAttempt.count({ where: { workspaceId: who.workspaceId, idempotencyKey: "race-1" } })).toBe(1);
  });

  it("keys are per workspace: another workspace's same key is its own request", async () => {
    const one = await connected();
    const two = await connected({ userId: X_USERS.blue });
    expect((await publish(one, unique("A"), "shared-key")).status).toBe(201);
    expect((await publish(two, unique("B"), "shared-key")).status).toBe(201);
    expect(await tweetCalls()).toHaveLength(1 + 1);
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
