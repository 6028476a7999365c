// Hostile or malformed input to the connect routes and actions: over-long, repeated, non-ASCII or
// NUL-bearing values. None of it may reach the database as a query that fails (PostgreSQL refuses
// NUL in text), turn into a 500, or forge a server log line.
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as connectRoute } from "@/app/api/integrations/twitter/connect/route";
import { disconnectAccountAction } from "@/lib/actions/accounts";
import { createConnectLinkAction, revokeConnectLinkAction } from "@/lib/actions/connect-links";
import { linkAttemptOutcome } from "@/lib/data/connect-links";
import { actAs } from "./helpers";
import { agency, CALLBACK, connectPost, hitCallback, newApp, ORIGIN, startToX, tokenCalls, emulatorForThisFile, type App } from "./connect-helpers";

const ctx = emulatorForThisFile();
let app: App;
let logged: string[];

beforeEach(async () => {
  await ctx.emu.control.clearRequests();
  app ??= await newApp(ctx.emu);
  logged = [];
  for (const level of ["error", "warn", "info", "log"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

const NASTY = ["brand\u0000id", "brand\n[connect] forged line", "\u{1F600}".repeat(10), "x".repeat(64)];

describe("ids from the browser", () => {
  it("a brandId with NUL, a newline or emoji on the connect route: back to the brand list, nothing logged from it", async () => {
    const a = await agency(app);
    actAs(a.owner, a.workspaceId);
    for (const brandId of NASTY) {
      const response = await connectRoute(connectPost(brandId));
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`${ORIGIN}/brands`);
    }
    expect(logged.filter((l) => l.includes("forged"))).toEqual([]);
  });

  it("repeated brandId parameters use the first; an over-long one is refused", async () => {
    const a = await agency(app);
    actAs(a.owner, a.workspaceId);
    const twice = await connectRoute(connectPost([a.brandId, "other"]));
    expect(new URL(twice.headers.get("location")!).origin).toBe(new URL(ctx.emu.authorizeUrl).origin);
    const long = await connectRoute(connectPost("b".repeat(10_000)));
    expect(long.headers.get("location")).toBe(`${ORIGIN}/brands`);
    // Not a form at all: no brand to start for.
    const junk = await connectRoute(new NextRequest(`${ORIGIN}/api/integrations/twitter/connect`, { method: "POST", body: "\u0000{", headers: { "content-type": "multipart/form-data" } }));
    expect(junk.headers.get("location")).toBe(`${ORIGIN}/brands`);
  });

  it("actions given such ids answer 'not found' or a field error instead of throwing", async () => {
    const a = await agency(app);
    actAs(a.owner, a.workspaceId);
    for (const id of NASTY) {
      expect(await disconnectAccountAction({ accountId: id })).toMatchObject({ ok: false });
      expect(await revokeConnectLinkAction({ linkId: id })).toMatchObject({ ok: false });
      expect(await createConnectLinkAction({ brandId: id })).toMatchObject({ ok: false });
    }
  });

  it("the hosted link page's ?attempt= with NUL finds nothing instead of failing the query", async () => {
    const a = await agency(app);
    for (const id of NASTY) expect(await linkAttemptOutcome({ id: "no-link", workspaceId: a.workspaceId }, id)).toBeNull();
  });
});

describe("the callback's query", () => {
  it("10 kB, repeated, non-UTF-8 and NUL-bearing values: a refusal page or an outcome, never a 500, and X is not called", async () => {
    const a = await agency(app);
    const state = (await startToX(a.owner, a.workspaceId, a.brandId)).searchParams.get("state")!;
    const queries = [
      `state=${"s".repeat(10_000)}&code=c`,
      `state=%ED%A0%80&code=c`,
      `state=%00&code=%00`,
      `state=a&state=b&code=c&code=d`,
      `error=${"e".repeat(10_000)}&state=${"s".repeat(501)}`,
      `code=${"c".repeat(10_000)}`,
    ];
    for (const query of queries) {
      const response = await hitCallback(`${CALLBACK}?${query}`, a.owner, a.workspaceId);
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain("sss");
    }
    // The attempt is still intact: X's real answer, with an odd error_description, still finishes it.
    const response = await hitCallback(`${CALLBACK}?state=${state}&error=access_denied&error_description=%00%ED%A0%80`, a.owner, a.workspaceId);
    expect(response.status).toBe(302);
    expect(await tokenCalls(ctx.emu)).toHaveLength(0);
  });
});
