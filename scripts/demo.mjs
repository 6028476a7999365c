// `npm run demo`: the whole journey offline. Starts the X emulator (seeded sandbox app and X
// users) on 127.0.0.1:4010, then Keyport (`scripts/start.mjs`) pointed at it, and prints what to
// paste and what to try. Ctrl-C stops both.
// The demo has its own SQLite database and secrets in data/demo/, never `npm start`'s: sandbox
// credentials must not land in a real workspace, so DATABASE_URL, KEYPORT_DATA_DIR and the
// secrets from the environment are ignored here.
//   X_EMULATOR_PORT   emulator port (default 4010)
//   PORT, HOST        Keyport's, as for `npm start` (default 3000, 127.0.0.1)
import { spawn } from "node:child_process";
import net from "node:net";

const emulatorPort = Number(process.env.X_EMULATOR_PORT || 4010);
const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
const keyportPort = Number(process.env.PORT || 3000);
const keyportHost = process.env.HOST || "127.0.0.1";
// X refuses localhost callbacks, and the seeded app registers 127.0.0.1 ones: keep that origin.
const keyportUrl = (process.env.KEYPORT_PUBLIC_URL || `http://127.0.0.1:${keyportPort}`).replace(/\/+$/, "");
const callbackUrl = `${keyportUrl}/api/integrations/twitter/callback`;
const control = `${emulatorUrl}/__emulator`;
const DEMO_DATA_DIR = "data/demo";
const IGNORED = ["DATABASE_URL", "KEYPORT_DATA_DIR", "AUTH_SECRET", "KEYPORT_ENCRYPTION_KEYS"];
const ignored = IGNORED.filter((name) => process.env[name]);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
for (const name of IGNORED) delete env[name];
env.KEYPORT_DATA_DIR = DEMO_DATA_DIR;

const children = [];
let stopping = false;

function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let left = alive.length;
  for (const child of alive) {
    child.once("exit", () => --left === 0 && process.exit(code));
    child.kill("SIGTERM");
  }
  setTimeout(() => {
    for (const child of alive) child.kill("SIGKILL");
    process.exit(code);
  }, 8_000).unref();
}

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));

/** Stops everything; never resolves, so `await fail(...)` ends the script's flow. */
async function fail(message) {
  console.error(`\n[demo] ${message}`);
  stopAll(1);
  await new Promise(() => {});
}

function portInUse(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host }, () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
    socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
  });
}

async function waitFor(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function controlCall(method, path, body) {
  const response = await fetch(`${control}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

if (await portInUse(emulatorPort)) await fail(`port ${emulatorPort} is taken (is a demo already running?). Set X_EMULATOR_PORT to use another.`);
if (await portInUse(keyportPort)) await fail(`port ${keyportPort} is taken (is Keyport already running?). Stop it or set PORT=3100.`);

if (ignored.length) console.log(`[demo] ignoring ${ignored.join(", ")} from the environment: the demo keeps its own database and secrets in ${DEMO_DATA_DIR}/`);

// 1. The emulator. Secret regeneration also kills issued tokens here, so the demo shows accounts
//    needing reconnection at once (X's real behaviour is unknown; Keyport handles both).
console.log(`[demo] starting the X emulator on ${emulatorUrl}…`);
const emulator = spawn(
  process.execPath,
  ["node_modules/tsx/dist/cli.mjs", "e2e/x-emulator/cli.ts", "--port", String(emulatorPort), "--seed", "e2e/x-emulator/seed.json", "--switch", "secretRegenRevokesGrants=true"],
  { env, stdio: ["ignore", "pipe", "inherit"] },
);
children.push(emulator);
let emulatorOutput = "";
emulator.stdout.on("data", (d) => (emulatorOutput += d.toString()));
emulator.on("exit", (code) => !stopping && fail(`the X emulator stopped (exit ${code}).\n${emulatorOutput}`));
if (!(await waitFor(`${control}/health`, emulator, 30_000))) await fail(`the X emulator did not start.\n${emulatorOutput}`);

const [sandbox] = (await controlCall("GET", "/apps")).filter((a) => a.type === "confidential");
const users = await controlCall("GET", "/users");
if (!sandbox) await fail("the seed has no confidential app");
if (!sandbox.callbackUrls.includes(callbackUrl)) {
  await controlCall("PATCH", `/apps/${sandbox.clientId}`, { callbackUrls: [...sandbox.callbackUrls, callbackUrl].slice(-10) }).catch((error) =>
    console.warn(`[demo] could not register ${callbackUrl} on the sandbox app (${error.message}); connecting will show "Something went wrong".`),
  );
}

// 2. Keyport, pointed at the emulator.
console.log(`[demo] starting Keyport on ${keyportUrl} (the first run builds it, about a minute)…`);
const keyport = spawn(process.execPath, ["scripts/start.mjs"], {
  env: {
    ...env,
    X_AUTHORIZE_URL: `${emulatorUrl}/i/oauth2/authorize`,
    X_API_BASE_URL: emulatorUrl,
    KEYPORT_PUBLIC_URL: keyportUrl,
    HOST: keyportHost,
    PORT: String(keyportPort),
  },
  stdio: "inherit",
});
children.push(keyport);
keyport.on("exit", (code) => !stopping && fail(`Keyport stopped (exit ${code}).`));
if (!(await waitFor(`http://127.0.0.1:${keyportPort}/api/health`, keyport, 15 * 60_000))) await fail("Keyport did not become healthy.");

const line = "─".repeat(78);
const pad = (s, n) => s + " ".repeat(Math.max(1, n - s.length));
console.log(`
${line}
  Keyport demo — the whole journey offline, against a sandbox X
${line}
  Keyport      ${keyportUrl}   (first visit: /setup creates the owner)
  X emulator   ${emulatorUrl}   (stands in for x.com and api.x.com)
  Demo data    ${DEMO_DATA_DIR}/   (its own database and secrets; \`npm start\` never sees them)

  1. In Keyport open "X app" and paste the sandbox app's OAuth 2.0 credentials:
       Client ID      ${sandbox.clientId}
       Client Secret  ${sandbox.clientSecret}
     Its callback URL is registered: ${callbackUrl}
     Then "Test credentials".

  2. Create a brand and connect an X profile. The emulator's consent page lets you pick
     who is "signed in to X", then Authorize app (or Cancel):
${users.map((u) => `       ${pad(`@${u.username}`, 20)}${pad(u.name, 22)}id ${u.id}`).join("\n")}

  3. Rotate the secret as a developer would in X's portal (prints the new one):
       curl -s -X POST ${control}/apps/${sandbox.clientId}/regenerate-secret
     X now rejects the app: "Check all with X" on the brand page marks the accounts; paste
     the new secret under "X app" (it shows which accounts depend on it) and reconnect them.

  More: the X user removes the app / two hours pass / start over:
       curl -s -X POST -H 'content-type: application/json' -d '{"clientId":"${sandbox.clientId}","userId":"${users[0]?.username ?? ""}"}' ${control}/grants/revoke
       curl -s -X POST -H 'content-type: application/json' -d '{"seconds":7200}' ${control}/clock/advance
       curl -s -X POST ${control}/reset
  The emulator's control API and switches are described in e2e/x-emulator/README.md.

  Ctrl-C stops both.
${line}
`);
