// npm run bench:admin — /admin/connections served by a real `next start` at 100 and at 100,000
// connected accounts (BENCH_ADMIN_SIZES="100,100000"): HTML bytes, RSC bytes (a client-side
// navigation's payload) and milliseconds, median of BENCH_ADMIN_RUNS (10) warm requests, for the
// default view, every status, a search and a deep page. Each size gets its own SQLite database in
// .bench/admin-<n>/ (or BENCH_ADMIN_PG=1: a throw-away PostgreSQL database, dropped afterwards).
// Uses the production build in KEYPORT_NEXT_DIST_DIR (.next), building it when missing.
// Numbers go to bench/README.md by hand.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PG_ADMIN_URL, freePort, waitFor, withDatabase } from "./support";

const OWNER = { name: "Bench Owner", email: "bench@agency.test", password: "correct horse battery staple" };
const RUNS = Number(process.env.BENCH_ADMIN_RUNS ?? 10);
const DIST = process.env.KEYPORT_NEXT_DIST_DIR?.trim() || ".next";

async function main() {
  const one = process.env.BENCH_ADMIN_ONE;
  if (one) return measureOne(Number(one));
  if (!existsSync(path.join(DIST, "BUILD_ID"))) execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  const sizes = (process.env.BENCH_ADMIN_SIZES ?? "100,100000").split(",").map(Number);
  // One process per size: lib/db holds one client per process, on the DATABASE_URL it started with.
  for (const n of sizes) {
    const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!], { stdio: "inherit", env: { ...process.env, BENCH_ADMIN_ONE: String(n) } });
    if (run.status !== 0) throw new Error(`size ${n} failed`);
  }
}

async function measureOne(accounts: number) {
  const dir = path.resolve(`.bench/admin-${accounts}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pgName = process.env.BENCH_ADMIN_PG ? `keyport_bench_admin_${process.pid}` : null;
  const databaseUrl = pgName ? withDatabase(PG_ADMIN_URL, pgName) : `file:${path.join(dir, "keyport.db")}`;
  if (pgName) psql(`CREATE DATABASE ${pgName}`);
  const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` };
  Object.assign(process.env, { DATABASE_URL: databaseUrl, KEYPORT_DATA_DIR: dir, ...secrets });
  let server: ChildProcess | null = null;
  try {
    execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "ignore", env: process.env });
    const t0 = performance.now();
    await seed(accounts);
    const seeded = (performance.now() - t0) / 1000;

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", KEYPORT_PUBLIC_URL: url, KEYPORT_WORKER: "off" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitFor(`${url}/api/health`, server, 90_000);
    const cookie = await signIn(url);
    const lastPage = Math.max(1, Math.ceil(accounts / 50));
    const views: [string, string][] = [
      ["default (needs attention), page 1", "/admin/connections"],
      ["every status, page 1", "/admin/connections?status=all"],
      ["every status, search 'account7'", "/admin/connections?status=all&q=account7"],
      ["every status, sorted by username", "/admin/connections?status=all&sort=username"],
      [`every status, last page (${lastPage})`, `/admin/connections?status=all&page=${lastPage}`],
    ];
    console.log(`\n${accounts.toLocaleString("en")} accounts on ${pgName ? "PostgreSQL" : "SQLite"} (seeded in ${seeded.toFixed(1)} s), median of ${RUNS}:`);
    console.log(`${"view".padEnd(44)} ${"HTML".padStart(9)} ${"ms".padStart(7)} ${"RSC".padStart(9)} ${"ms".padStart(7)}`);
    for (const [name, pathname] of views) {
      const html = await timed(() => get(url, pathname, cookie, false));
      const rsc = await timed(() => get(url, pathname, cookie, true));
      console.log(`${name.padEnd(44)} ${kb(html.bytes).padStart(9)} ${html.ms.toFixed(0).padStart(7)} ${kb(rsc.bytes).padStart(9)} ${rsc.ms.toFixed(0).padStart(7)}`);
    }
  } finally {
    server?.kill("SIGTERM");
    if (pgName) {
      const { db } = await import("../lib/db");
      await db.$disconnect();
      psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    }
  }
}

/** An owner, accounts / 100 brands (at least 1), the workspace default app, 2 % needing reconnect and 0.5 % degraded. */
async function seed(accounts: number) {
  const { db } = await import("../lib/db");
  const { completeSetup } = await import("../lib/data/setup");
  const owner = await completeSetup({ ...OWNER, workspaceName: "Bench agency" });
  if (!owner) throw new Error("setup failed");
  const workspaceId = owner.workspaceId;
  const brands = Math.max(1, Math.round(accounts / 100));
  const brandIds = Array.from({ length: brands }, () => randomUUID());
  for (let i = 0; i < brands; i += 2000) {
    await db.brand.createMany({
      data: brandIds.slice(i, i + 2000).map((id, k) => ({ id, workspaceId, name: `Brand ${String(i + k).padStart(5, "0")}`, nameKey: `brand ${String(i + k).padStart(5, "0")}` })),
    });
  }
  const credentialId = randomUUID();
  // Never opened by the page: placeholders stand in for sealed values.
  await db.xCredential.create({
    data: { id: credentialId, workspaceId, scopeKey: "workspace", clientIdSealed: "-", clientSecretSealed: "-", clientIdPreview: "bench0", clientKind: "confidential", createdById: owner.userId, updatedById: owner.userId },
  });
  const now = Date.now();
  for (let i = 0; i < accounts; i += 5000) {
    await db.connectedAccount.createMany({
      data: Array.from({ length: Math.min(5000, accounts - i) }, (_, k) => {
        const n = i + k;
        const status = n % 50 === 0 ? "NEEDS_RECONNECT" : n % 200 === 1 ? "DEGRADED" : "ACTIVE";
        return {
          id: randomUUID(),
          workspaceId,
          brandId: brandIds[n % brands]!,
          xUserId: String(1_000_000 + n),
          name: `Account ${n}`,
          username: `account${n}`,
          grantedScopes: "tweet.read users.read offline.access",
          credentialId,
          credentialVersion: 1,
          status,
          statusReason: status === "NEEDS_RECONNECT" ? "token-revoked" : status === "DEGRADED" ? "x-unavailable" : null,
          lastXError: status === "NEEDS_RECONNECT" ? '400 invalid_request: "Value passed for the token was invalid."' : null,
          statusSince: new Date(now - n * 1000),
          lastProvenAt: status === "ACTIVE" ? new Date(now - (n % 86_400) * 1000) : null,
          connectedById: owner.userId,
        };
      }),
    });
  }
  await db.$disconnect();
}

async function get(url: string, pathname: string, cookie: string, rsc: boolean) {
  let target = new URL(pathname, url);
  const headers = { cookie, ...(rsc ? { rsc: "1" } : {}) };
  let response = await fetch(target, { headers, redirect: "manual" });
  // Next answers an RSC request without its cache-busting _rsc parameter with a 307 that adds it.
  if (rsc && response.status === 307) {
    target = new URL(response.headers.get("location")!, url);
    await response.arrayBuffer();
    response = await fetch(target, { headers, redirect: "manual" });
  }
  if (response.status !== 200) throw new Error(`${pathname}: ${response.status} ${response.headers.get("location") ?? ""}`);
  return (await response.arrayBuffer()).byteLength;
}

async function timed(fn: () => Promise<number>) {
  let bytes = await fn(); // warm: compile caches, query plans
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    bytes = await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { bytes, ms: samples[Math.floor(samples.length / 2)]! };
}

/** A real sign-in through Auth.js's credentials endpoint; returns the session cookie. */
async function signIn(url: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookieHeader(csrf.headers.getSetCookie());
  const response = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ email: OWNER.email, password: OWNER.password, csrfToken, callbackUrl: `${url}/brands` }),
    redirect: "manual",
  });
  const session = response.headers.getSetCookie().find((c) => /^(__Secure-)?authjs\.session-token=/.test(c));
  if (!session) throw new Error(`sign-in failed: ${response.status}`);
  return cookieHeader([session]);
}

function cookieHeader(setCookies: string[]) {
  return setCookies.map((c) => c.split(";")[0]).join("; ");
}

function kb(bytes: number) {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function psql(sql: string) {
  execFileSync("psql", [PG_ADMIN_URL, "-qc", sql], { stdio: "inherit" });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
