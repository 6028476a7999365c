// npm run bench:posts — posts per second through POST /api/v1/posts on a real `next start` against
// the X emulator, beside the bare X call (POST /2/tweets straight at the emulator with the same
// accounts' access tokens) at the same concurrency and count: the ratio is what Keyport adds per
// post (key check, rate limit, idempotency claim, token open, usage and rate-window bookkeeping).
// A throw-away database in .bench/posts/ (SQLite, or BENCH_DATABASE_URL=postgresql://… which is
// dropped and recreated); the emulator runs in its own process, so neither the load generator nor
// Keyport shares its event loop. BENCH_POSTS (500) posts per run, BENCH_POSTS_CONCURRENCY (8) in
// flight, spread over BENCH_POSTS_ACCOUNTS accounts (enough that none passes X's 100 posts per 15
// minutes). Ends by checking that the emulator holds exactly the posts Keyport said it created.
// Uses the production build in KEYPORT_NEXT_DIST_DIR (.next), building it when stale. Numbers go
// to bench/README.md by hand.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { XEmulatorControl } from "../e2e/x-emulator/control-client";
import { freePort, waitFor } from "./support";

const POSTS = Number(process.env.BENCH_POSTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_POSTS_CONCURRENCY ?? 8);
const WARMUP = 2 * CONCURRENCY; // per run, not counted: Next loads the route, connections open
/** X allows 100 posts per user per 15 minutes; both runs together stay under 80 per account. */
const ACCOUNTS = Number(process.env.BENCH_POSTS_ACCOUNTS ?? Math.max(4, Math.ceil((2 * (POSTS + WARMUP)) / 80)));
const X_APP_PER_DAY = 10_000;
const OWNER = { name: "Bench Owner", email: "bench@agency.test", password: "correct horse battery staple" };
const dir = path.resolve(".bench/posts"); // .bench/ is git-ignored
const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "keyport.db")}`;
const kind = databaseUrl.startsWith("postgres") ? "PostgreSQL" : "SQLite";
const RUN = randomUUID().slice(0, 8);
const children: ChildProcess[] = [];

type Account = { id: string; accessToken: string };
type Sample = { ms: number; id?: string; error?: string };
type Run = { label: string; samples: Sample[]; seconds: number; cpuMs: { emulator: number; keyport: number } };

async function main() {
  const watchdog = setTimeout(() => fail("watchdog: the bench ran past 30 minutes"), 30 * 60_000);
  watchdog.unref();
  if (!Number.isInteger(POSTS) || POSTS < 1 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) throw new Error("BENCH_POSTS and BENCH_POSTS_CONCURRENCY must be positive integers");
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (kind === "PostgreSQL") await resetPostgres(databaseUrl);
  const port = await freePort();
  const keyportUrl = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    KEYPORT_DATA_DIR: dir,
    KEYPORT_PUBLIC_URL: keyportUrl,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
  });
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "ignore", env: process.env });

  const x = await startEmulator();
  Object.assign(process.env, { X_API_BASE_URL: x.url, X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize` });
  const callbackUrl = `${keyportUrl}/api/integrations/twitter/callback`;
  const app = await x.control.createApp({ name: "Bench app", callbackUrls: [callbackUrl], permission: "read-write" });
  // X's per-user limits stay as they are (the accounts spread the posts); only a run past the
  // app's 10,000 posts a day gets that one raised.
  const total = 2 * (POSTS + WARMUP);
  if (total > X_APP_PER_DAY) await x.control.updateApp(app.clientId, { rateLimits: { tweetsApp24h: { limit: total, windowSeconds: 86_400 } } });

  console.log(`Seeding ${ACCOUNTS} brands, each with one account holding a real grant, on ${kind}…`);
  const { accounts, apiKey } = await seed(x.control, x.url, { clientId: app.clientId, clientSecret: app.clientSecret!, callbackUrl });
  // BENCH_POSTS_PROFILE=dir writes a V8 CPU profile of the server there when it stops.
  const profile = process.env.BENCH_POSTS_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_POSTS_PROFILE)}`] : [];
  const server = spawn(process.execPath, [...profile, "node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    // The API's own per-key limit (120 a minute by default) would be the bottleneck, not the work:
    // raised, but still counted on every request.
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", KEYPORT_WORKER: "off", KEYPORT_API_RATE_LIMIT: "100000" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(server);
  await waitFor(`${keyportUrl}/api/health`, server, 90_000);

  const bare = (phase: string) => (i: number) => {
    const account = accounts[i % accounts.length]!;
    return post(`${x.url}/2/tweets`, account.accessToken, {}, { text: text(phase, i) }, (b) => (b as { data?: { id?: string } }).data?.id);
  };
  const viaKeyport = (phase: string) => (i: number) => {
    const account = accounts[i % accounts.length]!;
    return post(`${keyportUrl}/api/v1/posts`, apiKey, { "idempotency-key": `${RUN}-${phase}-${i}` }, { accountId: account.id, text: text(phase, i) }, (b) => (b as { id?: string }).id);
  };
  const loadBefore = os.loadavg();
  const pids = { emulator: x.child.pid!, keyport: server.pid! };
  await drive(WARMUP, bare("warm-bare"));
  const a = await measure("(a) bare X call: POST /2/tweets at the emulator", bare("bare"), pids);
  await drive(WARMUP, viaKeyport("warm-keyport"));
  const b = await measure("(b) through Keyport: POST /api/v1/posts", viaKeyport("keyport"), pids);
  const loadAfter = os.loadavg();

  report([a, b], loadBefore, loadAfter);
  const problems = await verify(x.control, b);
  await (await import("../lib/db")).db.$disconnect();
  if (problems.length) fail(problems.join("\n"));
}

/** Owner and workspace, the workspace's X app, ACCOUNTS brands with one connected account each, an API key with posts:write. */
async function seed(control: XEmulatorControl, apiBaseUrl: string, app: { clientId: string; clientSecret: string; callbackUrl: string }) {
  const { db } = await import("../lib/db");
  const { completeSetup } = await import("../lib/data/setup");
  const { createBrand } = await import("../lib/data/brands");
  const { saveCredentials } = await import("../lib/data/x-credentials");
  const { createApiKey } = await import("../lib/data/api-keys");
  const { openColumn, SEALED } = await import("../lib/crypto/app-ring");
  const { seedAccounts } = await import("../tests/integration/support/sweep-seed");
  const owner = await completeSetup({ ...OWNER, workspaceName: "Bench agency" });
  if (!owner) throw new Error("setup failed");
  const actor = { id: owner.userId, name: OWNER.name };
  const saved = await saveCredentials({ workspaceId: owner.workspaceId, actor, clientId: app.clientId, clientSecret: app.clientSecret, test: { status: "valid", message: "Seeded by bench/posts.ts." } });
  if (saved.status !== "saved") throw new Error(`saving credentials: ${saved.status}`);
  const ids: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const brand = await createBrand(owner.workspaceId, `Bench brand ${String(i).padStart(3, "0")}`);
    const target = { workspaceId: owner.workspaceId, brandId: brand.id, credentialId: saved.credentialId, credentialVersion: 1 };
    ids.push(...(await seedAccounts(control, apiBaseUrl, app, target, 1, { prefix: `p${RUN.slice(0, 4)}${i}` })));
  }
  const key = await createApiKey({ workspaceId: owner.workspaceId, actor, name: "Bench", scopes: ["posts:write"], expiresInDays: null });
  if (!key) throw new Error("API key not created");
  // The bare run needs the same tokens Keyport will use: opened here, never printed.
  const rows = await db.connectedAccount.findMany({ where: { id: { in: ids } }, select: { id: true, accessTokenSealed: true }, orderBy: { id: "asc" } });
  const accounts: Account[] = rows.map((r) => ({ id: r.id, accessToken: openColumn(SEALED.accessToken, r.id, r.accessTokenSealed!) }));
  await db.$disconnect();
  return { accounts, apiKey: key.key };
}

async function measure(label: string, send: (i: number) => Promise<Sample>, pids: { emulator: number; keyport: number }): Promise<Run> {
  const cpu0 = { emulator: treeCpuMs(pids.emulator), keyport: treeCpuMs(pids.keyport) };
  const started = performance.now();
  const samples = await drive(POSTS, send);
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = { emulator: treeCpuMs(pids.emulator) - cpu0.emulator, keyport: treeCpuMs(pids.keyport) - cpu0.keyport };
  return { label, samples, seconds, cpuMs };
}

/** `count` requests, CONCURRENCY at a time. */
async function drive(count: number, send: (i: number) => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) samples.push(await send(next++));
    }),
  );
  return samples;
}

async function post(url: string, bearer: string, headers: Record<string, string>, body: unknown, idOf: (body: unknown) => string | undefined): Promise<Sample> {
  const start = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const json: unknown = await response.json().catch(() => null);
    const ms = performance.now() - start;
    const id = idOf(json);
    if (response.status !== 201 || !id) return { ms, error: `${response.status} ${JSON.stringify(json).slice(0, 160)}` };
    if (response.headers.get("idempotent-replayed")) return { ms, error: "replayed: a fresh key came back as a replay" };
    return { ms, id };
  } catch (error) {
    return { ms: performance.now() - start, error: (error as Error).name };
  }
}

function report(runs: Run[], loadBefore: number[], loadAfter: number[]) {
  const stats = runs.map((r) => {
    const ms = r.samples.map((s) => s.ms).sort((p, q) => p - q);
    const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]!;
    const errors = r.samples.filter((s) => s.error);
    return { ...r, perSecond: r.samples.length / r.seconds, p50: pct(50), p99: pct(99), mean: ms.reduce((s, v) => s + v, 0) / ms.length, errors };
  });
  console.log(`\n${POSTS} posts per run, ${CONCURRENCY} in flight, over ${ACCOUNTS} accounts, ${kind}:\n`);
  console.log("| run | posts/s | p50 | p99 | mean | errors | emulator CPU/post | Keyport CPU/post |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of stats) {
    const cpu = (v: number) => `${(v / POSTS).toFixed(2)} ms`;
    console.log(`| ${s.label} | ${s.perSecond.toFixed(1)} | ${s.p50.toFixed(1)} ms | ${s.p99.toFixed(1)} ms | ${s.mean.toFixed(1)} ms | ${s.errors.length} | ${cpu(s.cpuMs.emulator)} | ${cpu(s.cpuMs.keyport)} |`);
    for (const e of [...new Set(s.errors.map((x) => x.error))].slice(0, 5)) console.log(`    error: ${e}`);
  }
  const [a, b] = stats as [(typeof stats)[0], (typeof stats)[0]];
  console.log(
    `\n(b)/(a): latency ×${(b.p50 / a.p50).toFixed(2)} at p50, ×${(b.p99 / a.p99).toFixed(2)} at p99, ×${(b.mean / a.mean).toFixed(2)} mean ` +
      `(+${(b.mean - a.mean).toFixed(1)} ms per post); throughput ×${(b.perSecond / a.perSecond).toFixed(2)}`,
  );
  const avg = (l: number[]) => l.map((v) => v.toFixed(1)).join(" ");
  console.log(`${os.cpus().length} CPUs; load average ${avg(loadBefore)} before, ${avg(loadAfter)} after; node ${process.version}`);
}

/** The emulator holds each post Keyport answered 201 for exactly once, and no other from run (b); the database agrees. */
async function verify(control: XEmulatorControl, run: Run): Promise<string[]> {
  const claimed = run.samples.flatMap((s) => (s.id ? [s.id] : []));
  const prefix = `Keyport bench ${RUN} keyport `;
  const atX = (await control.tweets()).filter((t) => t.text.startsWith(prefix));
  const atXIds = new Set(atX.map((t) => t.id));
  const texts = new Map<string, number>();
  for (const t of atX) texts.set(t.text, (texts.get(t.text) ?? 0) + 1);
  const lost = claimed.filter((id) => !atXIds.has(id)).length;
  const unclaimed = atX.filter((t) => !claimed.includes(t.id)).length;
  const duplicated = [...texts.values()].filter((n) => n > 1).length + (claimed.length - new Set(claimed).size);
  const { db } = await import("../lib/db");
  const published = await db.postAttempt.count({ where: { state: "PUBLISHED", text: { startsWith: prefix } } });
  console.log(`\nverify: Keyport answered 201 for ${claimed.length}, the emulator holds ${atX.length}, the database records ${published} published; lost ${lost}, posted without a 201 ${unclaimed}, duplicated ${duplicated}`);
  const problems: string[] = [];
  if (claimed.length !== POSTS) problems.push(`${POSTS - claimed.length} of ${POSTS} posts through Keyport failed`);
  if (lost || unclaimed || duplicated || atX.length !== claimed.length || published !== claimed.length) problems.push("the emulator and Keyport disagree about what was posted");
  return problems;
}

/** Unique per run, phase and index: X refuses the same text twice from one user. */
function text(phase: string, i: number) {
  return `Keyport bench ${RUN} ${phase} ${i}: the quick brown fox jumps over the lazy dog.`;
}

async function startEmulator() {
  const seedFile = path.join(dir, "x-seed.json");
  writeFileSync(seedFile, JSON.stringify({ apps: [], users: [] }));
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "e2e/x-emulator/cli.ts", "--port", String(port), "--seed", seedFile], { stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/__emulator/health`, child);
  return { url, child, control: new XEmulatorControl(url) };
}

/** User + system CPU of a process and its descendants, in ms (Linux /proc; 0 elsewhere). */
function treeCpuMs(root: number): number {
  if (!existsSync("/proc")) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]!.split(" ");
      stats.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function resetPostgres(target: string) {
  const u = new URL(target);
  const name = u.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("BENCH_DATABASE_URL needs a plain database name");
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

function fail(message: string): never {
  console.error(message);
  for (const child of children) child.kill("SIGTERM");
  process.exit(1);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill("SIGTERM");
  });
