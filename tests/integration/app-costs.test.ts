// What each X app's own calls cost (contract §8), as /settings/x and /admin/connections show it:
// the last 30 days as counted, and the month the sweep's schedule is expected to cost.
import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import ConnectionsPage from "@/app/(dashboard)/admin/connections/page";
import { recordXCall } from "@/lib/connections/usage";
import { appCosts } from "@/lib/data/usage";
import { INSTANCE_SCOPE_KEY } from "@/lib/data/x-credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { actAs, makeWorkspace } from "./helpers";

const DAY = 86_400_000;
let w: Awaited<ReturnType<typeof makeWorkspace>>;
const app = { workspace: randomUUID(), brand: randomUUID(), instance: randomUUID() };

async function credential(id: string, scopeKey: string, brandId: string | null, preview: string) {
  const owner = w.users["owner@costs.test"]!;
  await db.xCredential.create({
    data: { id, workspaceId: w.workspace.id, brandId, scopeKey, clientIdSealed: "-", clientSecretSealed: "-", clientIdPreview: preview, clientKind: "confidential", createdById: owner, updatedById: owner },
  });
}

async function accounts(brandId: string, credentialId: string, statuses: string[]) {
  for (const status of statuses) {
    await db.connectedAccount.create({
      data: { id: randomUUID(), workspaceId: w.workspace.id, brandId, xUserId: randomUUID(), name: "A", username: `u${randomUUID().slice(0, 8)}`, grantedScopes: "tweet.read users.read", credentialId, credentialVersion: 1, status },
    });
  }
}

beforeAll(async () => {
  w = await makeWorkspace("Costs", [
    { email: "owner@costs.test", role: "OWNER" },
    { email: "member@costs.test", role: "MEMBER" },
  ]);
  const lantern = await db.brand.create({ data: { workspaceId: w.workspace.id, name: "Lantern", nameKey: "lantern" } });
  const harbor = await db.brand.create({ data: { workspaceId: w.workspace.id, name: "Harbor", nameKey: "harbor" } });
  await credential(app.workspace, "workspace", null, "wsAPP1");
  await credential(app.brand, `brand:${harbor.id}`, harbor.id, "brAPP2");
  await credential(app.instance, INSTANCE_SCOPE_KEY, null, "inAPP3");
  // Working accounts are what the schedule reads; one needing reconnect is not read.
  await accounts(lantern.id, app.workspace, ["ACTIVE", "ACTIVE", "DEGRADED", "NEEDS_RECONNECT"]);
  await accounts(harbor.id, app.brand, ["ACTIVE"]);
  const now = new Date();
  const call = (credentialId: string, kind: "user-read" | "token" | "post", billed: boolean, at = now) => recordXCall({ workspaceId: w.workspace.id, credentialId, kind, billed, at });
  await call(app.workspace, "token", false);
  await call(app.workspace, "token", false);
  await call(app.workspace, "user-read", true);
  await call(app.workspace, "user-read", false);
  await call(app.workspace, "post", true); // a post: shown with the app's quota, not here
  await call(app.workspace, "user-read", true, new Date(now.getTime() - 31 * DAY)); // older than 30 days
  await call(app.brand, "user-read", true);
});

describe("appCosts", () => {
  it("counts each app's own calls of the last 30 days and prices only what X bills; the schedule's month from its working accounts", async () => {
    const read = 10_000; // X's User: Read, in micro-dollars (the default price table)
    const perMonth = (n: number) => Math.round(n * (30 / env.KEYPORT_SWEEP_PROFILE_DAYS) * read);
    expect(await appCosts(w.workspace.id)).toEqual(
      expect.arrayContaining([
        { credentialId: app.workspace, clientIdPreview: "wsAPP1", scopeLabel: "Workspace default", accounts: 3, ownCalls: 4, ownBilled: 1, ownCostMicros: read, expectedMonthlyMicros: perMonth(3) },
        { credentialId: app.brand, clientIdPreview: "brAPP2", scopeLabel: "Brand: Harbor", accounts: 1, ownCalls: 1, ownBilled: 1, ownCostMicros: read, expectedMonthlyMicros: perMonth(1) },
        { credentialId: app.instance, clientIdPreview: "inAPP3", scopeLabel: "Instance app (set by the operator)", accounts: 0, ownCalls: 0, ownBilled: 0, ownCostMicros: 0, expectedMonthlyMicros: 0 },
      ]),
    );
  });

  it("the profile read turned off (0 days): nothing expected", async () => {
    const saved = env.KEYPORT_SWEEP_PROFILE_DAYS;
    Object.assign(env, { KEYPORT_SWEEP_PROFILE_DAYS: 0 });
    try {
      expect((await appCosts(w.workspace.id)).map((r) => r.expectedMonthlyMicros)).toEqual([0, 0, 0]);
    } finally {
      Object.assign(env, { KEYPORT_SWEEP_PROFILE_DAYS: saved });
    }
  });

  it("is on the admin view, one row per app, without repeating what posts cost", async () => {
    // As a member: the owner's bulk bar needs a mounted app router, which a static render has not.
    actAs(w.users["member@costs.test"]!, w.workspace.id);
    const html = renderToStaticMarkup(await ConnectionsPage({ searchParams: Promise.resolve({}) }));
    const panel = html.slice(html.indexOf('data-testid="cost-panel"'));
    expect(panel).toContain("What Keyport&#x27;s own calls to X cost");
    expect(panel.match(/data-testid="cost-row"/g)).toHaveLength(3);
    expect(panel).toContain("Instance app (set by the operator)");
    expect(panel).toContain("Brand: Harbor");
    expect(panel).not.toContain("Posts, 30 days");
  });
});
