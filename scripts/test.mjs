// `npm test`: typecheck, lint, Vitest unit tests, integration tests on SQLite and PostgreSQL,
// Playwright against the production build, and a smoke on Node.js 24 (scripts/node-smoke.mjs).
// Ends with one line: "N passed, N failed".
//   npm test -- --only unit,e2e     run some suites (typecheck, lint, unit, sqlite, postgres, e2e, node24)
//   npm test -- --only node22       the same smoke on Node.js 22 (not part of the default run)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

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

function record(name, counts, failures = []) {
  totals.push({ name, ...counts, failures });
  console.log(`[test] ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
}

function check(name, command, args) {
  if (!want(name)) return;
  const status = run(command, args);
  record(name, { passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
}

function vitestArgs(name, project) {
  return ["node_modules/vitest/vitest.mjs", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${OUT}/vitest-${name}.json`];
}

function vitest(name, project, extraEnv = {}) {
  rmSync(`${OUT}/vitest-${name}.json`, { force: true });
  recordVitest(name, run(process.execPath, vitestArgs(name, project), extraEnv));
}

/** Runs a node script without waiting: resolves with its output (stdout and stderr) once it exits. */
function inBackground(label, args, extraEnv = {}) {
  console.log(`\n$ ${label} (in the background)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (status) => resolve({ output, status }));
  });
}

/** Like vitest(), without waiting. */
async function vitestInBackground(name, project, extraEnv = {}) {
  rmSync(`${OUT}/vitest-${name}.json`, { force: true });
  return { name, ...(await inBackground(`vitest run --project ${project} (${name})`, vitestArgs(name, project), extraEnv)) };
}

function recordVitest(name, status) {
  const file = `${OUT}/vitest-${name}.json`;
  if (!existsSync(file)) return record(name, { passed: 0, failed: 1, skipped: 0 });
  const report = JSON.parse(readFileSync(file, "utf8"));
  const failed = report.numFailedTests + (status !== 0 && report.numFailedTests === 0 ? 1 : 0);
  // Named in the summary, so a failure is found without scrolling through the whole output.
  const failures = report.testResults.flatMap((file) =>
    file.assertionResults.filter((t) => t.status === "failed").map((t) => `${path.relative(process.cwd(), file.name)} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`),
  );
  record(name, { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests }, failures);
}

function firstLine(message) {
  return (message ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "";
}

/** Playwright's JSON report → "file › title: first line of the error" for each failed test. */
function playwrightFailures(suites, out = []) {
  for (const suite of suites ?? []) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === "unexpected") out.push(`${spec.file} › ${spec.title}: ${firstLine(t.results?.at(-1)?.error?.message)}`);
      }
    }
    playwrightFailures(suite.suites, out);
  }
  return out;
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
// The two integration runs side by side: each runs its files one at a time (vitest.config.ts), so
// together they use the machine's two cores; each keeps its own databases (SQLite files in its
// own directory, PostgreSQL databases named after its process). Output is printed run by run.
const integration = [];
if (want("sqlite")) integration.push(["sqlite", { KEYPORT_TEST_DB: "sqlite" }]);
if (want("postgres")) {
  if (await reachable(5432)) integration.push(["postgres", { KEYPORT_TEST_DB: "postgres" }]);
  else if (process.env.CI) record("postgres (not reachable at 127.0.0.1:5432)", { passed: 0, failed: 1, skipped: 0 });
  else console.log("[test] PostgreSQL is not reachable at 127.0.0.1:5432: skipping the PostgreSQL integration run");
}
// The production build for Playwright meanwhile: the integration runs leave a core idle at times
// (the SQLite run ends first; both wait on sockets and timers). e2e's global setup then finds it current.
const building = want("e2e") ? inBackground("node scripts/build.mjs", ["scripts/build.mjs"]) : null;
const finished = await Promise.all(integration.map(([name, extra]) => vitestInBackground(name, "integration", extra)));
for (const { name, output, status } of finished) {
  console.log(`\n$ vitest run --project integration (${name})\n${output}`);
  recordVitest(name, status);
}
if (building) {
  const { status, output } = await building;
  console.log(`\n$ node scripts/build.mjs (ran in the background)\n${output}`);
  if (status !== 0) console.log("[test] the build failed; Playwright's global setup tries once more and reports it");
}
if (want("e2e")) {
  if (!ensureChromium()) record("e2e", { passed: 0, failed: 1, skipped: 0 });
  else {
    const file = `${OUT}/playwright.json`;
    rmSync(file, { force: true });
    const status = run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
    if (!existsSync(file)) record("e2e", { passed: 0, failed: 1, skipped: 0 });
    else {
      const { stats, suites } = JSON.parse(readFileSync(file, "utf8"));
      const failed = stats.unexpected + (status !== 0 && stats.unexpected === 0 ? 1 : 0);
      record("e2e", { passed: stats.expected + stats.flaky, failed, skipped: stats.skipped }, playwrightFailures(suites));
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
for (const t of totals) {
  console.log(`  ${t.name.padEnd(10)} ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}`);
  for (const f of t.failures) console.log(`    ✗ ${f}`);
}
const skipped = sum("skipped");
console.log(`${sum("passed")} passed, ${sum("failed")} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(sum("failed") > 0 || totals.length === 0 ? 1 : 0);
