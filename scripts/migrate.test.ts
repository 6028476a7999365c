// `npm run db:migrate` with only KEYPORT_DATA_DIR set creates and migrates keyport.db inside that
// directory (beside the secrets), and nothing under ./data.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

// Under another Node.js than the one that installed it (the node24 smoke), better-sqlite3 cannot
// load; that smoke checks migrate's refusal message instead.
const sqliteLoads = (() => {
  try {
    new Database(":memory:").close();
    return true;
  } catch (error) {
    if (String((error as Error).message).includes("NODE_MODULE_VERSION")) return false;
    throw error;
  }
})();

describe("scripts/migrate.mjs", () => {
  it.skipIf(!sqliteLoads)("migrates the default SQLite file inside KEYPORT_DATA_DIR", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "keyport-migrate-")), "state");
    const usual = path.resolve("data/keyport.db");
    const untouched = () => (existsSync(usual) ? statSync(usual).mtimeMs : "absent");
    const before = untouched();
    const env: NodeJS.ProcessEnv = { ...process.env, KEYPORT_DATA_DIR: dir, CHECKPOINT_DISABLE: "1" };
    delete env.DATABASE_URL;
    const out = execFileSync(process.execPath, ["scripts/migrate.mjs"], { env, encoding: "utf8" });
    expect(out).toContain("database migrated (SQLite)");
    const file = path.join(dir, "keyport.db");
    expect(statSync(file).isFile()).toBe(true);
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    sqlite.close();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["_prisma_migrations", "User", "Workspace"]));
    expect(untouched()).toBe(before);
  }, 60_000);
});
