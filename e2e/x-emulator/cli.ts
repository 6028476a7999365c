// `npm run x-emulator -- [--port 4010] [--host 127.0.0.1] [--seed file.json] [--switch name=value]… [--price category=usd]… [--verbose]`
// Runs the X emulator until Ctrl-C and prints what to paste into Keyport. The secrets printed are
// the seed's sandbox credentials (fake by design); request parameters are never printed.
import { startXEmulator } from "./index";
import type { PricesPatch, Switches } from "./types";

const USAGE = "npm run x-emulator -- [--port 4010] [--host 127.0.0.1] [--seed file.json] [--switch name=value]... [--price category=usd]... [--verbose]";

function parseArgs(argv: string[]) {
  const options = {
    port: 4010,
    host: "127.0.0.1",
    seed: undefined as string | undefined,
    switches: {} as Record<string, unknown>,
    prices: {} as Record<string, { usd: number }>,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") && arg.startsWith("--") && !arg.startsWith("--switch=") ? arg.split(/=(.*)/s) : [arg, undefined];
    const next = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case "--port":
        options.port = Number(next());
        if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) fail("--port must be 0-65535");
        break;
      case "--host":
        options.host = next();
        break;
      case "--seed":
        options.seed = next();
        break;
      case "--price": {
        const [name, raw] = next().split(/=(.*)/s);
        const usd = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
        if (!name || !Number.isFinite(usd)) fail("--price needs category=usd, e.g. contentCreateWithUrl=0.2");
        options.prices[name] = { usd };
        break;
      }
      case "--verbose":
        options.verbose = true;
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default: {
        const switchArg = arg.startsWith("--switch=") ? arg.slice("--switch=".length) : flag === "--switch" ? next() : null;
        if (switchArg === null) fail(`unknown argument ${arg}`);
        const [name, raw] = switchArg.split(/=(.*)/s);
        if (!name || raw === undefined) fail("--switch needs name=value");
        options.switches[name] = raw === "true" ? true : raw === "false" ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
      }
    }
  }
  return options;
}

function fail(message: string): never {
  console.error(`x-emulator: ${message}`);
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
const emulator = await startXEmulator({ ...options, switches: options.switches as Partial<Switches>, prices: options.prices as PricesPatch }).catch((error: Error & { code?: string }) =>
  fail(error.code === "EADDRINUSE" ? `port ${options.port} is already in use` : error.message),
);
const apps = await emulator.control.apps();
const users = await emulator.control.users();
const prices = await emulator.control.prices();

console.log(`X emulator listening on ${emulator.url}`);
console.log(`  X_AUTHORIZE_URL=${emulator.authorizeUrl}`);
console.log(`  X_API_BASE_URL=${emulator.apiBaseUrl}`);
console.log(`  control API:  ${emulator.url}/__emulator/ (see e2e/x-emulator/README.md)`);
for (const app of apps) {
  console.log(`\nApp "${app.name}" (${app.type}, ${app.permission})`);
  console.log(`  Client ID:     ${app.clientId}`);
  if (app.clientSecret) console.log(`  Client Secret: ${app.clientSecret}`);
  for (const url of app.callbackUrls) console.log(`  callback:      ${url}`);
}
console.log(`\nX users: ${users.map((u) => `@${u.username} (${u.id})`).join(", ")}`);
console.log(`Billing: ${Object.values(prices).map((p) => `${p.label} $${p.usd} per ${p.per}`).join(", ")}; costs at ${emulator.url}/__emulator/costs`);
console.log("\nCtrl-C to stop.");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
