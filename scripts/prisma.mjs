// Runs the Prisma CLI with the settings it needs on an offline machine.
//   node scripts/prisma.mjs generate        → both clients (SQLite and PostgreSQL)
//   node scripts/prisma.mjs <any prisma args> → passed through
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { databaseUrl } from "./database-url.mjs";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");

export function prismaEnv(extra = {}) {
  return {
    ...process.env,
    // Without it the CLI phones home and `migrate` hangs for about a minute offline.
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_SKIP_POSTINSTALL_GENERATE: "1",
    DATABASE_URL: databaseUrl(),
    ...extra,
  };
}

export function runPrisma(args, { env = {}, capture = false } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: prismaEnv(env),
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0) {
    const detail = capture ? `\n${result.stdout}${result.stderr}` : "";
    throw new Error(`prisma ${args.join(" ")} failed (exit ${result.status})${detail}`);
  }
  return result.stdout ?? "";
}

export function generateClients() {
  runPrisma(["generate", "--schema", "prisma/schema.prisma"]);
  runPrisma(["generate", "--schema", "prisma/postgres/schema.prisma"], {
    env: { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres" },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  try {
    if (args[0] === "generate" && args.length === 1) generateClients();
    else runPrisma(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
