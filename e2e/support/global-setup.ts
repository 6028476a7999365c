// Before any browser test: a current production build and a migrated template database that
// each spec copies, so every spec starts from an empty Keyport without paying for migrations.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

export const OUTPUT_DIR = path.resolve(".test-output");
export const TEMPLATE_DB = path.join(OUTPUT_DIR, "template.db");

export default function globalSetup() {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  rmSync(TEMPLATE_DB, { force: true });
  execFileSync(process.execPath, ["scripts/migrate.mjs"], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DB}` },
  });
}
