// npm run bench:storm — the refresh storm of issue 8 §1, timed: STORM_ACCOUNTS (100) accounts whose
// tokens are due, 2 × STORM_CALLS (500) concurrent getValidAccessToken calls from two Node processes
// on one database, against the X emulator; then the same calls with every token fresh. Reports both
// wall times and their ratio (median of STORM_ROUNDS, 3), on each database in STORM_DBS
// ("sqlite,postgres"). Throw-away databases: .bench/storm/*.db and keyport_storm_<pid> (dropped).
// The processes are tests/integration/support/storm-load.ts, the same the storm test runs.
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PG_ADMIN_URL, adminQuery, withDatabase } from "./support";

const ACCOUNTS = Number(process.env.STORM_ACCOUNTS ?? 100);
const CALLS = Number(process.env.STORM_CALLS ?? 500);
const ROUNDS = Number(process.env.STORM_ROUNDS ?? 3);
const dir = path.resolve(".bench/storm");
const run = promisify(execFile);

type Report = { outcomes: Record<string, number>; failures: string[]; thrown: number; wallMs: number; p50: number; max: number };

async function main() {
  const kind = process.env.STORM_KIND;
  if (!kind) {
    // One child per database: lib/env and lib/db bind DATABASE_URL when first imported.
    for (const k of (process.env.STORM_DBS ?? "sqlite,postgres").split(",")) {
      execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/storm.ts"], { stdio: "inherit", env: { ...process.env, STORM_KIND: k } });
    }
    return;
  }
  mkdirSync(dir, { recursive: true });
  const database = `keyport_storm_${process.pid}`;
  const url = kind === "postgres" ? withDatabase(PG_ADMIN_URL, database) : `file:${path.join(dir, `storm-${process.pid}.db`)}`;
  if (kind === "postgres") await adminQuery(`CREATE DATABASE ${database}`);
  try {
    execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "pipe", env: { ...process.env, DATABASE_URL: url } });
    Object.assign(process.env, {
      DATABASE_URL: url,
      KEYPORT_DATA_DIR: mkdtempSync(path.join(dir, "data-")),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
      KEYPORT_PUBLIC_URL: "http://127.0.0.1:3999",
    });
    await bench(kind);
  } finally {
    if (kind === "postgres") await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    else rmSync(url.slice(5), { force: true });
  }
}

async function bench(kind: string) {
  const { startXEmulator } = await import("../e2e/x-emulator/index");
  const { db } = await import("../lib/db");
  const { saveCredentials } = await import("../lib/data/x-credentials");
  const { seedGrants } = await import("../tests/integration/support/seed-grants");
  const callback = "http://127.0.0.1:3999/api/integrations/twitter/callback";
  const emu = await startXEmulator({ seed: { apps: [], users: [] } });
  try {
    const app = await emu.control.createApp({ name: "Storm app", callbackUrls: [callback], permission: "read-write" });
    const owner = await db.user.create({ data: { email: "storm@bench.test", name: "Storm", passwordHash: "x" } });
    const workspace = await db.workspace.create({ data: { name: "Storm" } });
    await db.membership.create({ data: { userId: owner.id, workspaceId: workspace.id, role: "OWNER" } });
    const brand = await db.brand.create({ data: { workspaceId: workspace.id, name: "Storm", nameKey: "storm" } });
    const saved = await saveCredentials({
      workspaceId: workspace.id,
      actor: { id: owner.id, name: "Storm" },
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      confirmAccountsMarked: 0,
      test: null,
    });
    if (saved.status !== "saved") throw new Error("could not save the app");
    const accountIds = await seedGrants({
      control: emu.control,
      apiBaseUrl: emu.apiBaseUrl,
      app: { clientId: app.clientId, clientSecret: app.clientSecret! },
      redirectUri: callback,
      workspaceId: workspace.id,
      brandId: brand.id,
      credential: { id: saved.credentialId, version: saved.version },
      count: ACCOUNTS,
    });
    const spec = path.join(mkdtempSync(path.join(dir, "run-")), "spec.json");
    writeFileSync(spec, JSON.stringify({ workspaceId: workspace.id, accountIds, calls: CALLS }));
    const storms: number[] = [];
    const fresh: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await db.connectedAccount.updateMany({ where: { workspaceId: workspace.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 60_000) } });
      await emu.control.clearRequests();
      storms.push(await storm(spec, emu, round, "storm"));
      const refreshes = (await emu.control.requests({ path: "/2/oauth2/token" })).filter((r) => r.grantType === "refresh_token").length;
      if (refreshes !== ACCOUNTS) throw new Error(`expected ${ACCOUNTS} refreshes at X, saw ${refreshes}`);
      fresh.push(await storm(spec, emu, round, "fresh"));
    }
    const marked = await db.connectedAccount.count({ where: { workspaceId: workspace.id, status: { not: "ACTIVE" } } });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      JSON.stringify({
        database: kind,
        accounts: ACCOUNTS,
        calls: 2 * CALLS,
        stormMs: storms.map(Math.round),
        freshMs: fresh.map(Math.round),
        ratio: +(median(storms) / median(fresh)).toFixed(2),
        marked,
        load: os.loadavg().map((l) => +l.toFixed(1)),
      }),
    );
  } finally {
    await emu.close();
    await db.$disconnect();
  }
}

/** Two processes, started together; the slower one's wall time. Fails on any caller without a token. */
async function storm(spec: string, emu: { apiBaseUrl: string; authorizeUrl: string }, round: number, label: string): Promise<number> {
  const base = path.dirname(spec);
  const go = path.join(base, `go-${label}-${round}`);
  const ready = [1, 2].map((n) => path.join(base, `ready-${label}-${round}-${n}`));
  const children = ready.map((r) =>
    run(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/integration/support/storm-load.ts", spec, r, go], {
      env: { ...process.env, NODE_ENV: "test", X_API_BASE_URL: emu.apiBaseUrl, X_AUTHORIZE_URL: emu.authorizeUrl },
      maxBuffer: 10 * 1024 * 1024,
    }).then(({ stdout }) => JSON.parse(stdout) as Report),
  );
  while (!ready.every((r) => existsSync(r))) await new Promise((r) => setTimeout(r, 20));
  writeFileSync(go, "");
  const reports = await Promise.all(children);
  for (const r of reports) if (r.thrown || r.outcomes.ok !== CALLS) throw new Error(`${label}: not every caller got a token: ${JSON.stringify(r.outcomes)} ${JSON.stringify(r.failures)}, thrown ${r.thrown}`);
  return Math.max(...reports.map((r) => r.wallMs));
}

await main();
