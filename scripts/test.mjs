// `npm test`: typecheck, lint, Vitest unit tests, integration tests on SQLite and PostgreSQL,
// Playwright against the production build, and a smoke on Node.js 24 (scripts/node-smoke.mjs).
// Ends with one line: "N passed, N failed".
//   npm test -- --only unit,e2e     run some suites (typecheck, lint, unit, sqlite, postgres, e2e, node24)
//   npm test -- --only node22       the same smoke on Node.js 22 (not part of the default run)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";

const OUT = ".test-output";
mkdirSync(OUT, { recursive: true });
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === "--only") ?? process.env.KEYPORT_TEST_ONLY;
const only = onlyArg ? new Set(onlyArg.split(",")) : null;
const OPT_IN = new Set(["node22"]);
const want = (name) => (only ? only.has(name) : !OPT_IN.has(name));
const env = { ...process.env, CHECKPOINT_DISABLE: "1", NEXT_TELEMETRY_DISABLED: "1" };
const totals = [];

function run(command, args, extraEnv = {}) {
  console.log(`\n$ ${[command, ...args].join(" ")}`);
  return spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status;
}

function record(name, counts) {
  totals.push({ name, ...counts });
  console.log(`[test] ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
}

function check(name, command, args) {
  if (!want(name)) return;
  const status = run(command, args);
  record(name, { passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
}

function vitest(name, project, extraEnv = {}) {
  const file = `${OUT}/vitest-${name}.json`;
  rmSync(file, { force: true });
  const status = run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`], extraEnv);
  if (!existsSync(file)) return record(name, { passed: 0, failed: 1, skipped: 0 });
  const report = JSON.parse(readFileSync(file, "utf8"));
  const failed = report.numFailedTests + (status !== 0 && report.numFailedTests === 0 ? 1 : 0);
  record(name, { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests });
}

function reachable(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
    socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
  });
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (existsSync(path)) return true;
  if (process.getuid?.() !== 0) {
    console.error(`[test] ${path} is missing: install Debian's chromium (apt-get install -y chromium)`);
    return false;
  }
  console.log("[test] installing Debian's chromium for Playwright…");
  run("apt-get", ["update", "-qq"]);
  return run("apt-get", ["install", "-y", "-qq", "chromium"]) === 0 && existsSync(path);
}

check("typecheck", process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."]);
check("lint", process.execPath, ["node_modules/eslint/bin/eslint.js", "--max-warnings=0", "."]);
if (want("unit")) vitest("unit", "unit");
if (want("sqlite")) vitest("sqlite", "integration", { KEYPORT_TEST_DB: "sqlite" });
if (want("postgres")) {
  if (await reachable(5432)) vitest("postgres", "integration", { KEYPORT_TEST_DB: "postgres" });
  else if (process.env.CI) record("postgres (not reachable at 127.0.0.1:5432)", { passed: 0, failed: 1, skipped: 0 });
  else console.log("[test] PostgreSQL is not reachable at 127.0.0.1:5432: skipping the PostgreSQL integration run");
}
if (want("e2e")) {
  if (!ensureChromium()) record("e2e", { passed: 0, failed: 1, skipped: 0 });
  else {
    const file = `${OUT}/playwright.json`;
    rmSync(file, { force: true });
    const status = run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
    if (!existsSync(file)) record("e2e", { passed: 0, failed: 1, skipped: 0 });
    else {
      const { stats } = JSON.parse(readFileSync(file, "utf8"));
      const failed = stats.unexpected + (status !== 0 && stats.unexpected === 0 ? 1 : 0);
      record("e2e", { passed: stats.expected + stats.flaky, failed, skipped: stats.skipped });
    }
  }
}
// After e2e, so `npm start` under the other Node finds the production build current.
for (const major of [24, 22]) {
  const name = `node${major}`;
  if (!want(name)) continue;
  const file = `${OUT}/${name}.json`;
  rmSync(file, { force: true });
  const status = run(process.execPath, ["scripts/node-smoke.mjs", String(major)]);
  if (!existsSync(file)) record(name, { passed: 0, failed: 1, skipped: 0 });
  else {
    const report = JSON.parse(readFileSync(file, "utf8"));
    record(name, { passed: report.passed, failed: report.failed + (status !== 0 && report.failed === 0 ? 1 : 0), skipped: report.skipped });
  }
}

const sum = (k) => totals.reduce((n, t) => n + t[k], 0);
console.log("\n[test] summary");
for (const t of totals) console.log(`  ${t.name.padEnd(10)} ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}`);
const skipped = sum("skipped");
console.log(`${sum("passed")} passed, ${sum("failed")} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(sum("failed") > 0 || totals.length === 0 ? 1 : 0);
