// The brand page's composer action and the quota panel a person sees: the composer publishes
// through the same lib/posts path as the API (once per draft), only as the brand's ACTIVE accounts;
// the panel shows X's figures and the 10 % warning.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { QuotaPanelView } from "@/components/usage/quota-panel";
import { publishPostAction } from "@/lib/actions/posts";
import { appOfScope, appUsageFigures } from "@/lib/data/app-usage";
import { flushRateWindows } from "@/lib/connections/quota";
import { db } from "@/lib/db";
import { actAs } from "./helpers";
import { addBrand, agency, connectOnce, emulatorForThisFile, newApp, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
// Rate-limit figures are written shortly after each post: write them before the database goes away.
afterAll(() => flushRateWindows());
let app: App;
beforeEach(async () => {
  app ??= await newApp(ctx.emu);
});

async function connected(forApp: App = app) {
  const a = await agency(forApp);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId } });
  await ctx.emu.control.clearRequests();
  return { ...a, account };
}

const draft = () => crypto.randomUUID();

describe("composer", () => {
  it("a member posts as the brand's account; the same draft sent twice posts once", async () => {
    const a = await connected();
    actAs(a.member, a.workspaceId);
    const input = { brandId: a.brandId, accountId: a.account.id, text: "From the composer 漢字", idempotencyKey: draft() };
    const first = await publishPostAction(input);
    expect(first).toMatchObject({ ok: true, data: { username: "ada_sandbox", costClass: "standard", replayed: false } });
    if (!first.ok) return;
    expect(first.data.url).toBe(`https://x.com/ada_sandbox/status/${first.data.id}`);
    const again = await publishPostAction(input);
    expect(again).toMatchObject({ ok: true, data: { id: first.data.id, replayed: true } });
    expect(await ctx.emu.control.requests({ method: "POST", path: "/2/tweets" })).toHaveLength(1);
  });

  it("refuses another brand's account, an inactive account, a stranger, and says what to do for X's refusals", async () => {
    const a = await connected();
    const other = await addBrand(a.workspaceId, "Other brand");
    actAs(a.member, a.workspaceId);
    expect(await publishPostAction({ brandId: other.id, accountId: a.account.id, text: "wrong brand", idempotencyKey: draft() })).toMatchObject({ ok: false, error: expect.stringContaining("not connected to this brand") });
    expect(await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: "   ", idempotencyKey: draft() })).toMatchObject({ ok: false, fieldErrors: { text: "Write something to post." } });
    const tooLong = await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: "🙂".repeat(141), idempotencyKey: draft() });
    expect(tooLong).toMatchObject({ ok: false, error: expect.stringContaining("282 of 280") });
    actAs(null);
    expect(await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: "signed out", idempotencyKey: draft() })).toMatchObject({ ok: false, error: expect.stringContaining("signed out") });
    const stranger = await agency(app);
    actAs(stranger.owner, stranger.workspaceId);
    expect(await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: "not mine", idempotencyKey: draft() })).toMatchObject({ ok: false });
    await db.connectedAccount.update({ where: { id: a.account.id }, data: { status: "NEEDS_RECONNECT", statusReason: "token-revoked" } });
    actAs(a.member, a.workspaceId);
    expect(await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: "inactive", idempotencyKey: draft() })).toMatchObject({ ok: false, error: expect.stringContaining("reconnect") });
    expect(await ctx.emu.control.requests({ method: "POST", path: "/2/tweets" })).toHaveLength(0);
  });
});

describe("quota panel", () => {
  it("shows X's figures and warns below 10 %", async () => {
    const tight = await newApp(ctx.emu, "Panel app");
    await ctx.emu.control.updateApp(tight.clientId, { rateLimits: { tweetsApp24h: { limit: 12, windowSeconds: 86_400 } } });
    const a = await connected(tight);
    actAs(a.member, a.workspaceId);
    const render = async () => {
      const scope = (await appOfScope(a.workspaceId, null))!;
      const usage = (await appUsageFigures(a.workspaceId, [scope.id])).get(scope.id)!;
      return renderToStaticMarkup(createElement(QuotaPanelView, { clientIdPreview: scope.clientIdPreview, usage, warnPercent: 10 }));
    };
    expect(await render()).toContain("Not known yet");
    for (let i = 0; i < 10; i++) {
      expect(await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: `Post ${i} https://example.com/${i}`, idempotencyKey: draft() })).toMatchObject({ ok: true });
    }
    let html = await render();
    expect(html).toContain("2 of 12 posts left");
    expect(html).not.toContain('role="alert"');
    expect(html).toContain("$2.00 (10 posts, 10 with a link)");
    expect(await publishPostAction({ brandId: a.brandId, accountId: a.account.id, text: "Eleventh", idempotencyKey: draft() })).toMatchObject({ ok: true });
    html = await render();
    expect(html).toContain("1 of 12 posts left");
    expect(html).toMatch(/role="alert"[^>]*>Less than 10 % of an X rate limit is left/);
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">/i);
  });
});
