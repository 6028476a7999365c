// `npm start`: check configuration, migrate, build if needed, serve on 127.0.0.1:3000.
//   --dev   run `next dev` instead of building
import { spawn, spawnSync } from "node:child_process";
import { build } from "./build.mjs";

const dev = process.argv.includes("--dev");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

function step(args) {
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step(["node_modules/tsx/dist/cli.mjs", "scripts/check-env.ts"]);
step(["scripts/migrate.mjs"]);
if (!dev) build();

const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", dev ? "dev" : "start", "-H", host, "-p", port], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
