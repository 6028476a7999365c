// Builds the production bundle when the sources changed since the last build (or always with
// --force). The stamp covers every file the build reads, so `npm start` after `git pull` rebuilds.
// The build and its stamp live in KEYPORT_NEXT_DIST_DIR (default .next; see next.config.mjs).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOTS = ["app", "components", "lib", "public", "instrumentation.ts", "proxy.ts", "prisma/schema.prisma", "next.config.mjs", "package-lock.json", "postcss.config.mjs", "tailwind.config.ts", "tsconfig.json", "tsconfig.dist.json"];
export const distDir = () => process.env.KEYPORT_NEXT_DIST_DIR?.trim() || ".next";

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
  const dir = distDir();
  const stampFile = path.join(dir, "keyport-build-stamp");
  const stamp = sourceStamp();
  if (!force && existsSync(path.join(dir, "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
    console.log(`[keyport] build in ${dir} is up to date`);
    return;
  }
  console.log(`[keyport] building into ${dir}…`);
  // Next rewrites next-env.d.ts to import the types of the directory it builds into; a build
  // elsewhere must leave the committed file (which names .next) as it was.
  const nextEnv = existsSync("next-env.d.ts") ? readFileSync("next-env.d.ts", "utf8") : null;
  let result;
  try {
    result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
    });
  } finally {
    if (dir !== ".next" && nextEnv !== null && readFileSync("next-env.d.ts", "utf8") !== nextEnv) writeFileSync("next-env.d.ts", nextEnv);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, stamp);
}

if (import.meta.url === `file://${process.argv[1]}`) build({ force: process.argv.includes("--force") });
