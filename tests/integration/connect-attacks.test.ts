// RFC 9700 attacks on the callback. Every refusal happens before Keyport talks to X: the
// emulator's request log shows no token call except the one legitimate exchange.
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it } from "vitest";
import { GET as connectGet, POST as connectRoute } from "@/app/api/integrations/twitter/connect/route";
import { db } from "@/lib/db";
import { actAs } from "./helpers";
import { agency, attemptFor, CALLBACK, connectPost, consent, ORIGIN, hitCallback, newApp, startToX, tokenCalls, emulatorForThisFile, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await ctx.emu.control.clearRequests();
  app ??= await newApp(ctx.emu);
});

async function expectRefusal(response: Response, heading: RegExp, secrets: string[]) {
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.get("content-type")).toContain("text/html");
  const html = await response.text();
  expect(html).toMatch(heading);
  expect(html).toContain("Nothing was connected");
  for (const s of secrets) expect(html).not.toContain(s);
}

describe("refused without calling X", () => {
  it("missing state", async () => {
    const a = await agency(app);
    const authorize = await startToX(a.owner, a.workspaceId, a.brandId);
    const back = await consent(ctx.emu, authorize);
    const code = back.searchParams.get("code")!;
    const response = await hitCallback(`${CALLBACK}?code=${code}`, a.owner, a.workspaceId);
    await expectRefusal(response, /can&#39;t be finished|can't be finished/, [code]);
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    // The attempt is untouched and still finishes normally.
    const ok = await hitCallback(back, a.owner, a.workspaceId);
    expect((await attemptFor(ok.headers.get("location")))?.outcome).toBe("connected");
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
  });

  it("unknown state (forged, or over-long)", async () => {
    const a = await agency(app);
    const authorize = await startToX(a.owner, a.workspaceId, a.brandId);
    const code = (await consent(ctx.emu, authorize)).searchParams.get("code")!;
    for (const state of ["forged-state-value-0000000000000000000000000", "x".repeat(5000)]) {
      const response = await hitCallback(`${CALLBACK}?state=${state}&code=${code}`, a.owner, a.workspaceId);
      await expectRefusal(response, /doesn.t recognise/, [code]);
    }
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
  });

  it("expired state: the attempt is marked expired, X is not called", async () => {
    const a = await agency(app);
    const authorize = await startToX(a.owner, a.workspaceId, a.brandId);
    const back = await consent(ctx.emu, authorize);
    await db.connectAttempt.updateMany({ where: { brandId: a.brandId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await hitCallback(back, a.owner, a.workspaceId);
    expect(response.status).toBe(302);
    expect((await attemptFor(response.headers.get("location")))?.outcome).toBe("expired");
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    expect(await db.connectedAccount.count({ where: { brandId: a.brandId } })).toBe(0);
  });

  it("replayed state: after a finished attempt, the same state with a fresh code only shows the first outcome", async () => {
    const a = await agency(app);
    const authorize = await startToX(a.owner, a.workspaceId, a.brandId);
    const first = await hitCallback(await consent(ctx.emu, authorize), a.owner, a.workspaceId);
    const firstLocation = first.headers.get("location");
    expect((await attemptFor(firstLocation))?.outcome).toBe("connected");
    // Another code for the same state (as if replaying the consent), as a different X user.
    const replay = await consent(ctx.emu, authorize, { userId: X_USERS.blue });
    const second = await hitCallback(replay, a.owner, a.workspaceId);
    expect(second.headers.get("location")).toBe(firstLocation);
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
    expect(await db.connectedAccount.findMany({ where: { brandId: a.brandId }, select: { xUserId: true } })).toEqual([{ xUserId: X_USERS.ada }]);
  });

  it("callback finished by another signed-in user (same workspace or another), or signed out: refused, the attempt stays usable", async () => {
    const a = await agency(app);
    const b = await agency(app);
    const authorize = await startToX(a.member, a.workspaceId, a.brandId);
    const back = await consent(ctx.emu, authorize);
    await expectRefusal(await hitCallback(back, a.other, a.workspaceId), /started by someone else/, [back.searchParams.get("code")!]);
    await expectRefusal(await hitCallback(back, b.owner, b.workspaceId), /started by someone else/, []);
    await expectRefusal(await hitCallback(back, null), /Sign in to finish/, []);
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    expect((await db.connectAttempt.findFirstOrThrow({ where: { brandId: a.brandId } })).consumedAt).toBeNull();
    // The rightful user still finishes it.
    const response = await hitCallback(back, a.member, a.workspaceId);
    expect((await attemptFor(response.headers.get("location")))?.outcome).toBe("connected");
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
  });

  it("callback finished by a user removed from the attempt's workspace meanwhile: refused without calling X", async () => {
    const a = await agency(app);
    const b = await agency(app);
    // The member also belongs to another workspace, so they are still signed in after removal.
    await db.membership.create({ data: { userId: a.member, workspaceId: b.workspaceId, role: "MEMBER" } });
    const back = await consent(ctx.emu, await startToX(a.member, a.workspaceId, a.brandId));
    await db.membership.deleteMany({ where: { userId: a.member, workspaceId: a.workspaceId } });
    await expectRefusal(await hitCallback(back, a.member, a.workspaceId), /no longer a member/, [back.searchParams.get("code")!]);
    await expectRefusal(await hitCallback(back, a.member, b.workspaceId), /no longer a member/, []);
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    expect(await db.connectedAccount.count({ where: { brandId: a.brandId } })).toBe(0);
  });

  it("code injected with a foreign state: an attacker's own code and state, delivered to a victim's browser, are refused", async () => {
    const victim = await agency(app);
    const attacker = await agency(app);
    // The attacker starts a connection in their own Keyport session and authorizes their X account…
    const attackerAuthorize = await startToX(attacker.owner, attacker.workspaceId, attacker.brandId);
    const injected = await consent(ctx.emu, attackerAuthorize, { userId: X_USERS.north });
    // …then makes the victim's browser open the callback with that code and state.
    await expectRefusal(await hitCallback(injected, victim.owner, victim.workspaceId), /started by someone else/, [injected.searchParams.get("code")!]);
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    expect(await db.connectedAccount.count({ where: { xUserId: X_USERS.north, workspaceId: { in: [victim.workspaceId, attacker.workspaceId] } } })).toBe(0);
  });

  it("a code swapped into the victim's own attempt fails PKCE at X and connects nothing", async () => {
    const a = await agency(app);
    const victimAuthorize = await startToX(a.owner, a.workspaceId, a.brandId);
    const attackerAuthorize = await startToX(a.other, a.workspaceId, a.brandId);
    const attackerCode = (await consent(ctx.emu, attackerAuthorize, { userId: X_USERS.north })).searchParams.get("code")!;
    const forged = `${CALLBACK}?state=${victimAuthorize.searchParams.get("state")}&code=${attackerCode}`;
    const response = await hitCallback(forged, a.owner, a.workspaceId);
    expect((await attemptFor(response.headers.get("location")))?.outcome).toBe("code-rejected");
    // This one does reach X, and X refuses it: the victim's verifier doesn't match the attacker's challenge.
    expect((await tokenCalls(ctx.emu)).map((c) => c.status)).toEqual([400]);
    expect(await db.connectedAccount.count({ where: { brandId: a.brandId } })).toBe(0);
  });
});

describe("double hit", () => {
  it("the same callback twice in a row: one exchange, the second shows the first outcome", async () => {
    const a = await agency(app);
    const back = await consent(ctx.emu, await startToX(a.owner, a.workspaceId, a.brandId));
    const first = await hitCallback(back, a.owner, a.workspaceId);
    const second = await hitCallback(back, a.owner, a.workspaceId);
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect((await attemptFor(second.headers.get("location")))?.outcome).toBe("connected");
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
  });

  it("the same callback twice at once (double click): one exchange, one account, both land on the outcome", async () => {
    const a = await agency(app);
    const back = await consent(ctx.emu, await startToX(a.owner, a.workspaceId, a.brandId));
    const [r1, r2] = await Promise.all([hitCallback(back, a.owner, a.workspaceId), hitCallback(back, a.owner, a.workspaceId)]);
    expect(r1.headers.get("location")).toBe(r2.headers.get("location"));
    expect((await attemptFor(r1.headers.get("location")))?.outcome).toBe("connected");
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
    expect(await db.connectedAccount.count({ where: { brandId: a.brandId } })).toBe(1);
  });
});

describe("starting from another site", () => {
  it("a GET of the start URL never goes to X, whatever the browser says about where it came from: it shows the brand page", async () => {
    const a = await agency(app);
    actAs(a.owner, a.workspaceId);
    const authorizeBefore = (await ctx.emu.control.requests({ path: "/i/oauth2/authorize" })).length;
    // A link or top-level navigation from another site, an old browser that sends neither
    // Sec-Fetch-Site nor Origin, a typed URL: all the same.
    const navigations: Record<string, string>[] = [{}, { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" }, { "sec-fetch-site": "none" }, { "sec-fetch-site": "same-origin" }, { origin: "null" }];
    for (const headers of navigations) {
      const response = await connectGet(new NextRequest(`${ORIGIN}/api/integrations/twitter/connect?brandId=${a.brandId}`, { headers }));
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`${ORIGIN}/brands/${a.brandId}`);
    }
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(0);
    expect(await ctx.emu.control.requests({ path: "/i/oauth2/authorize" })).toHaveLength(authorizeBefore);
    // Signed out: the sign-in page; a bad id: the brand list. Never X.
    actAs(null);
    expect((await connectGet(new NextRequest(`${ORIGIN}/api/integrations/twitter/connect?brandId=${a.brandId}`))).headers.get("location")).toBe(`${ORIGIN}/login`);
    actAs(a.owner, a.workspaceId);
    expect((await connectGet(new NextRequest(`${ORIGIN}/api/integrations/twitter/connect?brandId=%00`))).headers.get("location")).toBe(`${ORIGIN}/brands`);
  });

  it("a cross-site form POST can't start a connection in a signed-in browser: it lands on the brand page to press Connect there", async () => {
    const a = await agency(app);
    actAs(a.owner, a.workspaceId);
    const start = (headers: Record<string, string>) => connectRoute(connectPost(a.brandId, headers));
    for (const headers of [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { "sec-fetch-site": "same-site", origin: "http://sub.127.0.0.1:3999" },
      { "sec-fetch-site": "cross-site", origin: "null" },
    ]) {
      const response = await start(headers);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`${ORIGIN}/brands/${a.brandId}`);
    }
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(0);
    // From Keyport's own pages (Origin null under no-referrer, or the real origin): to X.
    for (const headers of [{ "sec-fetch-site": "same-origin", origin: "null" }, { "sec-fetch-site": "same-origin", origin: ORIGIN }]) {
      const response = await start(headers);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/i\/oauth2\/authorize\?/);
    }
  });
});
