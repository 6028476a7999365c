// `npm test -- --only node24` (part of `npm test`): Keyport on another Node.js major than the one
// that installed it. Gets that Node from the npm registry, then under it runs the Vitest unit
// suite, `npm start` on a throwaway PostgreSQL database (health and the setup page answer), and
// the SQLite start-up check. Writes its counts to .test-output/node<major>.json for scripts/test.mjs.
//   node scripts/node-smoke.mjs 24
//
// Why the registry's node-<platform>-<arch> package and not `npx -y node@24`: that wrapper's
// preinstall script runs a second `npm install` of the very same binary package, which an npm
// configured to refuse install scripts (as npm 11 asks projects to) skips, and it resolves a range
// on every run. The platform package is one tarball with no install script, pinned exactly here,
// and cached in ~/.cache/keyport (KEYPORT_NODE_CACHE) so a run after the first costs nothing.
//
// better-sqlite3 is a native addon compiled for the Node.js that ran `npm install` (here Node 20,
// ABI 115); Node 22 (127) and 24 (137) cannot load that build. So the smoke runs `npm start` on
// PostgreSQL (pg is plain JavaScript), and checks that a SQLite start under the other Node either
// works (installed with it) or stops with the clear "npm rebuild better-sqlite3" message.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const NODE_VERSIONS = { 22: "22.23.5", 24: "24.22.3" };

const major = Number(process.argv[2] || 24);
const version = NODE_VERSIONS[major];
if (!version) throw new Error(`no pinned Node.js for major ${process.argv[2]} (have ${Object.keys(NODE_VERSIONS).join(", ")})`);
const OUT = path.resolve(".test-output");
const report = { node: version, passed: 0, failed: 0, skipped: 0, checks: [] };
const PG_ADMIN_URL = process.env.KEYPORT_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const baseEnv = { ...process.env, CHECKPOINT_DISABLE: "1", NEXT_TELEMETRY_DISABLED: "1" };
delete baseEnv.DATABASE_URL;
delete baseEnv.KEYPORT_DATA_DIR;

function note(name, outcome, detail = "") {
  report[outcome]++;
  report.checks.push({ name, outcome, detail });
  console.log(`[node${major}] ${outcome === "passed" ? "ok  " : outcome === "skipped" ? "skip" : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

/** The `node` binary of the pinned version, installed from the npm registry once per machine. */
function nodeBinary() {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = path.join(process.env.KEYPORT_NODE_CACHE || path.join(os.homedir(), ".cache", "keyport"), `${pkg}-${version}`);
  const bin = path.join(dir, "node_modules", pkg, "bin", "node");
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    console.log(`[node${major}] installing ${pkg}@${version} from the npm registry into ${dir}…`);
    const npm = spawnSync("npm", ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", `${pkg}@${version}`], {
      stdio: "inherit",
      env: baseEnv,
    });
    if (npm.status !== 0 || !existsSync(bin)) return null;
  }
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function unitSuite(node) {
  const file = path.join(OUT, `vitest-node${major}.json`);
  rmSync(file, { force: true });
  const run = spawnSync(node, ["node_modules/vitest/vitest.mjs", "run", "--project", "unit", "--reporter=dot", "--reporter=json", `--outputFile.json=${file}`], {
    stdio: "inherit",
    env: baseEnv,
  });
  if (!existsSync(file)) return note("unit suite", "failed", `vitest exited ${run.status} without a report`);
  const r = JSON.parse(readFileSync(file, "utf8"));
  report.passed += r.numPassedTests;
  report.failed += r.numFailedTests + (run.status !== 0 && r.numFailedTests === 0 ? 1 : 0);
  report.skipped += r.numPendingTests + r.numTodoTests;
  report.checks.push({ name: "unit suite", outcome: run.status === 0 ? "passed" : "failed", detail: `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped` });
  console.log(`[node${major}] unit suite: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}

/** `npm start` (scripts/start.mjs: check env, migrate, build if stale, next start) on PostgreSQL. */
async function startOnPostgres(node) {
  const name = "npm start on PostgreSQL: /api/health and /setup answer";
  const database = `keyport_node${major}_${process.pid}`;
  const reachable = await adminQuery(`CREATE DATABASE ${database}`).then(() => true, () => false);
  if (!reachable) {
    if (process.env.CI) return note(name, "failed", "PostgreSQL is not reachable at 127.0.0.1:5432");
    return note(name, "skipped", "PostgreSQL is not reachable at 127.0.0.1:5432");
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(OUT, `node${major}-`));
  let output = "";
  const child = spawn(node, ["scripts/start.mjs"], {
    env: { ...baseEnv, DATABASE_URL: url.toString(), KEYPORT_DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(port), KEYPORT_PUBLIC_URL: `http://127.0.0.1:${port}`, AUTH_SECRET: randomBytes(32).toString("base64url"), KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const origin = `http://127.0.0.1:${port}`;
  try {
    // A stale build is rebuilt by `npm start` itself (minutes on 2 cores); after `npm test`'s e2e
    // suite it is current and this takes seconds.
    const deadline = Date.now() + 10 * 60_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline && child.exitCode === null) {
      healthy = await fetch(`${origin}/api/health`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 500));
    }
    if (!healthy) return note(name, "failed", `not healthy (exit ${child.exitCode}):\n${output.slice(-3000)}`);
    const setup = await fetch(`${origin}/setup`);
    const html = await setup.text();
    const runsOn = output.match(/\[keyport\] database: (\S+)/)?.[1];
    if (setup.status !== 200 || !html.includes("Create owner and workspace") || runsOn !== "PostgreSQL;") {
      return note(name, "failed", `/setup answered ${setup.status}; database line: ${runsOn ?? "none"}\n${output.slice(-2000)}`);
    }
    note(name, "passed", `Node ${version}`);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => process.kill(-child.pid, "SIGKILL"), 8_000);
      await exited;
      clearTimeout(timer);
    }
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The SQLite path: better-sqlite3 works, or the start stops with a message that says what to do. */
function sqliteStartup(node) {
  const name = "SQLite under this Node: migrates, or says to rebuild better-sqlite3";
  const dataDir = mkdtempSync(path.join(OUT, `node${major}-sqlite-`));
  const run = spawnSync(node, ["scripts/migrate.mjs"], { env: { ...baseEnv, KEYPORT_DATA_DIR: dataDir }, encoding: "utf8" });
  rmSync(dataDir, { recursive: true, force: true });
  const text = `${run.stdout}${run.stderr}`;
  if (run.status === 0 && text.includes("database migrated (SQLite)")) return note(name, "passed", "better-sqlite3 loads under this Node");
  if (run.status !== 0 && text.includes("npm rebuild better-sqlite3") && !/\n\s+at /.test(text)) {
    return note(name, "passed", "refused with the rebuild message (better-sqlite3 was built for the installing Node)");
  }
  note(name, "failed", text.slice(-2000));
}

mkdirSync(OUT, { recursive: true });
const node = nodeBinary();
if (!node) note(`install Node ${version} from the npm registry`, "failed");
else {
  const reported = spawnSync(node, ["-v"], { encoding: "utf8" }).stdout.trim();
  if (reported !== `v${version}`) note(`Node ${version} runs`, "failed", `it reports ${reported}`);
  else {
    unitSuite(node);
    await startOnPostgres(node);
    sqliteStartup(node);
  }
}
writeFileSync(path.join(OUT, `node${major}.json`), JSON.stringify(report, null, 2));
console.log(`[node${major}] ${report.passed} passed, ${report.failed} failed${report.skipped ? `, ${report.skipped} skipped` : ""}`);
process.exit(report.failed > 0 ? 1 : 0);
