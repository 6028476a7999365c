// The SQLite file holds password hashes and sealed credentials: owner-only from its first moment,
// whichever command creates it.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { prepareSqliteFile } from "./sqlite-file";

const mode = (file: string) => statSync(file).mode & 0o777;
const scratch = () => mkdtempSync(path.join(tmpdir(), "keyport-perm-"));

/** Runs a command under the usual umask (022), as on a fresh server. */
function withUsualUmask(script: string, env: Record<string, string>) {
  return spawnSync("sh", ["-c", `umask 022; exec "${process.execPath}" ${script}`], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
  });
}

/**
 * better-sqlite3 is a native module built for the Node.js that ran `npm install`. Under another
 * Node (the Node 24 smoke of `npm test`) the migration cannot open SQLite at all; the smoke checks
 * that it then says to rebuild, so these two runs are for the installing Node only.
 */
function sqliteLoadsHere(): boolean {
  try {
    new Database(":memory:").close();
    return true;
  } catch {
    return false;
  }
}

describe.runIf(sqliteLoadsHere())("npm run db:migrate before the first start", () => {
  it("creates the data directory 700 and the database 600, and SQLite's -wal/-shm follow the database", () => {
    const root = scratch();
    const dataDir = path.join(root, "data");
    const file = path.join(dataDir, "keyport.db");
    const run = withUsualUmask("scripts/migrate.mjs", { DATABASE_URL: `file:${file}`, KEYPORT_DATA_DIR: dataDir });
    expect(run.status, run.stderr).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);

    // A writer in WAL mode (as the app runs) creates -wal and -shm beside it.
    const db = new Database(file);
    try {
      db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      db.close();
    }
  }, 60_000);

  it("says so when a database outside the data directory is readable by others, and leaves its mode alone", () => {
    const root = scratch();
    const file = path.join(root, "elsewhere.db");
    execFileSync("sh", ["-c", `umask 022; touch "${file}"`]);
    expect(mode(file)).toBe(0o644);
    const run = withUsualUmask("scripts/migrate.mjs", { DATABASE_URL: `file:${file}`, KEYPORT_DATA_DIR: path.join(root, "data") });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`[keyport] ${file} is readable by every user on this machine (mode 644)`);
    expect(run.stderr).toContain(`chmod 600 "${file}"`);
    expect(mode(file)).toBe(0o644);
  }, 60_000);
});

describe("prepareSqliteFile", () => {
  it("tightens an existing database (and its companions) inside the data directory: an install from before this fix", () => {
    const dataDir = scratch();
    const file = path.join(dataDir, "keyport.db");
    for (const f of [file, `${file}-wal`]) {
      writeFileSync(f, "");
      chmodSync(f, 0o644);
    }
    expect(prepareSqliteFile(file, dataDir)).toEqual([]);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
  });

  it("warns for group-readable too, and stays quiet for a file that is already private", () => {
    const root = scratch();
    const file = path.join(root, "shared", "k.db");
    mkdirSync(path.dirname(file));
    writeFileSync(file, "");
    chmodSync(file, 0o640);
    expect(prepareSqliteFile(file, path.join(root, "data"))).toEqual([expect.stringContaining("is readable by its group (mode 640)")]);
    chmodSync(file, 0o600);
    expect(prepareSqliteFile(file, path.join(root, "data"))).toEqual([]);
  });

  it("is what the app runs at start-up: lib/db warns about an open database outside the data directory", async () => {
    const root = scratch();
    const file = path.join(root, "open.db");
    execFileSync("sh", ["-c", `umask 022; touch "${file}"`]);
    vi.resetModules();
    vi.stubEnv("DATABASE_URL", `file:${file}`);
    vi.stubEnv("KEYPORT_DATA_DIR", path.join(root, "data"));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const { createDb } = await import("./db");
      createDb();
      expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining(`${file} is readable by every user on this machine`));
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
