// Builds the production bundle when the sources changed since the last build (or always with
// --force). The stamp covers every file the build reads, so `npm start` after `git pull` rebuilds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOTS = ["app", "components", "lib", "public", "prisma/schema.prisma", "proxy.ts", "next.config.mjs", "package-lock.json", "postcss.config.mjs", "tailwind.config.ts", "tsconfig.json"];
const STAMP = ".next/keyport-build-stamp";

function files(p) {
  if (!existsSync(p)) return [];
  const s = statSync(p);
  if (s.isFile()) return [p];
  return readdirSync(p).flatMap((n) => (n === "node_modules" || n.endsWith(".test.ts") ? [] : files(path.join(p, n))));
}

export function sourceStamp() {
  const hash = createHash("sha256");
  for (const f of ROOTS.flatMap(files).sort()) hash.update(f).update(readFileSync(f));
  return hash.digest("hex");
}

export function build({ force = false } = {}) {
  const stamp = sourceStamp();
  if (!force && existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) {
    console.log("[keyport] build is up to date");
    return;
  }
  console.log("[keyport] building…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, stamp);
}

if (import.meta.url === `file://${process.argv[1]}`) build({ force: process.argv.includes("--force") });
