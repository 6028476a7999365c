// npm run bench:load — two Keyport instances on one PostgreSQL database, behind nothing (each has
// its own port), under LOAD_SESSIONS signed-in sessions browsing the brands list, a brand page and
// the Reconnect list (autocannon, split over the instances), while LOAD_CONNECTS_PER_SECOND
// connections complete against the X emulator: start on one instance, consent through the
// emulator's authorize-direct control route (no browser), callback on the other instance, as a
// load balancer would mix them. Loopback only; bounded by LOAD_SECONDS, by the connect count
// (rate × seconds) and by a watchdog. Numbers go to bench/README.md by hand.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { PG_ADMIN_URL, adminQuery, freePort, waitFor, withDatabase } from "./support";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const SESSIONS = Number(process.env.LOAD_SESSIONS ?? 50);
const CONNECTS_PER_SECOND = Number(process.env.LOAD_CONNECTS_PER_SECOND ?? 20);
const BRANDS = Number(process.env.LOAD_BRANDS ?? 50);
const X_USERS = Number(process.env.LOAD_X_USERS ?? 200);
const OWNER = { name: "Load Owner", email: "load@agency.test", password: "correct horse battery staple" };
const dir = path.resolve(".bench/load");
const database = `keyport_load_${process.pid}`;
const databaseUrl = withDatabase(PG_ADMIN_URL, database);
const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` };
const children: ChildProcess[] = [];

type Instance = { url: string; child: ChildProcess };
type Connect = { ok: boolean; ms: number; attemptId?: string; error?: string };

async function main() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  await adminQuery(`CREATE DATABASE ${database}`);
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: databaseUrl } });

  const ports = [await freePort(), await freePort()];
  const origins = ports.map((p) => `http://127.0.0.1:${p}`);
  const emulator = await startEmulator(origins);
  const { brandIds } = await seedKeyport(emulator);
  const instances = await Promise.all(origins.map((url, i) => startKeyport(url, ports[i]!, emulator.url)));

  console.log(`Signing in ${SESSIONS} sessions…`);
  const cookies: string[] = [];
  for (let i = 0; i < SESSIONS; i++) cookies.push(await signIn(instances[i % 2]!.url));
  // One render of each page per instance before measuring.
  for (const { url } of instances) for (const p of ["/brands", `/brands/${brandIds[0]}`, "/admin/connections"]) await page(url, p, cookies[0]!);

  console.log(`Load: ${SESSIONS} sessions browsing + ${CONNECTS_PER_SECOND} connects/s for ${SECONDS} s…`);
  const load = [+os.loadavg()[0]!.toFixed(1)];
  const started = performance.now();
  const [browseA, browseB, connects] = await Promise.all([
    browse(instances[0]!.url, cookies.filter((_, i) => i % 2 === 0), brandIds),
    browse(instances[1]!.url, cookies.filter((_, i) => i % 2 === 1), brandIds),
    connectLoop(instances, cookies, brandIds, emulator),
  ]);
  const elapsed = (performance.now() - started) / 1000;

  const attempts = await countAttempts(connects);
  const result = summarise(browseA, browseB, connects, attempts, elapsed, load);
  writeFileSync(path.join(dir, "result.json"), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  const errors = instances.flatMap((i, n) => (i.child.exitCode !== null ? [`instance ${n} exited ${i.child.exitCode}`] : []));
  if (errors.length) console.error(errors.join("\n"));
}

/** Autocannon against one instance: each connection is one signed-in session cycling the three pages. */
function browse(url: string, sessionCookies: string[], brandIds: string[]) {
  let next = 0;
  const pages = (brandId: string) => ["/brands", `/brands/${brandId}`, "/admin/connections"];
  return new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url,
        connections: sessionCookies.length,
        duration: SECONDS,
        timeout: 30,
        requests: [0, 1, 2].map((step) => ({
          method: "GET" as const,
          // The context is per connection: each keeps the session it was given first.
          setupRequest: (request: autocannon.Request, context: object) => {
            const session = context as { cookie?: string };
            session.cookie ??= sessionCookies[next++ % sessionCookies.length]!;
            const brandId = brandIds[Math.floor(Math.random() * brandIds.length)]!;
            return { ...request, path: pages(brandId)[step]!, headers: { ...request.headers, cookie: session.cookie } };
          },
        })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    run.on("reqError", () => undefined);
  });
}

/** CONNECTS_PER_SECOND connects started on a fixed schedule (not waiting for each other). */
async function connectLoop(instances: Instance[], cookies: string[], brandIds: string[], emulator: Emulator): Promise<Connect[]> {
  const total = CONNECTS_PER_SECOND * SECONDS;
  const pending: Promise<Connect>[] = [];
  const t0 = performance.now();
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / CONNECTS_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const start = instances[k % 2]!;
    const finish = instances[(k + 1) % 2]!;
    pending.push(connectOnce(start.url, finish.url, cookies[k % cookies.length]!, brandIds[k % brandIds.length]!, emulator, `u${k % X_USERS}`));
  }
  return Promise.all(pending);
}

async function connectOnce(startUrl: string, finishUrl: string, cookie: string, brandId: string, emulator: Emulator, username: string): Promise<Connect> {
  const t = performance.now();
  const done = (ok: boolean, error?: string, attemptId?: string): Connect => ({ ok, ms: performance.now() - t, error, attemptId });
  try {
    // The Connect button: a form POST from Keyport's own page (a GET only shows the button).
    const start = await fetch(`${startUrl}/api/integrations/twitter/connect`, {
      method: "POST",
      headers: { cookie, "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ brandId }),
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    const authorize = start.headers.get("location") ?? "";
    if (start.status !== 303 || !authorize.startsWith(emulator.url)) return done(false, `start ${start.status} → ${authorize.replace(/\?.*/, "")}`);
    const q = new URL(authorize).searchParams;
    const decision = await fetch(`${emulator.url}/__emulator/authorize-direct`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        clientId: q.get("client_id"),
        redirectUri: q.get("redirect_uri"),
        scope: q.get("scope"),
        state: q.get("state"),
        codeChallenge: q.get("code_challenge"),
        method: q.get("code_challenge_method"),
        userId: username,
      }),
      signal: AbortSignal.timeout(30_000),
    });
    const { location } = (await decision.json()) as { location?: string };
    if (!decision.ok || !location) return done(false, `authorize-direct ${decision.status}`);
    // The callback on the other instance: the attempt lives in the database, not in a process.
    const callback = new URL(location);
    const back = await fetch(`${finishUrl}${callback.pathname}${callback.search}`, { headers: { cookie }, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    const landing = back.headers.get("location") ?? "";
    const attemptId = /\/brands\/[^/?]+\?connect=([0-9a-f-]{36})$/.exec(landing)?.[1];
    if (back.status !== 302 || !attemptId) return done(false, `callback ${back.status} → ${landing.replace(/\?.*/, "")}`);
    // The brand page would now show the outcome; whether it is "connected" is read from the
    // database after the run (countAttempts), so a failure shown politely still counts as lost.
    return done(true, undefined, attemptId);
  } catch (error) {
    return done(false, (error as Error).name);
  }
}

async function countAttempts(connects: Connect[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = connects.flatMap((c) => (c.attemptId ? [c.attemptId] : []));
    const finished = await client.query<{ id: string; outcome: string | null; detail: string | null }>(`SELECT id, outcome, "outcomeDetail" AS detail FROM "ConnectAttempt" WHERE id = ANY($1)`, [ids]);
    const byId = new Map(finished.rows.map((r) => [r.id, r]));
    for (const c of connects) {
      if (!c.ok) continue;
      const row = byId.get(c.attemptId!);
      if (row?.outcome !== "connected") Object.assign(c, { ok: false, error: `outcome ${row?.outcome ?? "missing"}${row?.detail ? ` (${row.detail})` : ""}` });
    }
    const { rows } = await client.query<{ outcome: string | null; n: string }>(`SELECT outcome, count(*) AS n FROM "ConnectAttempt" GROUP BY outcome`);
    const accounts = await client.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM "ConnectedAccount" GROUP BY status`);
    return { outcomes: Object.fromEntries(rows.map((r) => [r.outcome ?? "unfinished", Number(r.n)])), accounts: Object.fromEntries(accounts.rows.map((r) => [r.status, Number(r.n)])) };
  } finally {
    await client.end();
  }
}

function summarise(a: autocannon.Result, b: autocannon.Result, connects: Connect[], attempts: Awaited<ReturnType<typeof countAttempts>>, elapsed: number, load: number[]) {
  const browsing = (r: autocannon.Result) => ({
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  });
  const ms = connects.map((c) => c.ms).sort((x, y) => x - y);
  const pct = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0);
  const failures: Record<string, number> = {};
  for (const c of connects) if (!c.ok) failures[c.error ?? "?"] = (failures[c.error ?? "?"] ?? 0) + 1;
  const all = (k: "requests" | "errors" | "non2xx") => browsing(a)[k] + browsing(b)[k];
  return {
    seconds: Math.round(elapsed),
    machine: { cpus: os.cpus().length, loadAverage1mBefore: load[0], loadAverage1mAfter: +os.loadavg()[0]!.toFixed(1) },
    browsingTotal: { requests: all("requests"), rps: browsing(a).rps + browsing(b).rps, errors: all("errors"), non2xx: all("non2xx") },
    browsing: { instanceA: browsing(a), instanceB: browsing(b) },
    connects: {
      started: connects.length,
      completed: connects.filter((c) => c.ok).length,
      lost: connects.filter((c) => !c.ok).length,
      perSecond: +(connects.filter((c) => c.ok).length / elapsed).toFixed(1),
      p50ms: pct(50),
      p99ms: pct(99),
      failures,
    },
    database: attempts,
  };
}

type Emulator = { url: string; clientId: string; clientSecret: string };

async function startEmulator(origins: string[]): Promise<Emulator> {
  const seed = {
    apps: [{ name: "Load app", type: "confidential", callbackUrls: origins.map((o) => `${o}/api/integrations/twitter/callback`), permission: "read-write", enrolled: true, oauth2Enabled: true }],
    users: Array.from({ length: X_USERS }, (_, i) => ({ id: String(1_800_000_000_000_000_000n + BigInt(i)), name: `Load User ${i}`, username: `u${i}` })),
  };
  const seedFile = path.join(dir, "seed.json");
  writeFileSync(seedFile, JSON.stringify(seed));
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "e2e/x-emulator/cli.ts", "--port", String(port), "--seed", seedFile], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/__emulator/health`, child);
  const [app] = (await (await fetch(`${url}/__emulator/apps`)).json()) as { clientId: string; clientSecret: string }[];
  return { url, clientId: app!.clientId, clientSecret: app!.clientSecret };
}

/** Owner, brands and the workspace's X app, through the real data layer. */
async function seedKeyport(emulator: Emulator) {
  Object.assign(process.env, { DATABASE_URL: databaseUrl, KEYPORT_DATA_DIR: dir, ...secrets });
  const { db } = await import("../lib/db");
  const { completeSetup } = await import("../lib/data/setup");
  const { createBrand } = await import("../lib/data/brands");
  const { saveCredentials } = await import("../lib/data/x-credentials");
  const owner = await completeSetup({ ...OWNER, workspaceName: "Load agency" });
  if (!owner) throw new Error("setup failed");
  const brandIds: string[] = [];
  for (let i = 0; i < BRANDS; i++) brandIds.push((await createBrand(owner.workspaceId, `Load brand ${String(i).padStart(3, "0")}`)).id);
  const saved = await saveCredentials({
    workspaceId: owner.workspaceId,
    actor: { id: owner.userId, name: OWNER.name },
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    test: { status: "valid", message: "Seeded by bench/load.ts." },
  });
  if (saved.status !== "saved") throw new Error(`saving credentials: ${saved.status}`);
  await db.$disconnect();
  return { brandIds };
}

async function startKeyport(url: string, port: number, emulatorUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: {
      ...process.env,
      ...secrets,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      KEYPORT_DATA_DIR: dir,
      KEYPORT_PUBLIC_URL: url,
      X_AUTHORIZE_URL: `${emulatorUrl}/i/oauth2/authorize`,
      X_API_BASE_URL: emulatorUrl,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  await waitFor(`${url}/api/health`, child);
  return { url, child };
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
  if (!session) throw new Error(`sign-in failed: ${response.status} ${response.headers.get("location")}`);
  return cookieHeader([session]);
}

async function page(url: string, pathname: string, cookie: string) {
  const response = await fetch(`${url}${pathname}`, { headers: { cookie }, redirect: "manual" });
  if (response.status !== 200) throw new Error(`${pathname}: ${response.status} ${response.headers.get("location") ?? ""}`);
  await response.arrayBuffer();
}

function cookieHeader(setCookies: string[]) {
  return setCookies.map((c) => c.split(";")[0]).join("; ");
}

async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1_000));
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
}

// Whatever happens, the run ends: the load itself plus generous set-up time.
const watchdog = setTimeout(() => {
  console.error("bench/load.ts: watchdog fired, stopping");
  void cleanup().then(() => process.exit(2));
}, (SECONDS + 600) * 1000);

main()
  .then(cleanup, async (error) => {
    console.error(error);
    await cleanup();
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(watchdog));
