// npm run bench:sweep — one health-sweep pass over many accounts against the X emulator, on a
// throw-away database (SQLite by default; BENCH_DATABASE_URL=postgresql://… for PostgreSQL).
// Two passes are timed: BENCH_ACCOUNTS healthy accounts that are merely visited (nothing due, no
// call to X: the common case), then BENCH_DUE accounts with real grants at the emulator, each due
// for its daily proof (one unbilled token refresh). Prints accounts/s and X calls per account;
// numbers go to bench/README.md by hand.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const HEALTHY = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const DUE = Number(process.env.BENCH_DUE ?? 1_000);
const dir = path.resolve(".bench/sweep"); // .bench/ is git-ignored
const url = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "bench.db")}`;
const CALLBACK = "http://127.0.0.1:3999/api/integrations/twitter/callback";

async function main() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.DATABASE_URL = url;
  process.env.KEYPORT_DATA_DIR = dir;
  process.env.KEYPORT_PUBLIC_URL = "http://127.0.0.1:3999";
  if (url.startsWith("postgres")) resetPostgres(url);
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "inherit", env: process.env });

  const { startXEmulator } = await import("../e2e/x-emulator/index");
  const x = await startXEmulator({ seed: { apps: [], users: [] } });
  process.env.X_API_BASE_URL = x.apiBaseUrl;
  process.env.X_AUTHORIZE_URL = x.authorizeUrl;
  const { db } = await import("../lib/db");
  const { saveCredentials } = await import("../lib/data/x-credentials");
  const { sealColumn, SEALED } = await import("../lib/crypto/app-ring");
  const { runSweepPass } = await import("../lib/connections/sweep");
  const { env } = await import("../lib/env");
  const { seedAccounts } = await import("../tests/integration/support/sweep-seed");

  const created = await x.control.createApp({ name: "Bench app", callbackUrls: [CALLBACK], permission: "read-write-dm" });
  const user = await db.user.create({ data: { email: "bench@example.com", name: "Bench", passwordHash: "x" } });
  const workspace = await db.workspace.create({ data: { name: "Bench agency" } });
  const brand = await db.brand.create({ data: { workspaceId: workspace.id, name: "Bench brand", nameKey: "bench brand" } });
  const saved = await saveCredentials({ workspaceId: workspace.id, actor: { id: user.id, name: user.name }, clientId: created.clientId, clientSecret: created.clientSecret!, test: null });
  if (saved.status !== "saved") throw new Error("seed credentials");
  const target = { workspaceId: workspace.id, brandId: brand.id, credentialId: saved.credentialId, credentialVersion: 1 };

  const kind = url.startsWith("postgres") ? "PostgreSQL" : "SQLite";
  console.log(`Seeding ${HEALTHY} healthy accounts and ${DUE} due accounts with real grants on ${kind}…`);
  const t0 = performance.now();
  const sealed = sealColumn(SEALED.accessToken, "bench", "a".repeat(80));
  for (let i = 0; i < HEALTHY; i += 5000) {
    const now = new Date();
    await db.connectedAccount.createMany({
      data: Array.from({ length: Math.min(5000, HEALTHY - i) }, (_, k) => ({
        id: randomUUID(),
        workspaceId: workspace.id,
        brandId: brand.id,
        xUserId: String(9_000_000 + i + k),
        name: `Healthy ${i + k}`,
        username: `healthy${i + k}`,
        grantedScopes: "tweet.read users.read offline.access",
        accessTokenSealed: sealed,
        refreshTokenSealed: sealed,
        accessTokenExpiresAt: new Date(now.getTime() + 7_200_000),
        credentialId: saved.credentialId,
        credentialVersion: 1,
        lastProvenAt: now,
        profileCheckedAt: now,
      })),
    });
  }
  await seedAccounts(x.control, x.apiBaseUrl, { clientId: created.clientId, clientSecret: created.clientSecret!, callbackUrl: CALLBACK }, target, DUE, { due: true, concurrency: 16 });
  console.log(`Seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  const rows: string[] = [];
  const pass = async (label: string, accounts: number) => {
    await x.control.clearRequests();
    await x.control.resetCosts();
    const usageBefore = await db.xUsage.aggregate({ _sum: { calls: true } });
    const started = performance.now();
    const s = await runSweepPass();
    const seconds = (performance.now() - started) / 1000;
    const usageAfter = await db.xUsage.aggregate({ _sum: { calls: true } });
    const xCalls = (usageAfter._sum.calls ?? 0) - (usageBefore._sum.calls ?? 0);
    const billed = (await x.control.costs()).total.billedUnits;
    const line = `| ${label} | ${kind} | ${accounts.toLocaleString("en")} | ${s.done.toLocaleString("en")} | ${seconds.toFixed(1)} | ${Math.round(s.done / seconds)} | ${(xCalls / Math.max(1, s.done)).toFixed(2)} | ${billed} | ${s.failed} |`;
    rows.push(line);
    console.log(line);
  };

  // Pass 1: only the healthy accounts are due (just connected: nothing to prove yet).
  const dueWhere = { workspaceId: workspace.id, NOT: { username: { startsWith: "healthy" } } };
  await db.connectedAccount.updateMany({ where: dueWhere, data: { nextCheckAt: new Date(Date.now() + 86_400_000) } });
  await pass("healthy, nothing due", HEALTHY);
  // Pass 2: the accounts with real grants, each due for its daily unbilled proof.
  await db.connectedAccount.updateMany({ where: dueWhere, data: { nextCheckAt: null } });
  await pass("due: one refresh each", DUE);

  console.log(`\n| pass | database | accounts | visited | seconds | accounts/s | X calls/account | billed | failed |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const r of rows) console.log(r);
  console.log(
    `\nper-app concurrency ${env.KEYPORT_SWEEP_APP_CONCURRENCY}, process concurrency ${env.KEYPORT_SWEEP_CONCURRENCY}, batch ${env.KEYPORT_SWEEP_BATCH}; ` +
      `${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  );
  await db.$disconnect();
  await x.close();
}

function resetPostgres(target: string) {
  const u = new URL(target);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const psql = (sql: string) => execFileSync("psql", [u.toString(), "-qc", sql], { stdio: "inherit" });
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
