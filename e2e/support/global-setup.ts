// Before any browser test: a current production build and a migrated template database that
// each spec copies, so every spec starts from an empty Keyport without paying for migrations.
// KEYPORT_NEXT_DIST_DIR=.next-mine gives a run its own build and its own .test-output/.next-mine/,
// so several Playwright runs in one checkout at once share nothing.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

/** The build `next build` writes and `next start` serves (next.config.mjs reads the same variable). */
export const NEXT_DIST_DIR = process.env.KEYPORT_NEXT_DIST_DIR?.trim() || ".next";
export const OUTPUT_DIR = path.resolve(".test-output", NEXT_DIST_DIR === ".next" ? "" : path.basename(NEXT_DIST_DIR));
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
