// Applies pending migrations to the database DATABASE_URL names (SQLite file by default).
import Database from "better-sqlite3";
import { tsImport } from "tsx/esm/api";
import { runPrisma } from "./prisma.mjs";

const url = process.env.DATABASE_URL || "file:./data/keyport.db";
const postgres = /^postgres(ql)?:\/\//i.test(url);

if (!postgres) {
  // Often the first command on a new machine: the file must be born owner-only (lib/sqlite-file.ts).
  const { sqliteFilePath } = await tsImport("../lib/database-url.ts", import.meta.url);
  const { prepareSqliteFile } = await tsImport("../lib/sqlite-file.ts", import.meta.url);
  const file = sqliteFilePath(url);
  for (const warning of prepareSqliteFile(file, process.env.KEYPORT_DATA_DIR || "data")) console.warn(warning);
  // WAL lets readers carry on while a request writes; the setting is stored in the file.
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
}
try {
  runPrisma(["migrate", "deploy"], { capture: true });
  console.log(`[keyport] database migrated (${postgres ? "PostgreSQL" : "SQLite"})`);
} catch (error) {
  console.error(`[keyport] migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
