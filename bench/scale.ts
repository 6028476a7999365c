// npm run bench — how Keyport's hot queries behave in a workspace with 10,000 brands and
// 100,000 connected accounts (the scale issue #2 designs for). Seeds a throw-away database
// (SQLite by default; BENCH_DATABASE_URL=postgresql://… for PostgreSQL), then times the real
// data-layer functions the pages and actions call. Numbers go to bench/README.md by hand.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

const BRANDS = Number(process.env.BENCH_BRANDS ?? 10_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const dir = path.resolve(".bench");
const url = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "bench.db")}`;

async function main() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.DATABASE_URL = url;
  process.env.KEYPORT_DATA_DIR = dir;
  if (url.startsWith("postgres")) resetPostgres(url);
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "inherit", env: process.env });

  const { db } = await import("../lib/db");
  const { listBrands, getBrand } = await import("../lib/data/brands");
  const { saveCredentials, dependentAccounts, effectiveCredential } = await import("../lib/data/x-credentials");
  const { listBrandAccounts, listAccountsNeedingReconnect, countReconnectReasons } = await import("../lib/data/accounts");
  const { sealColumn, openColumn, SEALED } = await import("../lib/crypto/app-ring");
  const { listAdminConnections, adminConnectionsFacets, attentionReasons } = await import("../lib/data/admin-connections");
  const { adminConnectionsQuerySchema } = await import("../lib/validations/admin-connections");

  console.log(`Seeding ${BRANDS} brands and ${ACCOUNTS} accounts on ${url.startsWith("postgres") ? "PostgreSQL" : "SQLite"}…`);
  const t0 = performance.now();
  const user = await db.user.create({ data: { email: "bench@example.com", name: "Bench", passwordHash: "x" } });
  const workspace = await db.workspace.create({ data: { name: "Bench agency" } });
  const other = await db.workspace.create({ data: { name: "Other agency" } });
  const brandIds: string[] = [];
  for (let i = 0; i < BRANDS; i += 2000) {
    const rows = Array.from({ length: Math.min(2000, BRANDS - i) }, (_, k) => {
      const id = randomUUID();
      brandIds.push(id);
      const name = `Brand ${String(i + k).padStart(5, "0")} ${["Coffee", "Studio", "Records", "Bikes"][(i + k) % 4]}`;
      return { id, workspaceId: workspace.id, name, nameKey: name.toLowerCase() };
    });
    await db.brand.createMany({ data: rows });
  }
  // The other workspace has as many rows again: every query must stay scoped and fast anyway.
  await db.brand.createMany({ data: Array.from({ length: 2000 }, (_, k) => ({ workspaceId: other.id, name: `Other ${k}`, nameKey: `other ${k}` })) });

  const actor = { id: user.id, name: user.name };
  const def = await saveCredentials({ workspaceId: workspace.id, actor, clientId: "YmVuY2hjbGllbnQwMDAwMDAwMDAwOjE6Y2k", clientSecret: "s".repeat(50), test: null });
  if (def.status !== "saved") throw new Error("seed credentials");
  const access = sealColumn(SEALED.accessToken, "seed", "a".repeat(80));
  for (let i = 0; i < ACCOUNTS; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, ACCOUNTS - i) }, (_, k) => {
      const n = i + k;
      return {
        id: randomUUID(),
        workspaceId: workspace.id,
        brandId: brandIds[n % brandIds.length]!,
        xUserId: String(1_000_000 + n),
        name: `Account ${n}`,
        username: `account${n}`,
        grantedScopes: "tweet.read users.read offline.access",
        accessTokenSealed: access,
        refreshTokenSealed: access,
        accessTokenExpiresAt: new Date(Date.now() + 7_200_000),
        credentialId: def.credentialId,
        credentialVersion: 1,
        status: n % 50 === 0 ? "NEEDS_RECONNECT" : "ACTIVE",
        statusReason: n % 50 === 0 ? "token-revoked" : null,
        statusSince: n % 50 === 0 ? new Date(Date.now() - n * 1000) : new Date(),
      };
    });
    await db.connectedAccount.createMany({ data: rows });
  }
  console.log(`Seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  const busyBrand = brandIds[0]!;
  const results: [string, Stats][] = [];
  const bench = async (name: string, runs: number, fn: () => Promise<unknown>, warmUp = true) => {
    results.push([name, await time(runs, fn, warmUp)]);
    const s = results.at(-1)![1];
    console.log(`${name.padEnd(58)} median ${s.median.toFixed(2).padStart(8)} ms   p95 ${s.p95.toFixed(2).padStart(8)} ms`);
  };

  await bench("brands list, page 1", 50, () => listBrands(workspace.id, { q: "", page: 1 }));
  await bench("brands list, page 400 (last)", 50, () => listBrands(workspace.id, { q: "", page: 400 }));
  await bench("brands search 'studio', page 1", 50, () => listBrands(workspace.id, { q: "studio", page: 1 }));
  await bench("brand by id", 200, () => getBrand(workspace.id, busyBrand));
  await bench("effective credential for a brand", 200, () => effectiveCredential(workspace.id, busyBrand));
  await bench("accounts of one brand (10)", 100, () => listBrandAccounts(workspace.id, busyBrand));
  await bench("accounts needing reconnect (500 oldest of 2,000)", 20, () => listAccountsNeedingReconnect(workspace.id));
  await bench("reconnect reasons with counts", 50, () => countReconnectReasons(workspace.id));
  const admin = (q: Record<string, string>) => () => listAdminConnections(workspace.id, adminConnectionsQuerySchema.parse(q));
  await bench("admin connections: needing attention, page 1 of 50", 20, admin({}));
  await bench("admin connections: every status, page 1", 20, admin({ status: "all" }));
  await bench("admin connections: every status, by username", 20, admin({ status: "all", sort: "username" }));
  await bench("admin connections: every status, by last working check", 20, admin({ status: "all", sort: "checked" }));
  await bench("admin connections: every status, last page", 20, admin({ status: "all", page: String(Math.ceil(ACCOUNTS / 50)) }));
  await bench("admin connections: search 'account7'", 20, admin({ status: "all", q: "account7" }));
  await bench("admin connections: one brand", 20, admin({ status: "all", brand: busyBrand }));
  await bench("admin connections: filter facets + reasons", 20, () => Promise.all([adminConnectionsFacets(workspace.id, {}), attentionReasons(workspace.id)]));
  await bench("dependent accounts of the default app (98,000)", 10, () => dependentAccounts(workspace.id, def.credentialId));

  let version = 1;
  await bench("replace the secret: mark 98,000 accounts in one transaction", 1, async () => {
    const deps = await dependentAccounts(workspace.id, def.credentialId);
    const r = await saveCredentials({ workspaceId: workspace.id, actor, clientId: "YmVuY2hjbGllbnQwMDAwMDAwMDAwOjE6Y2k", clientSecret: "t".repeat(50), confirmAccountsMarked: deps.total, test: null });
    if (r.status !== "saved") throw new Error(`replace: ${r.status}`);
    if (r.accountsMarked !== deps.total) throw new Error(`marked ${r.accountsMarked} of ${deps.total}`);
    version = r.version;
  }, false);
  const sealed = sealColumn(SEALED.refreshToken, "row", "r".repeat(80));
  await bench("seal one token (AES-256-GCM)", 2000, async () => sealColumn(SEALED.refreshToken, "row", "r".repeat(80)));
  await bench("open one token", 2000, async () => openColumn(SEALED.refreshToken, "row", sealed));
  console.log(`\n(credential now at version ${version})`);
  await db.$disconnect();
}

type Stats = { median: number; p95: number };

async function time(runs: number, fn: () => Promise<unknown>, warmUp: boolean): Promise<Stats> {
  if (warmUp) await fn(); // query plans, prepared statements
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))]! };
}

function resetPostgres(databaseUrl: string) {
  const u = new URL(databaseUrl);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const psql = (sql: string) => execFileSync("psql", [u.toString(), "-qc", sql], { stdio: "inherit" });
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
