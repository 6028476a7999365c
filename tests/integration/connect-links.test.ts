// Hosted connect links: made by staff, opened by a client with no Keyport account, single-use,
// expiring, revocable; the attempt is bound to the link and to the browser that started it.
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as connectLinkRoute } from "@/app/api/integrations/twitter/connect-link/route";
import { createConnectLinkAction, revokeConnectLinkAction } from "@/lib/actions/connect-links";
import { listConnectLinks, lookupConnectLink } from "@/lib/data/connect-links";
import { STARTS_PER_ADDRESS, STARTS_PER_LINK } from "@/lib/connect-start-throttle";
import { db } from "@/lib/db";
import { installPeerStamp } from "@/lib/request-ip";
import { actAs } from "./helpers";
import { agency, consent, hitCallback, newApp, ORIGIN, tokenCalls, emulatorForThisFile, X_USERS, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;

// As under `next start` (instrumentation.ts): the X-Forwarded-For these requests carry stands for
// the chain the server's peer stamp leaves, the socket's address right-most. Without the stamp
// every press would share one "unknown" address budget.
installPeerStamp();

beforeEach(async () => {
  await ctx.emu.control.clearFaults();
  await ctx.emu.control.clearRequests();
  app ??= await newApp(ctx.emu);
});

async function makeLink(userId: string, workspaceId: string, brandId: string, expiresInHours?: number) {
  actAs(userId, workspaceId);
  const result = await createConnectLinkAction({ brandId, expiresInHours });
  if (!result.ok) throw new Error(result.error);
  return { ...result.data, token: result.data.url.split("/connect/")[1]! };
}

/** The client presses Connect on /connect/<token> in a signed-out browser. */
async function pressConnect(token: string, headers: Record<string, string> = {}) {
  actAs(null);
  const request = new NextRequest(`${ORIGIN}/api/integrations/twitter/connect-link`, {
    method: "POST",
    body: new URLSearchParams({ token }),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
  const response = await connectLinkRoute(request);
  const cookie = response.cookies.getAll().find((c) => c.name.startsWith("keyport_link_"));
  return { response, location: response.headers.get("location")!, cookie };
}

describe("connect links", () => {
  it("a member makes one (48 hours by default); it is listed, then withdrawn; only its hash is stored", async () => {
    const a = await agency(app);
    const link = await makeLink(a.member, a.workspaceId, a.brandId);
    expect(link.url).toMatch(new RegExp(`^${ORIGIN}/connect/[A-Za-z0-9_-]{43}$`));
    const hours = (new Date(link.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);
    const stored = await db.connectLink.findFirstOrThrow({ where: { brandId: a.brandId } });
    expect(stored.tokenHash).not.toContain(link.token);
    expect(JSON.stringify(stored)).not.toContain(link.token);

    const [listed] = await listConnectLinks(a.workspaceId, a.brandId);
    expect(listed).toMatchObject({ status: "active", createdByName: expect.any(String) });
    expect(await lookupConnectLink(link.token)).toMatchObject({ status: "active", brandName: expect.stringMatching(/^Brand/), workspaceName: expect.stringMatching(/^Agency/) });

    actAs(a.member, a.workspaceId);
    expect(await revokeConnectLinkAction({ linkId: listed!.id })).toEqual({ ok: true, data: undefined });
    expect(await revokeConnectLinkAction({ linkId: listed!.id })).toMatchObject({ ok: false });
    expect(await lookupConnectLink(link.token)).toMatchObject({ status: "revoked" });
  });

  it("a custom lifetime; bad input, other workspaces' brands and signed-out callers are refused", async () => {
    const a = await agency(app);
    const b = await agency(app);
    const short = await makeLink(a.owner, a.workspaceId, a.brandId, 1);
    expect(new Date(short.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    actAs(a.owner, a.workspaceId);
    expect(await createConnectLinkAction({ brandId: a.brandId, expiresInHours: 0 })).toMatchObject({ ok: false, fieldErrors: { expiresInHours: expect.any(String) } });
    expect(await createConnectLinkAction({ brandId: a.brandId, expiresInHours: 10_000 })).toMatchObject({ ok: false });
    expect(await createConnectLinkAction({ brandId: b.brandId })).toEqual({ ok: false, error: "Brand not found." });
    const [bLink] = await (async () => (await makeLink(b.owner, b.workspaceId, b.brandId), listConnectLinks(b.workspaceId, b.brandId)))();
    actAs(a.owner, a.workspaceId);
    expect(await revokeConnectLinkAction({ linkId: bLink!.id })).toMatchObject({ ok: false });
    actAs(null);
    expect(await createConnectLinkAction({ brandId: a.brandId })).toEqual({ ok: false, error: "You are signed out. Sign in again." });
  });

  it("a signed-out client connects through the link; the link is then used up, and reuse is refused", async () => {
    const a = await agency(app);
    const link = await makeLink(a.member, a.workspaceId, a.brandId);
    const started = await pressConnect(link.token);
    expect(started.response.status).toBe(303);
    const authorize = new URL(started.location);
    expect(authorize.searchParams.get("client_id")).toBe(app.clientId);
    expect(started.cookie).toMatchObject({ value: link.token, httpOnly: true, sameSite: "lax", path: "/api/integrations/twitter/callback" });
    const attempt = await db.connectAttempt.findFirstOrThrow({ where: { brandId: a.brandId } });
    expect(attempt).toMatchObject({ userId: null, linkId: expect.any(String) });

    const back = await consent(ctx.emu, authorize, { userId: X_USERS.blue });
    const response = await hitCallback(back, null, undefined, { [started.cookie!.name]: started.cookie!.value });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/connect/${link.token}?attempt=${attempt.id}`);
    // The cookie stays until it expires, so a reload of the callback still finds the outcome.
    expect(response.cookies.get(started.cookie!.name)).toBeUndefined();

    expect(await db.connectAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ outcome: "connected" });
    const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
    expect(account).toMatchObject({ username: "bluelanterncafe", connectedById: null, status: "ACTIVE" });
    expect(await lookupConnectLink(link.token)).toMatchObject({ status: "used", accountId: account.id });
    const [listed] = await listConnectLinks(a.workspaceId, a.brandId);
    expect(listed).toMatchObject({ status: "used", accountUsername: "bluelanterncafe" });
    expect((await db.auditEvent.findFirstOrThrow({ where: { workspaceId: a.workspaceId, action: "account.connected" } })).summary).toMatch(/through a connect link/);

    // Reuse: pressing Connect again only leads back to the link's page, which says it was used.
    const again = await pressConnect(link.token);
    expect(again.location).toBe(`${ORIGIN}/connect/${link.token}`);
    expect(again.cookie).toBeUndefined();
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(1);
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
  });

  it("double hit through a link: reloading the callback after it finished shows the same outcome, not an error", async () => {
    const a = await agency(app);
    const link = await makeLink(a.member, a.workspaceId, a.brandId);
    const started = await pressConnect(link.token);
    const back = await consent(ctx.emu, new URL(started.location), { userId: X_USERS.north });
    const jar: Record<string, string> = { [started.cookie!.name]: started.cookie!.value };
    const first = await hitCallback(back, null, undefined, jar);
    expect(first.status).toBe(302);
    // The browser applies the first response's cookies before it reloads.
    for (const c of first.cookies.getAll()) {
      if (c.value === "" || c.maxAge === 0) delete jar[c.name];
      else jar[c.name] = c.value;
    }
    const reload = await hitCallback(back, null, undefined, jar);
    expect(reload.status).toBe(302);
    expect(reload.headers.get("location")).toBe(first.headers.get("location"));
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
  });

  it("a form on another site posting the link's token starts nothing: back to the link's page to press Connect there", async () => {
    const a = await agency(app);
    const link = await makeLink(a.owner, a.workspaceId, a.brandId);
    const foreign: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null", "sec-fetch-site": "cross-site" }];
    for (const headers of foreign) {
      const started = await pressConnect(link.token, headers);
      expect(started.location).toBe(`${ORIGIN}/connect/${link.token}`);
      expect(started.cookie).toBeUndefined();
    }
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(0);
    // Keyport's own page: its no-referrer policy makes the browser send "Origin: null".
    const own = await pressConnect(link.token, { origin: "null", "sec-fetch-site": "same-origin" });
    expect(own.location).toMatch(/\/i\/oauth2\/authorize\?/);
  });

  it("expired and withdrawn links start nothing", async () => {
    const a = await agency(app);
    const expired = await makeLink(a.owner, a.workspaceId, a.brandId);
    await db.connectLink.updateMany({ where: { brandId: a.brandId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await lookupConnectLink(expired.token)).toMatchObject({ status: "expired" });
    expect((await pressConnect(expired.token)).location).toBe(`${ORIGIN}/connect/${expired.token}`);
    expect((await pressConnect("not-a-real-token-at-all-000000000")).location).toBe(`${ORIGIN}/connect/not-a-real-token-at-all-000000000`);
    expect((await pressConnect("<bad>")).location).toBe(`${ORIGIN}/connect/invalid`);
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(0);
  });

  it("finishing in another browser (no link cookie), or with a foreign link's cookie, is refused without calling X", async () => {
    const a = await agency(app);
    const link = await makeLink(a.owner, a.workspaceId, a.brandId);
    const other = await makeLink(a.owner, a.workspaceId, a.brandId);
    const started = await pressConnect(link.token);
    const back = await consent(ctx.emu, new URL(started.location));
    const noCookie = await hitCallback(back, null);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toMatch(/Finish in the browser you started in/);
    const wrong = await hitCallback(back, null, undefined, { [started.cookie!.name]: other.token });
    expect(wrong.status).toBe(400);
    // A signed-in staff member is not the link's browser either.
    expect((await hitCallback(back, a.owner, a.workspaceId)).status).toBe(400);
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    expect(await lookupConnectLink(link.token)).toMatchObject({ status: "active" });
  });

  it("a link withdrawn while the client is at X: nothing connected, no token call", async () => {
    const a = await agency(app);
    const link = await makeLink(a.owner, a.workspaceId, a.brandId);
    const started = await pressConnect(link.token);
    const back = await consent(ctx.emu, new URL(started.location));
    await db.connectLink.updateMany({ where: { brandId: a.brandId }, data: { revokedAt: new Date() } });
    const response = await hitCallback(back, null, undefined, { [started.cookie!.name]: started.cookie!.value });
    const attemptId = new URL(response.headers.get("location")!).searchParams.get("attempt")!;
    expect(await db.connectAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ outcome: "link-unavailable" });
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
    expect(await db.connectedAccount.count({ where: { brandId: a.brandId } })).toBe(0);
  });

  it("two attempts from one link: the first to finish uses it; the second stops before the token call", async () => {
    const a = await agency(app);
    const link = await makeLink(a.owner, a.workspaceId, a.brandId);
    const one = await pressConnect(link.token);
    const two = await pressConnect(link.token);
    const backOne = await consent(ctx.emu, new URL(one.location), { userId: X_USERS.ada });
    const backTwo = await consent(ctx.emu, new URL(two.location), { userId: X_USERS.north });
    await hitCallback(backOne, null, undefined, { [one.cookie!.name]: one.cookie!.value });
    const second = await hitCallback(backTwo, null, undefined, { [two.cookie!.name]: two.cookie!.value });
    const attemptId = new URL(second.headers.get("location")!).searchParams.get("attempt")!;
    expect(await db.connectAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ outcome: "link-unavailable" });
    expect(await db.connectedAccount.findMany({ where: { brandId: a.brandId }, select: { username: true } })).toEqual([{ username: "ada_sandbox" }]);
    expect(await tokenCalls(ctx.emu)).toHaveLength(1);
  });
});

describe("starting from links is rate-limited", () => {
  it("per link: past its budget a link stops going to X, whoever presses, and nothing more is stored", async () => {
    const a = await agency(app);
    const link = await makeLink(a.member, a.workspaceId, a.brandId);
    for (let i = 0; i < STARTS_PER_LINK; i++) {
      const { location } = await pressConnect(link.token, { "x-forwarded-for": `198.51.100.${i + 1}` });
      expect(new URL(location).origin).toBe(new URL(ctx.emu.authorizeUrl).origin);
    }
    const limited = await pressConnect(link.token, { "x-forwarded-for": "198.51.100.200" });
    expect(limited.response.status).toBe(303);
    expect(limited.location).toBe(`${ORIGIN}/connect/${link.token}?error=rate-limited`);
    expect(limited.cookie).toBeUndefined();
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(STARTS_PER_LINK);
    // Another link of the same brand is unaffected.
    const other = await makeLink(a.member, a.workspaceId, a.brandId);
    expect(new URL((await pressConnect(other.token, { "x-forwarded-for": "198.51.100.201" })).location).origin).toBe(new URL(ctx.emu.authorizeUrl).origin);
  });

  it("per address: presses with guessed or dead tokens count too; other addresses still get through", async () => {
    const a = await agency(app);
    const link = await makeLink(a.member, a.workspaceId, a.brandId);
    const address = { "x-forwarded-for": "203.0.113.7" };
    for (let i = 0; i < STARTS_PER_ADDRESS; i++) {
      const guessed = `guess${String(i).padStart(3, "0")}${"A".repeat(30)}`;
      expect((await pressConnect(guessed, address)).location).toBe(`${ORIGIN}/connect/${guessed}`);
    }
    expect((await pressConnect(link.token, address)).location).toBe(`${ORIGIN}/connect/${link.token}?error=rate-limited`);
    expect(await db.connectAttempt.count({ where: { brandId: a.brandId } })).toBe(0);
    const elsewhere = await pressConnect(link.token, { "x-forwarded-for": "203.0.113.8" });
    expect(new URL(elsewhere.location).origin).toBe(new URL(ctx.emu.authorizeUrl).origin);
  });
});
