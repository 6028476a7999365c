// /admin/connections: the server-paginated list (filters, search, sort, pages, totals) and its bulk
// actions (reconnect links, queued checks, disconnect): OWNER/ADMIN only, never across workspaces.
import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import ConnectionsPage from "@/app/(dashboard)/admin/connections/page";
import { checkProgressAction, createReconnectLinksAction, disconnectAccountsAction, requestChecksAction } from "@/lib/actions/admin-connections";
import { listAdminConnections } from "@/lib/data/admin-connections";
import { lookupConnectLink } from "@/lib/data/connect-links";
import { db } from "@/lib/db";
import { adminConnectionsQuerySchema } from "@/lib/validations/admin-connections";
import { actAs, makeWorkspace } from "./helpers";

const DAY = 86_400_000;
const base = Date.now() - 100 * DAY;

let A: Awaited<ReturnType<typeof makeWorkspace>>;
let B: Awaited<ReturnType<typeof makeWorkspace>>;
let alpha: { id: string };
let beta: { id: string };
let betaElsewhere: { id: string };
const cred = { workspace: randomUUID(), betaOverride: randomUUID(), other: randomUUID() };
const ids: Record<string, string> = {};

async function credential(id: string, workspaceId: string, scopeKey: string, preview: string, ownerId: string, rejected = false) {
  await db.xCredential.create({
    data: {
      id,
      workspaceId,
      brandId: scopeKey.startsWith("brand:") ? scopeKey.slice(6) : null,
      scopeKey,
      clientIdSealed: "not-opened-here",
      clientSecretSealed: "not-opened-here",
      clientIdPreview: preview,
      clientKind: "confidential",
      createdById: ownerId,
      updatedById: ownerId,
      rejectedAt: rejected ? new Date() : null,
    },
  });
}

function account(workspaceId: string, brandId: string, username: string, o: { status?: string; reason?: string | null; sinceDays?: number; credentialId?: string; name?: string; provenDays?: number | null; xError?: string }) {
  const id = randomUUID();
  ids[username] = id;
  return {
    id,
    workspaceId,
    brandId,
    xUserId: randomUUID(),
    name: o.name ?? username,
    username,
    grantedScopes: "tweet.read users.read",
    credentialId: o.credentialId ?? cred.workspace,
    credentialVersion: 1,
    status: o.status ?? "ACTIVE",
    statusReason: o.reason ?? null,
    statusSince: new Date(base + (o.sinceDays ?? 0) * DAY),
    lastProvenAt: o.provenDays === undefined || o.provenDays === null ? null : new Date(base + o.provenDays * DAY),
    lastXError: o.xError ?? null,
  };
}

const query = (q: Record<string, string> = {}) => adminConnectionsQuerySchema.parse(q);
const names = (rows: { username: string }[]) => rows.map((r) => r.username);

beforeAll(async () => {
  A = await makeWorkspace("Admin A", [
    { email: "owner-a@adm.test", role: "OWNER" },
    { email: "admin-a@adm.test", role: "ADMIN" },
    { email: "member-a@adm.test", role: "MEMBER" },
  ]);
  B = await makeWorkspace("Admin B", [{ email: "owner-b@adm.test", role: "OWNER" }]);
  alpha = await db.brand.create({ data: { workspaceId: A.workspace.id, name: "Alpha Coffee", nameKey: "alpha coffee" } });
  beta = await db.brand.create({ data: { workspaceId: A.workspace.id, name: "Beta Tea", nameKey: "beta tea" } });
  betaElsewhere = await db.brand.create({ data: { workspaceId: B.workspace.id, name: "Beta Tea", nameKey: "beta tea" } });
  const ownerA = A.users["owner-a@adm.test"]!;
  await credential(cred.workspace, A.workspace.id, "workspace", "wsapp1", ownerA);
  await credential(cred.betaOverride, A.workspace.id, `brand:${beta.id}`, "betaap", ownerA, true);
  await credential(cred.other, B.workspace.id, "workspace", "other1", B.users["owner-b@adm.test"]!);
  const w = A.workspace.id;
  await db.connectedAccount.createMany({
    data: [
      account(w, alpha.id, "ada", { status: "NEEDS_RECONNECT", reason: "token-revoked", sinceDays: 5, name: "Ada Lovelace", xError: '400 invalid_request "Value passed for the token was invalid."' }),
      account(w, alpha.id, "grace", { status: "DEGRADED", reason: "x-unavailable", sinceDays: 2, provenDays: 1 }),
      account(w, alpha.id, "linus", { status: "ACTIVE", sinceDays: 1, provenDays: 90 }),
      account(w, alpha.id, "ken", { status: "DISCONNECTED", sinceDays: 3 }),
      account(w, beta.id, "barbara", { status: "NEEDS_RECONNECT", reason: "app-credentials", sinceDays: 1, credentialId: cred.betaOverride }),
      account(w, beta.id, "edsger", { status: "ACTIVE", sinceDays: 4, credentialId: cred.betaOverride, provenDays: 50 }),
      account(B.workspace.id, betaElsewhere.id, "intruder", { status: "NEEDS_RECONNECT", reason: "token-revoked", sinceDays: 0, credentialId: cred.other }),
    ],
  });
});

describe("the list", () => {
  it("defaults to accounts needing attention in this workspace, oldest problem first, with the reason, X's error and the app", async () => {
    const list = await listAdminConnections(A.workspace.id, query());
    expect(names(list.rows)).toEqual(["barbara", "grace", "ada"].sort((x, y) => order(x) - order(y)));
    expect(list.total).toBe(3);
    const ada = list.rows.find((r) => r.username === "ada")!;
    expect(ada).toMatchObject({
      brandName: "Alpha Coffee",
      status: "NEEDS_RECONNECT",
      reason: { code: "token-revoked", label: "Access revoked at X" },
      xError: expect.stringContaining("Value passed for the token was invalid"),
      app: { source: "workspace", clientIdPreview: "wsapp1", rejected: false, postsLeft: null, profileReadsLeft: null },
    });
    expect(list.rows.find((r) => r.username === "barbara")!.app).toEqual({ source: "brand", clientIdPreview: "betaap", rejected: true, postsLeft: null, profileReadsLeft: null });
    expect(JSON.stringify(list)).not.toContain("not-opened-here");
  });

  it("filters by status, reason, brand and app, and searches @username, name and brand case-insensitively", async () => {
    const w = A.workspace.id;
    expect(names((await listAdminConnections(w, query({ status: "ACTIVE" }))).rows).sort()).toEqual(["edsger", "linus"]);
    expect((await listAdminConnections(w, query({ status: "all" }))).total).toBe(6);
    // With the facets' per-status counts the total is the same, without counting again.
    const counts = { ACTIVE: 2, DEGRADED: 1, NEEDS_RECONNECT: 2, DISCONNECTED: 1 };
    expect((await listAdminConnections(w, query({ status: "attention" }), counts)).total).toBe(3);
    expect((await listAdminConnections(w, query({ status: "ACTIVE" }), counts)).total).toBe(2);
    expect((await listAdminConnections(w, query({ status: "all", brand: beta.id }), counts)).total).toBe(2);
    expect(names((await listAdminConnections(w, query({ reason: "app-credentials" }))).rows)).toEqual(["barbara"]);
    expect(names((await listAdminConnections(w, query({ status: "all", brand: beta.id }))).rows).sort()).toEqual(["barbara", "edsger"]);
    expect(names((await listAdminConnections(w, query({ status: "all", app: cred.workspace }))).rows).sort()).toEqual(["ada", "grace", "ken", "linus"]);
    expect(names((await listAdminConnections(w, query({ status: "all", q: "@ADA" }))).rows)).toEqual(["ada"]);
    expect(names((await listAdminConnections(w, query({ status: "all", q: "lovelace" }))).rows)).toEqual(["ada"]);
    expect(names((await listAdminConnections(w, query({ status: "all", q: "beta" }))).rows).sort()).toEqual(["barbara", "edsger"]);
    // Another workspace's brand id or app id finds nothing; bad values fall back to defaults.
    expect((await listAdminConnections(w, query({ status: "all", brand: betaElsewhere.id }))).total).toBe(0);
    expect((await listAdminConnections(w, query({ status: "all", app: cred.other }))).total).toBe(0);
    expect(query({ status: "nope", reason: "x'; drop", size: "5000", sort: "password" })).toMatchObject({ status: "attention", reason: undefined, size: 50, sort: "since" });
  });

  it("sorts by username, status, since and last working check (never checked last, the same on both databases)", async () => {
    const w = A.workspace.id;
    expect(names((await listAdminConnections(w, query({ status: "all", sort: "username", dir: "desc" }))).rows)).toEqual(["linus", "ken", "grace", "edsger", "barbara", "ada"]);
    const checked = names((await listAdminConnections(w, query({ status: "all", sort: "checked" }))).rows);
    expect(checked.slice(0, 3)).toEqual(["grace", "edsger", "linus"]);
    expect(checked.slice(3).sort()).toEqual(["ada", "barbara", "ken"]);
    const newest = names((await listAdminConnections(w, query({ status: "all", sort: "since", dir: "desc" }))).rows);
    expect(newest.slice(0, 4)).toEqual(["ada", "edsger", "ken", "grace"]);
    expect(newest.slice(4).sort()).toEqual(["barbara", "linus"]);
    expect(names((await listAdminConnections(w, query({ status: "all", sort: "status" }))).rows)).toEqual(["linus", "edsger", "grace", "ken", "barbara", "ada"]);
  });

  it("names the instance app, and shows each app's 24-hour post quota as X last reported it, warning below 10 % or after a 429", async () => {
    const w = await makeWorkspace("Admin Quota", [{ email: "quota@adm.test", role: "OWNER" }, { email: "quota-member@adm.test", role: "MEMBER" }]);
    const owner = w.users["quota@adm.test"]!;
    const brand = await db.brand.create({ data: { workspaceId: w.workspace.id, name: "Quota", nameKey: "quota" } });
    const [plenty, low, limited, instance] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await credential(plenty, w.workspace.id, "workspace", "plenty", owner);
    await credential(instance, w.workspace.id, "instance", "instan", owner);
    const otherBrands = await Promise.all(["Low", "Limited"].map((name) => db.brand.create({ data: { workspaceId: w.workspace.id, name, nameKey: name.toLowerCase() } })));
    await credential(low, w.workspace.id, `brand:${otherBrands[0]!.id}`, "lowapp", owner);
    await credential(limited, w.workspace.id, `brand:${otherBrands[1]!.id}`, "limapp", owner);
    await db.connectedAccount.createMany({
      data: [
        account(w.workspace.id, brand.id, "q_plenty", { credentialId: plenty }),
        account(w.workspace.id, otherBrands[0]!.id, "q_low", { credentialId: low }),
        account(w.workspace.id, otherBrands[1]!.id, "q_limited", { credentialId: limited }),
        account(w.workspace.id, brand.id, "q_instance", { credentialId: instance }),
      ],
    });
    const resetAt = new Date(Date.now() + 3_600_000);
    const window = (credentialId: string, remaining: number, limitedAt: Date | null = null) => ({
      id: `${credentialId}|app|tweets-24h-app`, workspaceId: w.workspace.id, credentialId, accountId: null, window: "tweets-24h-app", limit: 100, remaining, resetAt, limitedAt, observedAt: new Date(),
    });
    await db.xRateWindow.createMany({ data: [window(plenty, 60), window(low, 9), window(limited, 0, new Date())] });
    // Profile reads (GET /2/users/me) per account, 15 minutes: shown only for the account X limited.
    const rows = await db.connectedAccount.findMany({ where: { workspaceId: w.workspace.id }, select: { id: true, username: true, credentialId: true } });
    const accountOf = (username: string) => rows.find((r) => r.username === username)!;
    const profileReads = (username: string, remaining: number, limitedAt: Date | null, reset = new Date(Date.now() + 600_000)) => {
      const a = accountOf(username);
      return { id: `${a.credentialId}|${a.id}|users-me`, workspaceId: w.workspace.id, credentialId: a.credentialId, accountId: a.id, window: "users-me", limit: 75, remaining, resetAt: reset, limitedAt, observedAt: new Date() };
    };
    await db.xRateWindow.createMany({
      data: [profileReads("q_plenty", 70, null), profileReads("q_low", 0, new Date()), profileReads("q_instance", 0, new Date(Date.now() - 1_200_000), new Date(Date.now() - 300_000))],
    });
    const list = await listAdminConnections(w.workspace.id, query({ status: "all" }));
    const app = (username: string) => list.rows.find((r) => r.username === username)!.app;
    expect(app("q_plenty").profileReadsLeft).toBeNull();
    expect(app("q_low").profileReadsLeft).toMatchObject({ remaining: 0, limit: 75, warning: true });
    // A window that has reset says nothing any more.
    expect(app("q_instance").profileReadsLeft).toBeNull();
    expect(app("q_plenty").postsLeft).toEqual({ remaining: 60, limit: 100, resetAt: resetAt.toISOString(), warning: false });
    expect(app("q_low").postsLeft).toMatchObject({ remaining: 9, warning: true });
    expect(app("q_limited").postsLeft).toMatchObject({ remaining: 0, warning: true });
    expect(app("q_instance")).toEqual({ source: "instance", clientIdPreview: "instan", rejected: false, postsLeft: null, profileReadsLeft: null });

    // Rendered for a member: the same cells, without the bulk bar (a client component that needs the router).
    actAs(w.users["quota-member@adm.test"]!, w.workspace.id);
    const html = renderToStaticMarkup(await ConnectionsPage({ searchParams: Promise.resolve({ status: "all" }) }));
    expect(html).toContain("60 of 100 posts left until");
    expect(html).toContain("0 of 75 profile reads (users/me) left for this account until");
    expect(html.match(/profile reads \(users\/me\)/g)).toHaveLength(1);
    expect(html).toContain("Instance app");
  });

  it("pages on the server with a total, and a page past the end shows the last page", async () => {
    const w = await makeWorkspace("Admin Pages", [{ email: "pages@adm.test", role: "MEMBER" }]);
    const brand = await db.brand.create({ data: { workspaceId: w.workspace.id, name: "Many", nameKey: "many" } });
    await db.connectedAccount.createMany({
      data: Array.from({ length: 60 }, (_, i) => account(w.workspace.id, brand.id, `p${String(i).padStart(2, "0")}`, { status: "NEEDS_RECONNECT", reason: "token-revoked", sinceDays: i })),
    });
    const third = await listAdminConnections(w.workspace.id, query({ size: "25", page: "3" }));
    expect(third).toMatchObject({ total: 60, page: 3, pageCount: 3 });
    expect(names(third.rows)).toEqual(Array.from({ length: 10 }, (_, i) => `p${50 + i}`));
    expect((await listAdminConnections(w.workspace.id, query({ size: "25", page: "99" }))).page).toBe(3);

    actAs(w.users["pages@adm.test"]!, w.workspace.id);
    const html = renderToStaticMarkup(await ConnectionsPage({ searchParams: Promise.resolve({ size: "25", page: "2" }) }));
    expect(html.match(/data-testid="reconnect-row"/g)).toHaveLength(25);
    expect(html).toContain("Page 2 of 3 · 60 accounts");
    expect(html).toContain('aria-sort="ascending"');
    expect(html).toContain("@p25");
    expect(html).not.toContain("@p24");
    // A member sees the list but gets no selection or bulk actions.
    expect(html).not.toContain('type="checkbox"');
  });
});

describe("bulk actions", () => {
  it("refuse members, and ids from another workspace change nothing", async () => {
    actAs(A.users["member-a@adm.test"]!, A.workspace.id);
    for (const act of [() => createReconnectLinksAction({ selection: { ids: [ids.ada!] } }), () => requestChecksAction({ selection: { ids: [ids.linus!] } }), () => disconnectAccountsAction({ selection: { ids: [ids.ken!] } })]) {
      const result = await act();
      expect(result.ok).toBe(false);
    }
    actAs(B.users["owner-b@adm.test"]!, B.workspace.id);
    expect(await createReconnectLinksAction({ selection: { ids: [ids.ada!] } })).toMatchObject({ ok: false, error: expect.stringContaining("No accounts match") });
    expect(await requestChecksAction({ selection: { ids: [ids.linus!] } })).toMatchObject({ ok: false });
    expect(await disconnectAccountsAction({ selection: { ids: [ids.linus!] } })).toMatchObject({ ok: false });
    expect(await db.connectLink.count({ where: { workspaceId: A.workspace.id } })).toBe(0);
    expect(await db.connectedAccount.findUnique({ where: { id: ids.linus! }, select: { status: true, checkRequestedAt: true } })).toEqual({ status: "ACTIVE", checkRequestedAt: null });
  });

  it("reconnect links: one per account, bound to its brand and naming it; a brand whose app X rejected is skipped", async () => {
    actAs(A.users["admin-a@adm.test"]!, A.workspace.id);
    const result = await createReconnectLinksAction({ selection: { ids: [ids.ada!, ids.grace!, ids.barbara!, ids.intruder!] } });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.links.map((l) => l.username).sort()).toEqual(["ada", "grace"]);
    expect(result.data.skipped).toEqual([expect.objectContaining({ username: "barbara", why: expect.stringContaining("rejected") })]);
    for (const link of result.data.links) {
      const token = link.url.split("/connect/")[1]!;
      const found = await lookupConnectLink(token);
      expect(found).toMatchObject({ status: "active", workspaceId: A.workspace.id, brandId: alpha.id, reconnectUsername: link.username });
      const target = await db.connectLinkTarget.findUnique({ where: { linkId: (found as { id: string }).id } });
      expect(target?.accountId).toBe(ids[link.username]);
    }
    const audit = await db.auditEvent.findFirst({ where: { workspaceId: A.workspace.id, action: "accounts.reconnect_links_created" } });
    expect(audit?.summary).toContain("2 reconnect links");
    expect(audit?.summary).not.toMatch(/connect\/[A-Za-z0-9_-]{20,}/);
  });

  it("check now queues working and degraded accounts for the worker and reports progress", async () => {
    actAs(A.users["owner-a@adm.test"]!, A.workspace.id);
    const result = await requestChecksAction({ selection: { ids: [ids.linus!, ids.grace!, ids.ada!] } });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.queued.sort()).toEqual([ids.linus!, ids.grace!].sort());
    expect(result.data.skipped).toBe(1);
    const rows = await db.connectedAccount.findMany({ where: { id: { in: [ids.linus!, ids.grace!, ids.ada!] } }, select: { username: true, checkRequestedAt: true } });
    expect(Object.fromEntries(rows.map((r) => [r.username, r.checkRequestedAt !== null]))).toEqual({ linus: true, grace: true, ada: false });
    expect(await checkProgressAction({ ids: result.data.queued })).toMatchObject({ ok: true, data: { pending: 2, done: 0 } });
    // The list marks a queued row until a worker has done it (rendered for a member: no bulk bar).
    const page = async () => {
      actAs(A.users["member-a@adm.test"]!, A.workspace.id);
      const html = renderToStaticMarkup(await ConnectionsPage({ searchParams: Promise.resolve({ status: "all", q: "grace" }) }));
      actAs(A.users["owner-a@adm.test"]!, A.workspace.id);
      return html;
    };
    expect(await page()).toContain("Check queued");
    await db.connectedAccount.update({ where: { id: ids.grace! }, data: { checkRequestedAt: null } });
    expect(await page()).not.toContain("Check queued");
    await db.connectedAccount.update({ where: { id: ids.grace! }, data: { checkRequestedAt: new Date() } });
    // The worker did one of them.
    await db.connectedAccount.update({ where: { id: ids.linus! }, data: { checkRequestedAt: null } });
    expect(await checkProgressAction({ ids: result.data.queued })).toMatchObject({ ok: true, data: { pending: 1, done: 1, byStatus: { ACTIVE: 1 } } });
    expect(await db.auditEvent.count({ where: { workspaceId: A.workspace.id, action: "accounts.check_requested" } })).toBe(1);
    await db.connectedAccount.updateMany({ where: { workspaceId: A.workspace.id }, data: { checkRequestedAt: null } });
  });

  it("1,000 accounts at once, the bulk limit: checks, their progress and reconnect links go through (SQLite binds at most 999 values a statement)", async () => {
    const w = await makeWorkspace("Admin Thousand", [{ email: "thousand@adm.test", role: "OWNER" }]);
    const brand = await db.brand.create({ data: { workspaceId: w.workspace.id, name: "Thousand", nameKey: "thousand" } });
    const app = randomUUID();
    await credential(app, w.workspace.id, "workspace", "thous1", w.users["thousand@adm.test"]!);
    await db.connectedAccount.createMany({ data: Array.from({ length: 1000 }, (_, i) => account(w.workspace.id, brand.id, `t${i}`, { status: "ACTIVE", credentialId: app, sinceDays: i % 7 })) });
    actAs(w.users["thousand@adm.test"]!, w.workspace.id);

    const checks = await requestChecksAction({ selection: { filter: { status: "ACTIVE", q: "" } } });
    if (!checks.ok) throw new Error(checks.error);
    expect(checks.data.queued).toHaveLength(1000);
    expect(await checkProgressAction({ ids: checks.data.queued })).toMatchObject({ ok: true, data: { pending: 1000, done: 0 } });

    const ids = checks.data.queued;
    const links = await createReconnectLinksAction({ selection: { ids } });
    if (!links.ok) throw new Error(links.error);
    expect(links.data.links).toHaveLength(1000);
    expect(await db.connectLinkTarget.count({ where: { workspaceId: w.workspace.id } })).toBe(1000);

    // Disconnect takes the same list of ids (resolved like the links' above) and then works one
    // account at a time; 1,000 of them would add 20 s here without touching a longer statement.
  }, 60_000);

  it("'all matching the filter' is resolved on the server and bounded", async () => {
    actAs(A.users["owner-a@adm.test"]!, A.workspace.id);
    const filter = adminConnectionsQuerySchema.parse({ status: "ACTIVE" });
    const result = await requestChecksAction({ selection: { filter: { status: filter.status, q: "" } } });
    expect(result).toMatchObject({ ok: true, data: { skipped: 0 } });
    if (result.ok) expect(result.data.queued.sort()).toEqual([ids.linus!, ids.edsger!].sort());
    await db.connectedAccount.updateMany({ where: { workspaceId: A.workspace.id }, data: { checkRequestedAt: null } });

    const big = await makeWorkspace("Admin Big", [{ email: "big@adm.test", role: "OWNER" }]);
    const brand = await db.brand.create({ data: { workspaceId: big.workspace.id, name: "Big", nameKey: "big" } });
    await db.connectedAccount.createMany({ data: Array.from({ length: 1001 }, (_, i) => account(big.workspace.id, brand.id, `b${i}`, { status: "ACTIVE" })) });
    actAs(big.users["big@adm.test"]!, big.workspace.id);
    const refused = await requestChecksAction({ selection: { filter: { status: "ACTIVE", q: "" } } });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining("1,001 accounts match this filter; a bulk action takes at most 1,000") });
    expect(await db.connectedAccount.count({ where: { workspaceId: big.workspace.id, checkRequestedAt: { not: null } } })).toBe(0);
    expect(await requestChecksAction({ selection: { ids: Array.from({ length: 1001 }, () => randomUUID()) } })).toMatchObject({ ok: false });
  });

  it("disconnect: the selected accounts end DISCONNECTED with one bulk audit entry", async () => {
    actAs(A.users["admin-a@adm.test"]!, A.workspace.id);
    const result = await disconnectAccountsAction({ selection: { ids: [ids.edsger!, ids.grace!] } });
    expect(result).toMatchObject({ ok: true, data: { disconnected: 2, notRevokedAtX: 0, failed: [] } });
    const rows = await db.connectedAccount.findMany({ where: { id: { in: [ids.edsger!, ids.grace!, ids.linus!] } }, select: { username: true, status: true } });
    expect(Object.fromEntries(rows.map((r) => [r.username, r.status]))).toEqual({ edsger: "DISCONNECTED", grace: "DISCONNECTED", linus: "ACTIVE" });
    const bulk = await db.auditEvent.findFirst({ where: { workspaceId: A.workspace.id, action: "accounts.bulk_disconnected" } });
    expect(bulk?.summary).toContain("Disconnected 2 accounts");
  });
});

function order(username: string) {
  return { barbara: 1, grace: 2, ada: 5 }[username] ?? 0;
}
